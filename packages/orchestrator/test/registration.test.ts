import { type Strategy, type TactfulError, isTactfulError } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import type { RegistrationIssue } from '../src/index.js';
import { consentProvider, memorySource, strategy } from './fixtures.js';

function registrationError(fn: () => unknown): TactfulError {
  try {
    fn();
  } catch (error) {
    if (isTactfulError(error)) return error;
    throw error;
  }
  throw new Error('expected createOrchestrator to throw');
}

const consent = consentProvider('allow');

describe('registration', () => {
  it('accepts a valid configuration and exposes the plugins, taxonomy and layers', () => {
    const a = strategy('a', { publishes: ['a.signal'] });
    const b = strategy('b', { signalReads: ['a.signal'] });
    const tactful = createOrchestrator({ consent: [consent], strategies: [b, a] });
    expect(tactful.layers).toEqual([['a'], ['b']]);
    expect(tactful.plugins.strategies.map((s) => s.manifest.name)).toEqual(['a', 'b']);
    expect(tactful.plugins.consent).toEqual([consent]);
    // Every purpose in use resolves in the taxonomy in force (a compiled engine holds only these).
    expect(tactful.taxonomy.purpose('personalization.contextual').requiresConsent).toBe(true);
  });

  it('reports every problem of a configuration in one error, each with its path and code', () => {
    const error = registrationError(() =>
      createOrchestrator({
        consent: [consent],
        sources: [
          memorySource('no-erase', { 'behavior.purchases': [] }, { erase: false }),
          memorySource('unknown-cat', { 'no.such.category': 1 }),
        ],
        strategies: [
          strategy('dup'),
          strategy('dup'),
          strategy('unknown-purpose', { purposes: ['personalization.mind-reading'] }),
          strategy('missing-provider', {
            purposes: ['personalization.profile'],
            reads: [{ category: 'behavior.cart', purpose: 'personalization.profile' }],
          }),
          strategy('missing-signal', { signalReads: ['nobody.publishes'] }),
          strategy('creepy', {
            purposes: ['personalization.profile'],
            reads: [{ category: 'location.precise', purpose: 'personalization.profile' }],
          }),
          strategy('necessary-personal', {
            purposes: ['necessary'],
            reads: [{ category: 'context.device', purpose: 'necessary' }],
          }),
        ],
      }),
    );
    expect(error.code).toBe('INVALID_CONFIG');
    const issues = error.issues as RegistrationIssue[];
    const byCode = (code: string) => issues.filter((i) => i.code === code);
    expect(byCode('DUPLICATE_PLUGIN')).toEqual([
      expect.objectContaining({ path: ['strategies', 1], plugin: 'dup' }),
    ]);
    expect(byCode('UNKNOWN_PURPOSE')[0]?.path).toEqual(['strategies', 2, 'manifest', 'purposes', 0]);
    expect(byCode('UNKNOWN_CATEGORY')[0]?.path).toEqual([
      'sources',
      1,
      'manifest',
      'provides',
      0,
      'category',
    ]);
    expect(byCode('MISSING_CATEGORY_PROVIDER')[0]?.path).toEqual([
      'strategies',
      3,
      'manifest',
      'reads',
      0,
      'category',
    ]);
    expect(byCode('MISSING_SIGNAL_PUBLISHER')[0]?.path).toEqual([
      'strategies',
      4,
      'manifest',
      'signals',
      'reads',
      0,
    ]);
    expect(byCode('SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT')[0]?.path).toEqual([
      'strategies',
      5,
      'manifest',
      'reads',
      0,
    ]);
    expect(byCode('ERASURE_UNSUPPORTED')[0]?.path).toEqual(['sources', 0, 'manifest', 'rights', 'erase']);
    expect(byCode('INVALID_CONFIG')[0]?.message).toMatch(
      /necessary.*personal|personal category "context.device"/,
    );
    // The message lists every problem, so a person fixes everything in one go.
    for (const issue of issues) expect(error.message).toContain(issue.message);
  });

  it('names the strategy and the category when a sensitive category lacks explicit consent', () => {
    const error = registrationError(() =>
      createOrchestrator({
        consent: [consent],
        strategies: [
          strategy('near-you', {
            purposes: ['personalization.contextual'],
            reads: [{ category: 'location.precise', purpose: 'personalization.contextual' }],
          }),
        ],
      }),
    );
    expect(error.code).toBe('SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT');
    expect(error.plugin).toBe('near-you');
    expect(error.message).toContain('"near-you"');
    expect(error.message).toContain('"location.precise"');
  });

  it('accepts a sensitive category read under a purpose that requires explicit consent for it', () => {
    const tactful = createOrchestrator({
      consent: [consent],
      strategies: [
        strategy('near-you', {
          purposes: ['personalization.precise-location'],
          reads: [{ category: 'location.precise', purpose: 'personalization.precise-location' }],
        }),
      ],
    });
    expect(tactful.plugins.strategies).toHaveLength(1);
  });

  it('names the cycle when strategies depend on each other in a loop', () => {
    const error = registrationError(() =>
      createOrchestrator({
        consent: [consent],
        strategies: [
          strategy('a', { publishes: ['a.out'], signalReads: ['c.out'] }),
          strategy('b', { publishes: ['b.out'], signalReads: ['a.out'] }),
          strategy('c', { publishes: ['c.out'], signalReads: ['b.out'] }),
          strategy('self', { publishes: ['self.out'], signalReads: ['self.out'] }),
        ],
      }),
    );
    expect(error.code).toBe('DEPENDENCY_CYCLE');
    expect(error.message).toContain('a → c → b → a');
    expect(error.message).toContain('self → self');
  });

  it('refuses a plugin whose core range the installed core does not satisfy', () => {
    const old = strategy('old');
    const tooOld: Strategy = { ...old, manifest: { ...old.manifest, core: '^9.0.0' } };
    const error = registrationError(() => createOrchestrator({ consent: [consent], strategies: [tooOld] }));
    expect(error.code).toBe('UNSUPPORTED_CORE_VERSION');
    expect(error.issues[0]?.path).toEqual(['strategies', 0, 'manifest', 'core']);
  });

  it('re-checks plain-object manifests that did not go through define*', () => {
    const plain = {
      manifest: { kind: 'strategy', name: 'Bad Name', version: 'x', core: '^0.1.0', purposes: [] },
      decide: () => ({ proposals: [] }),
    };
    const other = {
      manifest: { kind: 'strategy', name: 'other', version: '1.0.0', core: '^0.1.0', purposes: [] },
      decide: () => ({ proposals: [] }),
    };
    const error = registrationError(() =>
      createOrchestrator({ consent: [consent], strategies: [plain, other] as unknown as Strategy[] }),
    );
    expect(error.code).toBe('INVALID_MANIFEST');
    // Each manifest's first problem (in the schema's field order), every plugin's at once.
    const paths = error.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(['strategies.0.manifest.name', 'strategies.1.manifest.purposes']);
    expect(error.message).toContain('npm-style name');
  });

  it('counts request-borne categories as provided without any source', () => {
    const tactful = createOrchestrator({
      consent: [consent],
      strategies: [
        strategy('ctx', {
          reads: [
            { category: 'context.time', purpose: 'personalization.contextual' },
            { category: 'context.device', purpose: 'personalization.contextual' },
          ],
        }),
        strategy('session', {
          purposes: ['personalization.session'],
          reads: [{ category: 'session.events', purpose: 'personalization.session' }],
        }),
      ],
    });
    expect(tactful.layers).toEqual([['ctx', 'session']]);
  });

  it('lets a source without erasure in only when allowSourcesWithoutErasure names it', () => {
    const legacy = memorySource('legacy-crm', { 'behavior.purchases': [] }, { erase: false });
    const reader = strategy('reader', {
      purposes: ['personalization.profile'],
      reads: [{ category: 'behavior.purchases', purpose: 'personalization.profile' }],
    });
    expect(() => createOrchestrator({ consent: [consent], sources: [legacy], strategies: [reader] })).toThrow(
      /cannot erase/,
    );
    expect(
      createOrchestrator({
        consent: [consent],
        sources: [legacy],
        strategies: [reader],
        allowSourcesWithoutErasure: ['legacy-crm'],
      }).plugins.sources,
    ).toEqual([legacy]);
    // A source of non-personal data (the weather) needs no erasure.
    const weather = memorySource(
      'weather',
      { 'context.weather': { condition: 'rain' } },
      { erase: false, requiresSubject: false },
    );
    const rainy = strategy('rainy', {
      reads: [{ category: 'context.weather', purpose: 'personalization.contextual' }],
    });
    expect(
      createOrchestrator({ consent: [consent], sources: [weather], strategies: [rainy] }).plugins.sources,
    ).toEqual([weather]);
  });

  it('adds the categories plugins declare to the taxonomy', () => {
    const tier = {
      id: 'loyalty.tier',
      label: { en: 'Loyalty tier' },
      origin: 'observed' as const,
      sensitive: false,
      personal: true,
    };
    const src = memorySource('loyalty', { 'loyalty.tier': 'gold' });
    const withTaxonomy = { ...src, manifest: { ...src.manifest, taxonomy: { categories: [tier] } } };
    const tactful = createOrchestrator({
      consent: [consent],
      sources: [withTaxonomy],
      strategies: [
        strategy('vip', {
          purposes: ['personalization.profile'],
          reads: [{ category: 'loyalty.tier', purpose: 'personalization.profile' }],
        }),
      ],
    });
    expect(tactful.taxonomy.category('loyalty.tier').origin).toBe('observed');
  });

  it('rejects malformed options with INVALID_OPTIONS naming the field', () => {
    expect(() => createOrchestrator({ consent: [consent], strategies: [{} as Strategy] })).toThrow(
      /strategies\[0\]/,
    );
    expect(() =>
      createOrchestrator({ consent: [consent], strategies: [strategy('a')], timeouts: { strategyMs: -1 } }),
    ).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() =>
      createOrchestrator({ consent: [consent], strategies: [strategy('a')], merge: 'random' as 'priority' }),
    ).toThrow(/merge/);
  });

  it('refuses two strategies publishing the same signal', () => {
    const error = registrationError(() =>
      createOrchestrator({
        consent: [consent],
        strategies: [strategy('a', { publishes: ['x.y'] }), strategy('b', { publishes: ['x.y'] })],
      }),
    );
    expect(error.message).toMatch(/already published by "a"/);
  });
});
