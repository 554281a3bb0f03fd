import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consentProviderManifest, dataSourceManifest, strategyManifest } from './manifest.js';
import {
  ConsentProviderManifestSchema,
  DataSourceManifestSchema,
  StrategyManifestSchema,
} from './manifest-schema.js';
import { defineStrategy } from './plugin.js';
import { sameAsSchema } from '../test/same-as-schema.js';

const other = fc.oneof(fc.anything({ maxDepth: 1 }), fc.constantFrom(null, [], {}, 'x', 1, true));

/** Manifests near the schemas' shape: valid ones (`bad` false) and ones with wrong values mixed in. */
function manifests(bad: boolean) {
  const or = <T>(a: fc.Arbitrary<T>, weight = 8): fc.Arbitrary<unknown> =>
    bad ? fc.oneof({ weight, arbitrary: a }, other) : a;
  const pick = <T>(good: T[], wrong: T[]) => fc.constantFrom(...good, ...(bad ? wrong : []));
  const id = or(pick(['personalization.profile', 'context.time'], ['Bad', '']));
  const text = or(fc.record({ en: pick(['Hi'], ['']), vi: pick(['Chào'], ['']) }, { requiredKeys: ['en'] }));
  const int = (min: number, max: number) =>
    or(
      bad
        ? fc.oneof(fc.integer({ min: min - 1, max: max + 1 }), fc.constantFrom(0.5, Number.NaN, max * 2))
        : fc.integer({ min, max }),
    );
  const base = {
    name: or(pick(['tactful-plugin-x', '@v/x'], ['Bad Name', ''])),
    version: or(pick(['1.0.0', '0.1.0-beta.1'], ['1.0', 'x'])),
    core: or(pick(['^0.1.0', '>=0.1 <1', '*'], ['not a range'])),
    description: text,
    taxonomy: or(
      fc.record(
        {
          purposes: or(
            fc.array(fc.record({ id, label: text }, { requiredKeys: ['id', 'label'] }), { maxLength: 2 }),
          ),
          categories: or(
            fc.array(
              fc.record(
                { id, label: text, origin: or(pick(['observed'], ['x'])) },
                { requiredKeys: ['id', 'label', 'origin'] },
              ),
              { maxLength: 2 },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    timeoutMs: int(1, 60_000),
    ...(bad ? { extra: other } : {}),
  };
  const required = ['name', 'version', 'core', 'kind'] as const;
  const signal = or(pick(['segments.memberships', 'session.interests'], ['Bad', 'a..b']));
  const strategy = fc.record(
    {
      ...base,
      kind: or(pick(['strategy'], ['source'])),
      purposes: or(fc.array(id, { minLength: bad ? 0 : 1, maxLength: 2 })),
      reads: or(
        fc.array(
          fc.record({ category: id, purpose: id, why: text }, { requiredKeys: ['category', 'purpose'] }),
          { maxLength: 2 },
        ),
      ),
      signals: or(
        fc.record(
          {
            publishes: or(
              fc.array(
                fc.record(
                  {
                    name: signal,
                    description: text,
                    fields: or(
                      fc.dictionary(fc.string({ maxLength: 3 }), or(fc.array(id, { maxLength: 2 })), {
                        maxKeys: 2,
                      }),
                    ),
                  },
                  { requiredKeys: ['name'] },
                ),
                { maxLength: 2 },
              ),
            ),
            reads: or(fc.array(signal, { maxLength: 2 })),
          },
          { requiredKeys: [] },
        ),
      ),
      priority: int(-1000, 1000),
    },
    { requiredKeys: [...required, 'purposes'] },
  );
  const source = fc.record(
    {
      ...base,
      kind: or(pick(['source'], ['consent'])),
      provides: or(
        fc.array(fc.record({ category: id, retentionDays: int(1, 36_500) }, { requiredKeys: ['category'] }), {
          minLength: bad ? 0 : 1,
          maxLength: 2,
        }),
      ),
      requiresSubject: or(fc.boolean()),
      rights: or(
        fc.record(
          { export: or(fc.boolean()), erase: or(fc.boolean()), rectify: or(fc.boolean()) },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [...required, 'provides'] },
  );
  const consent = fc.record(
    { ...base, kind: or(pick(['consent'], ['strategy'])), canGrant: or(fc.boolean()) },
    { requiredKeys: [...required] },
  );
  return { strategy, source, consent };
}
const good = manifests(false);
const near = manifests(true);
const any = (k: 'strategy' | 'source' | 'consent') =>
  fc.oneof({ weight: 3, arbitrary: good[k] }, { weight: 6, arbitrary: near[k] }, other);

describe('manifest checks', () => {
  it('check a strategy manifest exactly as StrategyManifestSchema does', () => {
    fc.assert(
      fc.property(any('strategy'), (m) => sameAsSchema(strategyManifest, StrategyManifestSchema, m)),
      { numRuns: 3000 },
    );
  });
  it('check a data source manifest exactly as DataSourceManifestSchema does', () => {
    fc.assert(
      fc.property(any('source'), (m) => sameAsSchema(dataSourceManifest, DataSourceManifestSchema, m)),
      { numRuns: 3000 },
    );
  });
  it('check a consent provider manifest exactly as ConsentProviderManifestSchema does', () => {
    fc.assert(
      fc.property(any('consent'), (m) =>
        sameAsSchema(consentProviderManifest, ConsentProviderManifestSchema, m),
      ),
      { numRuns: 3000 },
    );
  });
  it('a bad manifest throws INVALID_MANIFEST naming the field and how to fix it', () => {
    expect(() =>
      defineStrategy({
        manifest: { name: 'x', version: '1.0', core: '^0.1.0', purposes: ['measurement'] },
        decide: () => ({ proposals: [] }),
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_MANIFEST',
        path: ['manifest', 'version'],
        message: expect.stringContaining('semantic version'),
      }),
    );
  });
});
