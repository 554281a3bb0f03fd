import {
  type ConsentQuery,
  type DataSourceQuery,
  DecisionRequestSchema,
  type StrategyInput,
  defineConsentProvider,
  defineDataSource,
  defineStrategy,
} from '@tactful/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOrchestrator } from '../src/index.js';

/**
 * Every plugin gets an immutable view: nothing a consent provider, a source or a strategy does to
 * what it was handed changes what the gate, the sources or any other plugin see (P1, P2). A hostile
 * plugin of each kind runs first and tries every write it can think of; observers of each kind run
 * after it and must see exactly what they see next to a harmless plugin in the same place.
 */

const PAGE = 'personalization.contextual';
const PROFILE = 'personalization.profile';

// biome-ignore lint/suspicious/noExplicitAny: an attacker writes anywhere; the test needs untyped access.
type View = Record<string, any>;
type Attack = (view: View) => void;

/** Writes a plugin may try on its view; each is tried on its own (a frozen view throws in strict mode). */
const ATTACKS: Record<string, Attack> = {
  deleteGpc: (v) => delete v['context'].gpc,
  clearGpc: (v) => {
    v['context'].gpc = false;
  },
  replaceSubjectId: (v) => {
    v['subject'].id = 'victim';
  },
  replaceSubject: (v) => {
    v['subject'] = { id: 'victim' };
  },
  replaceContext: (v) => {
    v['context'] = {};
  },
  attribute: (v) => {
    v['context'].attributes.tier = 'gold';
  },
  sessionEvents: (v) => {
    v['session'].events.length = 0;
  },
  sessionEvent: (v) => {
    v['session'].events[0].target = '/checkout';
  },
  purposes: (v) => v['purposes'].push('personalization.profile'),
  categories: (v) => v['categories'].push('behavior.purchases'),
  now: (v) => {
    v['now'] = 0;
  },
  slotDefault: (v) => {
    v['slots'][0].default.title = 'pwned';
  },
  slotDefaultDeep: (v) => {
    v['slots'][0].default.items.push('pwned');
  },
  slotId: (v) => {
    v['slots'][0].id = 'other.slot';
  },
  data: (v) => {
    v['data']['behavior.purchases'].push({ sku: 'pwned' });
  },
  dataPage: (v) => {
    v['data']['context.page'].attributes.tier = 'gold';
  },
  granted: (v) => v['granted'].push(PROFILE),
  signals: (v) => {
    v['signals']['seen'].push('pwned');
  },
};

function tryAll(view: View, attacks: readonly string[]): void {
  for (const a of attacks) {
    try {
      ATTACKS[a]!(view);
    } catch {
      // A frozen view refuses the write; the plugin carries on.
    }
  }
}

const snapshot = (v: unknown) => JSON.parse(JSON.stringify(v));

function engine(
  hostile: 'consent' | 'source' | 'strategy' | 'none',
  attacks: readonly string[],
  async: boolean,
) {
  const seen: Record<string, unknown[]> = { consent: [], source: [], strategy: [] };
  const later = <T>(v: T) => (async ? Promise.resolve(v) : v);
  const grantAll = (q: ConsentQuery) => ({
    purposes: Object.fromEntries(q.purposes.map((p) => [p, { status: 'granted' as const, provider: 'x' }])),
  });
  const first = defineConsentProvider({
    manifest: { name: 'a-first', version: '1.0.0', core: '^0.1.0' },
    resolve: (q) => {
      if (hostile === 'consent') tryAll(q as never, attacks);
      return later(grantAll(q));
    },
  });
  const observer = defineConsentProvider({
    manifest: { name: 'b-observer', version: '1.0.0', core: '^0.1.0' },
    resolve: (q) => {
      seen['consent']!.push(snapshot(q));
      // A GPC-style gate: a signal in the context denies everything.
      if (q.context.gpc === true)
        return {
          purposes: Object.fromEntries(
            q.purposes.map((p) => [p, { status: 'denied' as const, provider: 'b' }]),
          ),
        };
      return later(grantAll(q));
    },
  });
  const source = (name: string, record: boolean) =>
    defineDataSource({
      manifest: {
        name,
        version: '1.0.0',
        core: '^0.1.0',
        provides: [{ category: 'behavior.purchases' }],
        requiresSubject: true,
        rights: { erase: true },
      },
      load: (q: DataSourceQuery) => {
        if (record) seen['source']!.push(snapshot(q));
        else if (hostile === 'source') tryAll(q as never, attacks);
        return later({ 'behavior.purchases': [{ sku: `for-${q.subject?.id}` }] });
      },
      erase: async () => ({ erased: 0 }),
    });
  const strat = (name: string, record: boolean, priority: number) =>
    defineStrategy({
      manifest: {
        name,
        version: '1.0.0',
        core: '^0.1.0',
        purposes: [PAGE],
        reads: [
          { category: 'behavior.purchases', purpose: PROFILE },
          { category: 'context.page', purpose: PAGE },
          { category: 'subject.id', purpose: PROFILE },
        ],
        signals: { publishes: record ? [] : [{ name: 'seen' }], reads: record ? ['seen'] : [] },
        priority,
      },
      decide: (input: StrategyInput) => {
        if (record) seen['strategy']!.push(snapshot(input));
        else if (hostile === 'strategy') tryAll(input as never, attacks);
        return later({ proposals: [], ...(record ? {} : { signals: { seen: ['x'] } }) });
      },
    });
  const tactful = createOrchestrator({
    consent: [first, observer],
    // The hostile source is called first; both are called concurrently with the same context.
    sources: [source('a-source', false), source('b-source', true)],
    strategies: [strat('a-strategy', false, 1), strat('b-strategy', true, 0)],
  });
  return { tactful, seen };
}

function makeRequest(tier: string, gpc: boolean) {
  return {
    subject: { id: 'alice' },
    session: {
      id: 'sess_0123456789abcdef',
      events: [{ type: 'page_view' as const, at: '2026-01-15T09:00:00.000Z', target: '/home' }],
    },
    context: { gpc, attributes: { tier }, url: 'https://shop.example/' },
    slots: [{ id: 'home.hero', default: { title: 'Welcome', items: ['a'] } }],
    traceId: 'trace-views',
  };
}

describe('per-plugin immutable views', () => {
  // The server's clock, fixed so two runs compare equal.
  beforeEach(() => {
    vi.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-01-15T10:00:00.000Z'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('for every plugin kind, attack and path, other plugins and the gate see the original request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('consent' as const, 'source' as const, 'strategy' as const),
        fc.subarray(Object.keys(ATTACKS), { minLength: 1 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('silver', 'bronze'),
        async (kind, attacks, trusted, async, gpc, tier) => {
          const run = async (hostile: typeof kind | 'none') => {
            const { tactful, seen } = engine(hostile, attacks, async);
            const input = makeRequest(tier, gpc);
            // The trusted path takes the caller's parsed request as it is (a server parsed it).
            const req = trusted ? DecisionRequestSchema.parse(input) : input;
            const decision = await tactful.decide(req, { trusted });
            return {
              seen,
              decision: { ...decision, dropped: decision.dropped.filter((d) => !d.plugin.startsWith('a-')) },
            };
          };
          const attacked = await run(kind);
          const baseline = await run('none');
          expect(attacked.seen).toEqual(baseline.seen);
          expect(attacked.decision.consent).toEqual(baseline.decision.consent);
          expect(attacked.decision.slots).toEqual(baseline.decision.slots);
          expect(attacked.seen['consent']![0]).toMatchObject({ subject: { id: 'alice' } });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a later decision is not changed by what a plugin did in an earlier one', async () => {
    const { tactful, seen } = engine('strategy', Object.keys(ATTACKS), false);
    const shared = DecisionRequestSchema.parse(makeRequest('silver', false));
    await tactful.decide(shared, { trusted: true });
    await tactful.decide(shared, { trusted: true });
    expect(seen['strategy']![1]).toEqual(seen['strategy']![0]);
    expect(seen['source']![1]).toEqual(seen['source']![0]);
  });
});

describe('plugin output crosses the boundary frozen and checked', () => {
  const cat = 'behavior.purchases';
  const make = (answer: () => unknown, content: unknown = 'x') => {
    const seen: unknown[] = [];
    const source = defineDataSource({
      manifest: {
        name: 'src',
        version: '1.0.0',
        core: '^0.1.0',
        provides: [{ category: cat }],
        requiresSubject: true,
        rights: { erase: true },
      },
      load: () => answer() as Record<string, unknown>,
      erase: async () => ({ erased: 0 }),
    });
    const reader = (name: string, priority: number, write: boolean) =>
      defineStrategy({
        manifest: {
          name,
          version: '1.0.0',
          core: '^0.1.0',
          purposes: [PAGE],
          reads: [{ category: cat, purpose: PROFILE }],
          signals: { publishes: [], reads: [] },
          priority,
        },
        decide: (input: StrategyInput) => {
          const list = input.data[cat] as Array<Record<string, unknown>> | undefined;
          if (write && list?.[0]) {
            try {
              list[0]['sku'] = 'pwned';
            } catch {}
          }
          seen.push(snapshot(input.data));
          return { proposals: [{ slot: 'home.hero', content, reason: { en: 'r' } }] };
        },
      });
    const grant = defineConsentProvider({
      manifest: { name: 'grant', version: '1.0.0', core: '^0.1.0' },
      resolve: (q) => ({
        purposes: Object.fromEntries(
          q.purposes.map((p) => [p, { status: 'granted' as const, provider: 'g' }]),
        ),
      }),
    });
    const tactful = createOrchestrator({
      consent: [grant],
      sources: [source],
      strategies: [reader('writer', 1, true), reader('reader', 0, false)],
    });
    return { tactful, seen };
  };
  const req = { subject: { id: 'alice' }, slots: [{ id: 'home.hero' }] };

  it("freezes a source's answer all the way down, even when the source froze only its top", async () => {
    const { tactful, seen } = make(() => Object.freeze({ [cat]: Object.freeze([{ sku: 'tea' }]) }));
    await tactful.decide(req);
    expect(seen).toEqual([{ [cat]: [{ sku: 'tea' }] }, { [cat]: [{ sku: 'tea' }] }]);
  });

  it('drops a source whose answer holds a __proto__ key, naming the path', async () => {
    const { tactful } = make(() => JSON.parse(`{"${cat}": [{"__proto__": {"admin": true}}]}`));
    const decision = await tactful.decide(req);
    expect(decision.dropped).toContainEqual(
      expect.objectContaining({
        plugin: 'src',
        code: 'INVALID_OUTPUT',
        reason: expect.stringContaining('[0].__proto__'),
      }),
    );
  });

  it('drops a strategy whose content holds a constructor or prototype key instead of rewriting it', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const { tactful } = make(() => ({ [cat]: [] }), JSON.parse(`{"title": "t", "${key}": {"x": 1}}`));
      const decision = await tactful.decide(req);
      expect(decision.dropped.map((d) => [d.plugin, d.code])).toEqual([
        ['writer', 'INVALID_OUTPUT'],
        ['reader', 'INVALID_OUTPUT'],
      ]);
      expect(decision.slots[0]!.strategy).toBe('default');
    }
  });

  it('refuses a slot default that is not plain JSON or holds a forbidden key, with its path', async () => {
    const { tactful } = make(() => ({ [cat]: [] }));
    await expect(
      tactful.decide({ slots: [{ id: 'home.hero', default: JSON.parse('{"a":{"__proto__":{}}}') }] }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', path: ['slots', 0, 'default', 'a', '__proto__'] });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 5000; i++) deep = { d: deep };
    await expect(tactful.decide({ slots: [{ id: 'home.hero', default: deep }] })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(
      tactful.decide(DecisionRequestSchema.parse({ slots: [{ id: 'home.hero', default: deep }] }), {
        trusted: true,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
