import { defineDataSource, defineStrategy } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateNotice } from './generate-notice.js';
import { renderNotice } from './render.js';
import { CONTROLLER } from './test-fixtures.js';
import { diffNotices } from './versions.js';

const CATEGORIES = [
  'context.time',
  'context.device',
  'session.events',
  'profile.preferences',
  'behavior.purchases',
  'behavior.cart',
  'derived.segments',
] as const;
const PURPOSES = [
  'personalization.contextual',
  'personalization.profile',
  'personalization.session',
  'marketing.email',
  'measurement',
] as const;

type Read = { category: (typeof CATEGORIES)[number]; purpose: (typeof PURPOSES)[number] };

const source = defineDataSource({
  manifest: {
    name: 'everything',
    version: '1.0.0',
    core: '>=0.1.0',
    provides: [
      { category: 'profile.preferences', retentionDays: 400 },
      { category: 'behavior.purchases', retentionDays: 365 },
      { category: 'behavior.cart', retentionDays: 30 },
      { category: 'derived.segments', retentionDays: 90 },
    ],
    rights: { export: true, erase: true },
  },
  load: () => ({}),
  export: async () => ({}),
  erase: async () => ({ erased: 0 }),
});

function strategy(index: number, purposes: string[], reads: Read[]) {
  return defineStrategy({
    manifest: { name: `s${index}`, version: '1.0.0', core: '>=0.1.0', purposes, reads },
    decide: () => ({ proposals: [] }),
  });
}

const readArb = fc.record({
  category: fc.constantFrom(...CATEGORIES),
  purpose: fc.constantFrom(...PURPOSES),
});
const strategyArb = fc.record({
  purposes: fc.uniqueArray(fc.constantFrom(...PURPOSES), { minLength: 1, maxLength: 3 }),
  reads: fc.uniqueArray(readArb, { maxLength: 5, selector: (r) => `${r.category}|${r.purpose}` }),
});

describe('drift-proofing, for any configuration', () => {
  it("adding a read to any strategy changes the text and that purpose's hash, and no other purpose's", () => {
    fc.assert(
      fc.property(
        fc.array(strategyArb, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        readArb,
        (specs, pick, added) => {
          const k = pick % specs.length;
          fc.pre(!specs[k]!.reads.some((r) => r.category === added.category && r.purpose === added.purpose));
          const build = (withAdded: boolean) =>
            generateNotice({
              strategies: specs.map((s, i) =>
                strategy(i, s.purposes, withAdded && i === k ? [...s.reads, added] : s.reads),
              ),
              sources: [source],
              controller: CONTROLLER,
            });
          const before = build(false);
          const after = build(true);
          const diff = diffNotices(before, after);
          // Other purposes never change.
          expect([...diff.changed, ...diff.added, ...diff.removed].every((p) => p === added.purpose)).toBe(
            true,
          );
          const section = (n: typeof before) =>
            renderNotice(n, { lang: 'en' })
              .split('### ')
              .filter((x) => x.startsWith(n.purposes[added.purpose]?.label.en ?? '\u0000'));
          const existed = before.purposes[added.purpose] !== undefined;
          const newToPurpose = !before.purposes[added.purpose]?.categories.some(
            (c) => c.id === added.category,
          );
          const newPlugin = !before.purposes[added.purpose]?.plugins.some((p) => p.name === `s${k}`);
          if (newToPurpose || newPlugin) {
            // Something new is disclosed: the purpose's hash, the version and the text in both languages change.
            expect(diff).toEqual({
              changed: existed ? [added.purpose] : [],
              added: existed ? [] : [added.purpose],
              removed: [],
            });
            expect(after.version).not.toBe(before.version);
            expect(JSON.parse(renderNotice(after, { format: 'json' }))).not.toEqual(
              JSON.parse(renderNotice(before, { format: 'json' })),
            );
            // New data is new text for people in both languages (a new plugin without a description
            // of its own is named in the JSON form only: people read no package names).
            if (newToPurpose) {
              expect(renderNotice(after, { lang: 'en' })).not.toBe(renderNotice(before, { lang: 'en' }));
              expect(renderNotice(after, { lang: 'vi' })).not.toBe(renderNotice(before, { lang: 'vi' }));
            }
          } else {
            // The same data for the same purpose by a plugin already named: nothing new to disclose, nothing to renew.
            expect(diff.changed).toEqual([]);
            expect(section(after)).toEqual(section(before));
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});
