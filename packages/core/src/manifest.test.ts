import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CORE_VERSION,
  PluginManifestSchema,
  type Strategy,
  type StrategyInput,
  assertCoreCompatible,
  defineConsentProvider,
  defineDataSource,
  defineStrategy,
} from '@tactful/core';
import { thrown } from '../test/thrown.js';

const strategyManifest = {
  name: 'tactful-plugin-happy-hour',
  version: '1.0.0',
  core: '^0.1.0',
  purposes: ['personalization.contextual'],
  reads: [{ category: 'context.time', purpose: 'personalization.contextual' }],
};

describe('defineStrategy', () => {
  it('validates the manifest, applies defaults, freezes it and keeps the functions and extras', () => {
    const strategy = defineStrategy({
      manifest: strategyManifest,
      decide: () => ({ proposals: [] }),
      describe: () => 'happy hour',
    });
    expect(strategy.manifest).toMatchObject({
      kind: 'strategy',
      priority: 0,
      signals: { publishes: [], reads: [] },
      reads: [{ category: 'context.time', purpose: 'personalization.contextual' }],
    });
    expect(Object.isFrozen(strategy.manifest)).toBe(true);
    expect(Object.isFrozen(strategy.manifest.reads[0])).toBe(true);
    expect(strategy.describe()).toBe('happy hour');
    // Vendors keep full inference: extra members keep their types, the manifest is the parsed one.
    expectTypeOf(strategy.describe()).toBeString();
    expectTypeOf(strategy.manifest.kind).toEqualTypeOf<'strategy'>();
    expectTypeOf<Parameters<Strategy['decide']>[0]>().toEqualTypeOf<StrategyInput>();
  });

  it('does not freeze or alter the manifest the caller wrote', () => {
    const manifest = { ...strategyManifest, reads: [...strategyManifest.reads] };
    defineStrategy({ manifest, decide: () => ({ proposals: [] }) });
    expect(Object.isFrozen(manifest)).toBe(false);
    expect(manifest).not.toHaveProperty('kind');
  });

  it('names the offending field of a bad manifest, and the plugin', () => {
    const e = thrown(() =>
      defineStrategy({
        manifest: { ...strategyManifest, reads: [{ category: 'context.time', purpose: 'Bad Purpose' }] },
        decide: () => ({ proposals: [] }),
      }),
    );
    expect(e.code).toBe('INVALID_MANIFEST');
    expect(e.plugin).toBe('tactful-plugin-happy-hour');
    expect(e.path).toEqual(['manifest', 'reads', 0, 'purpose']);
    expect(e.message).toContain('manifest.reads[0].purpose');

    const version = thrown(() =>
      defineStrategy({
        manifest: { ...strategyManifest, version: 'one' },
        decide: () => ({ proposals: [] }),
      }),
    );
    expect(version.path).toEqual(['manifest', 'version']);
    expect(version.message).toContain('semantic version');

    const range = thrown(() =>
      defineStrategy({
        manifest: { ...strategyManifest, core: 'latest!' },
        decide: () => ({ proposals: [] }),
      }),
    );
    expect(range.path).toEqual(['manifest', 'core']);

    const purposes = thrown(() =>
      defineStrategy({ manifest: { ...strategyManifest, purposes: [] }, decide: () => ({ proposals: [] }) }),
    );
    expect(purposes.path).toEqual(['manifest', 'purposes']);

    const name = thrown(() =>
      defineStrategy({
        manifest: { ...strategyManifest, name: 'Not A Name' },
        decide: () => ({ proposals: [] }),
      }),
    );
    expect(name.path).toEqual(['manifest', 'name']);
    expect(name.plugin).toBe('Not A Name');
  });

  it('requires decide to be a function', () => {
    const e = thrown(() => defineStrategy({ manifest: strategyManifest, decide: 'nope' as never }));
    expect(e.code).toBe('INVALID_MANIFEST');
    expect(e.path).toEqual(['decide']);
  });

  it('bounds priority and timeouts', () => {
    expect(() =>
      defineStrategy({
        manifest: { ...strategyManifest, priority: 5000 },
        decide: () => ({ proposals: [] }),
      }),
    ).toThrow();
    expect(() =>
      defineStrategy({ manifest: { ...strategyManifest, timeoutMs: 0 }, decide: () => ({ proposals: [] }) }),
    ).toThrow();
  });
});

describe('defineDataSource', () => {
  const manifest = {
    name: 'loyalty',
    version: '1.0.0',
    core: '^0.1.0',
    provides: [{ category: 'behavior.purchases', retentionDays: 365 }],
  };

  it('defaults rights to none and requiresSubject to true', () => {
    const source = defineDataSource({ manifest, load: () => ({}) });
    expect(source.manifest).toMatchObject({
      kind: 'source',
      requiresSubject: true,
      rights: { export: false, erase: false, rectify: false },
    });
  });

  it('requires the functions of the rights it declares', () => {
    const e = thrown(() =>
      defineDataSource({ manifest: { ...manifest, rights: { erase: true } }, load: () => ({}) }),
    );
    expect(e.code).toBe('INVALID_MANIFEST');
    expect(e.path).toEqual(['erase']);
    expect(() =>
      defineDataSource({
        manifest: { ...manifest, rights: { export: true, erase: true, rectify: true } },
        load: () => ({}),
        export: async () => ({}),
        erase: async () => ({ erased: 0 }),
        rectify: async () => {},
      }),
    ).not.toThrow();
  });

  it('needs at least one provided category and a sane retention', () => {
    expect(
      thrown(() => defineDataSource({ manifest: { ...manifest, provides: [] }, load: () => ({}) })).path,
    ).toEqual(['manifest', 'provides']);
    expect(
      thrown(() =>
        defineDataSource({
          manifest: { ...manifest, provides: [{ category: 'x', retentionDays: 0 }] },
          load: () => ({}),
        }),
      ).path,
    ).toEqual(['manifest', 'provides', 0, 'retentionDays']);
  });
});

describe('defineConsentProvider', () => {
  it('validates and requires resolve', () => {
    const provider = defineConsentProvider({
      manifest: { name: 'deny-all', version: '1.0.0', core: '^0.1.0', canGrant: false },
      resolve: () => ({ purposes: {} }),
    });
    expect(provider.manifest.kind).toBe('consent');
    expect(provider.manifest.canGrant).toBe(false);
    expect(
      thrown(() => defineConsentProvider({ manifest: provider.manifest, resolve: undefined as never })).path,
    ).toEqual(['resolve']);
  });
});

describe('PluginManifestSchema', () => {
  it('discriminates on kind', () => {
    expect(PluginManifestSchema.safeParse({ ...strategyManifest, kind: 'strategy' }).success).toBe(true);
    expect(PluginManifestSchema.safeParse({ ...strategyManifest, kind: 'widget' }).success).toBe(false);
  });
});

describe('assertCoreCompatible', () => {
  it('accepts a plugin whose range holds the installed core', () => {
    expect(() => assertCoreCompatible({ name: 'x', core: `^${CORE_VERSION}` })).not.toThrow();
    expect(() => assertCoreCompatible({ name: 'x', core: '>=0.1.0 <1.0.0' }, '0.4.2')).not.toThrow();
    expect(() => assertCoreCompatible({ name: 'x', core: '^0.1.0' }, '0.1.1-beta.1')).not.toThrow();
  });

  it('rejects one whose range does not, naming the plugin, the range and the installed version', () => {
    const e = thrown(() => assertCoreCompatible({ name: 'tactful-plugin-old', core: '^2.0.0' }, '0.1.0'));
    expect(e.code).toBe('UNSUPPORTED_CORE_VERSION');
    expect(e.plugin).toBe('tactful-plugin-old');
    expect(e.path).toEqual(['core']);
    expect(e.message).toContain('"^2.0.0"');
    expect(e.message).toContain('0.1.0 is installed');
    expect(thrown(() => assertCoreCompatible({ name: 'x', core: '^0.1.0' }, '0.2.0')).code).toBe(
      'UNSUPPORTED_CORE_VERSION',
    );
  });

  it('knows its own version', () => {
    expect(CORE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
