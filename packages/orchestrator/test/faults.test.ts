import type { PluginCallContext } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { type OrchestratorOptions, createOrchestrator } from '../src/index.js';
import { consentProvider, memorySource, request, since, strategy } from './fixtures.js';

const PROFILE = 'personalization.profile';
const timeouts = { consentMs: 50, sourceMs: 50, strategyMs: 50, decisionMs: 400 };
const never = () => new Promise<never>(() => {});
const fallback = () => strategy('fallback', { priority: -100 });

/** Builds an orchestrator with short deadlines and a well-behaved fallback strategy. */
function orchestrator(options: Partial<OrchestratorOptions>) {
  return createOrchestrator({
    consent: [consentProvider('opt-in')],
    timeouts,
    ...options,
    strategies: [...(options.strategies ?? []), fallback()],
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: since(start) };
}

describe('faults (P8): the decision still returns within its deadline', () => {
  it('drops a strategy that throws', async () => {
    const dropped: unknown[] = [];
    const tactful = orchestrator({
      strategies: [
        strategy('boom', {
          priority: 10,
          decide: () => {
            throw new Error('kaboom');
          },
        }),
      ],
    }).on('strategy:dropped', (e) => dropped.push(e));
    const { value: decision, ms } = await timed(() => tactful.decide(request()));
    expect(ms).toBeLessThan(timeouts.decisionMs);
    expect(decision.slots[0]?.strategy).toBe('fallback');
    expect(decision.dropped).toEqual([
      { plugin: 'boom', kind: 'strategy', outcome: 'failed', code: 'PLUGIN_FAILED', reason: 'threw: kaboom' },
    ]);
    expect(dropped).toEqual([expect.objectContaining({ plugin: 'boom', traceId: 'trace-0001' })]);
  });

  it('drops a strategy that never resolves, at its deadline, and aborts its signal', async () => {
    let seen: PluginCallContext | undefined;
    const tactful = orchestrator({
      strategies: [
        strategy('hang', {
          priority: 10,
          decide: (_input, ctx) => {
            seen = ctx;
            void ctx.signal;
            return never();
          },
        }),
      ],
    });
    const { value: decision, ms } = await timed(() => tactful.decide(request()));
    expect(ms).toBeGreaterThanOrEqual(timeouts.strategyMs - 5);
    expect(ms).toBeLessThan(timeouts.decisionMs);
    expect(decision.dropped[0]).toMatchObject({ plugin: 'hang', code: 'PLUGIN_TIMEOUT' });
    expect(decision.slots[0]?.strategy).toBe('fallback');
    expect(seen?.signal.aborted).toBe(true);
  });

  it('drops a strategy that returns {"__proto__": ...} and pollutes nothing', async () => {
    const hostile = JSON.parse(
      '{"__proto__": {"proposals": [{"slot": "home.hero", "content": "pwned", "reason": {"en": "x"}}], "polluted": true}}',
    );
    const tactful = orchestrator({
      strategies: [strategy('proto', { priority: 10, decide: () => hostile })],
    });
    const decision = await tactful.decide(request());
    expect(decision.dropped[0]).toMatchObject({ plugin: 'proto', code: 'INVALID_OUTPUT' });
    expect(decision.slots[0]?.content).toBe('fallback:home.hero');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('drops a strategy that returns 10 MB, without walking all of it', async () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const many = Array.from({ length: 200_000 }, (_, i) => ({
      slot: 'home.hero',
      content: i,
      reason: { en: 'x' },
    }));
    const tactful = orchestrator({
      strategies: [
        strategy('big-string', {
          priority: 10,
          decide: () => ({ proposals: [{ slot: 'home.hero', content: huge, reason: { en: 'x' } }] }),
        }),
        strategy('big-list', { priority: 10, decide: () => ({ proposals: many }) }),
        strategy('big-signal', {
          priority: 10,
          publishes: ['big.signal'],
          decide: () => ({ proposals: [], signals: { 'big.signal': huge } }),
        }),
      ],
    });
    const { value: decision, ms } = await timed(() => tactful.decide(request()));
    expect(ms).toBeLessThan(timeouts.decisionMs);
    expect(decision.dropped.map((d) => [d.plugin, d.code])).toEqual([
      ['big-string', 'PAYLOAD_TOO_LARGE'],
      ['big-list', 'INVALID_OUTPUT'],
      ['big-signal', 'PAYLOAD_TOO_LARGE'],
    ]);
    expect(decision.slots[0]?.strategy).toBe('fallback');
  });

  it('drops a strategy whose output is not plain data, or claims a category it was not given', async () => {
    const tactful = orchestrator({
      strategies: [
        strategy('fn', {
          priority: 10,
          decide: () => ({ proposals: [{ slot: 'home.hero', content: () => 1, reason: { en: 'x' } }] }),
        }),
        strategy('claim', {
          priority: 10,
          decide: () => ({
            proposals: [{ slot: 'home.hero', content: 1, reason: { en: 'x' }, categories: ['health'] }],
          }),
        }),
        strategy('score', {
          priority: 10,
          decide: () => ({ proposals: [{ slot: 'home.hero', content: 1, reason: { en: 'x' }, score: 7 }] }),
        }),
        strategy('cycle', {
          priority: 10,
          decide: () => {
            const a: Record<string, unknown> = {};
            a['self'] = a;
            return { proposals: [{ slot: 'home.hero', content: a, reason: { en: 'x' } }] };
          },
        }),
      ],
    });
    const decision = await tactful.decide(request());
    expect(decision.dropped.map((d) => [d.plugin, d.code])).toEqual([
      ['fn', 'INVALID_OUTPUT'],
      ['claim', 'UNDECLARED_READ'],
      ['score', 'INVALID_OUTPUT'],
      ['cycle', 'INVALID_OUTPUT'],
    ]);
    expect(decision.slots[0]?.strategy).toBe('fallback');
  });

  it('drops a synchronous strategy that blocks past its deadline', async () => {
    const tactful = orchestrator({
      strategies: [
        strategy('busy', {
          priority: 10,
          decide: () => {
            const end = performance.now() + timeouts.strategyMs + 10;
            while (performance.now() < end) {
              // Busy: a synchronous strategy cannot be interrupted, but its late answer is refused.
            }
            return { proposals: [{ slot: 'home.hero', content: 'late', reason: { en: 'x' } }] };
          },
        }),
      ],
    });
    const decision = await tactful.decide(request());
    expect(decision.dropped[0]).toMatchObject({ plugin: 'busy', code: 'PLUGIN_TIMEOUT' });
    expect(decision.slots[0]?.content).toBe('fallback:home.hero');
  });

  it('a strategy cannot mutate its input: the attempt throws and others see the data unchanged', async () => {
    const prefs = memorySource('prefs', {
      'profile.preferences': { interests: ['kids'], notInterested: [], answers: {} },
    });
    const reads = [{ category: 'profile.preferences', purpose: PROFILE }];
    const mutator = strategy('mutator', {
      purposes: [PROFILE],
      reads,
      priority: 10,
      decide: (input) => {
        (input.data['profile.preferences'] as { interests: string[] }).interests.push('weapons');
        (input.data as Record<string, unknown>)['health'] = 'injected';
        return { proposals: [] };
      },
    });
    const reader = strategy('reader', { purposes: [PROFILE], reads, signalReads: [], priority: 5 });
    const tactful = orchestrator({ sources: [prefs], strategies: [mutator, reader] });
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision.dropped[0]).toMatchObject({ plugin: 'mutator', code: 'PLUGIN_FAILED' });
    expect(decision.dropped[0]?.reason).toMatch(/read only|not extensible|Cannot add/);
    expect(reader.inputs[0]?.data).toEqual({
      'profile.preferences': { interests: ['kids'], notInterested: [], answers: {} },
    });
    expect(decision.slots[0]?.strategy).toBe('reader');
  });

  it('a source that rejects: its categories are missing, strategies still run', async () => {
    const failed: unknown[] = [];
    const broken = memorySource(
      'broken',
      { 'behavior.purchases': [] },
      { load: () => Promise.reject(new Error('db down')) },
    );
    const reader = strategy('reader', {
      purposes: [PROFILE],
      reads: [{ category: 'behavior.purchases', purpose: PROFILE }],
      priority: 10,
    });
    const tactful = orchestrator({ sources: [broken], strategies: [reader] }).on('source:failed', (e) =>
      failed.push(e),
    );
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision.dropped).toEqual([
      {
        plugin: 'broken',
        kind: 'source',
        outcome: 'failed',
        code: 'SOURCE_FAILED',
        reason: 'load failed: db down',
      },
    ]);
    expect(reader.inputs[0]?.data).toEqual({});
    expect(failed).toHaveLength(1);
  });

  it('a source that hangs is cut at its deadline and its signal aborted', async () => {
    let signal: AbortSignal | undefined;
    const hanging = memorySource(
      'hanging',
      { 'behavior.purchases': [] },
      {
        load: (_q, ctx) => {
          signal = ctx.signal;
          return never();
        },
      },
    );
    const reader = strategy('reader', {
      purposes: [PROFILE],
      reads: [{ category: 'behavior.purchases', purpose: PROFILE }],
      priority: 10,
    });
    const tactful = orchestrator({ sources: [hanging], strategies: [reader] });
    const { value: decision, ms } = await timed(() => tactful.decide(request({ subject: { id: 'u1' } })));
    expect(ms).toBeLessThan(timeouts.decisionMs);
    expect(decision.dropped[0]).toMatchObject({ plugin: 'hanging', code: 'PLUGIN_TIMEOUT' });
    expect(signal?.aborted).toBe(true);
    expect(decision.slots[0]?.strategy).toBe('reader');
  });

  it('a source returning garbage or a hostile object is refused', async () => {
    const garbage = memorySource('garbage', { 'behavior.purchases': [] }, { load: () => 42 });
    const getter = memorySource(
      'getter',
      { 'behavior.cart': {} },
      {
        load: () =>
          Object.defineProperty({}, 'behavior.cart', {
            enumerable: true,
            get: () => {
              throw new Error('trap');
            },
          }),
      },
    );
    const reader = strategy('reader', {
      purposes: [PROFILE],
      reads: [
        { category: 'behavior.purchases', purpose: PROFILE },
        { category: 'behavior.cart', purpose: PROFILE },
      ],
    });
    const decision = await orchestrator({ sources: [garbage, getter], strategies: [reader] }).decide(
      request({ subject: { id: 'u1' } }),
    );
    expect(decision.dropped.map((d) => [d.plugin, d.code])).toEqual([
      ['garbage', 'INVALID_OUTPUT'],
      ['getter', 'INVALID_OUTPUT'],
    ]);
  });

  it('a consent provider that throws means no consent: defaults, no source or strategy called', async () => {
    const events: unknown[] = [];
    const prefs = memorySource('prefs', { 'profile.preferences': {} });
    const reader = strategy('reader', {
      purposes: [PROFILE],
      reads: [{ category: 'profile.preferences', purpose: PROFILE }],
    });
    const tactful = createOrchestrator({
      consent: [
        consentProvider('opt-in'),
        consentProvider('broken', {
          resolve: () => {
            throw new Error('store unreachable');
          },
        }),
      ],
      sources: [prefs],
      strategies: [reader],
      timeouts,
    }).on('consent:failed', (e) => events.push(e));
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision.slots[0]?.isDefault).toBe(true);
    expect(decision.consent.purposes[PROFILE]).toMatchObject({
      status: 'denied',
      reason: expect.stringContaining('consent unavailable'),
    });
    expect(decision.dropped[0]).toMatchObject({
      plugin: 'broken',
      kind: 'consent',
      code: 'CONSENT_UNAVAILABLE',
    });
    expect(prefs.calls).toHaveLength(0);
    expect(reader.inputs).toHaveLength(0);
    expect(events).toHaveLength(1);
  });

  it('a consent provider that hangs or answers garbage means no consent', async () => {
    for (const resolve of [
      () => never(),
      () => ({ purposes: { [PROFILE]: { status: 'yes' } } }),
      () => null,
      () => JSON.parse('{"__proto__": {"purposes": {}}}'),
    ]) {
      const reader = strategy('reader', { purposes: [PROFILE] });
      const tactful = createOrchestrator({
        consent: [consentProvider('odd', { resolve: resolve as never })],
        strategies: [reader],
        timeouts,
      });
      const { value: decision, ms } = await timed(() => tactful.decide(request()));
      expect(ms).toBeLessThan(timeouts.decisionMs);
      expect(decision.slots[0]?.isDefault).toBe(true);
      expect(reader.inputs).toHaveLength(0);
      expect(decision.dropped[0]?.kind).toBe('consent');
    }
  });

  it('the decision deadline bounds a chain of slow strategies', async () => {
    const slow = (name: string, after?: string) =>
      strategy(name, {
        publishes: [`${name}.done`],
        ...(after ? { signalReads: [`${after}.done`] } : {}),
        decide: () => new Promise((r) => setTimeout(() => r({ proposals: [] }), 40)),
      });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      strategies: [slow('a'), slow('b', 'a'), slow('c', 'b'), slow('d', 'c'), slow('e', 'd')],
      timeouts: { ...timeouts, decisionMs: 100 },
    });
    const { value: decision, ms } = await timed(() => tactful.decide(request()));
    expect(ms).toBeLessThan(100 + 150);
    expect(decision.dropped.filter((d) => d.code === 'PLUGIN_TIMEOUT').length).toBeGreaterThanOrEqual(2);
    expect(decision.slots[0]?.isDefault).toBe(true);
  });

  it('a hostile thenable that throws from then() is dropped', async () => {
    const tactful = orchestrator({
      strategies: [
        strategy('thenable', {
          priority: 10,
          // A hostile thenable: its then() throws.
          decide: () =>
            Object.defineProperty({}, 'then', {
              value: () => {
                throw new Error('gotcha');
              },
            }) as never,
        }),
      ],
    });
    const decision = await tactful.decide(request());
    expect(decision.dropped[0]).toMatchObject({ plugin: 'thenable', code: 'PLUGIN_FAILED' });
  });
});

describe('a plugin is charged for its own time only', () => {
  // Calls in one synchronous loop share clock readings: the next call starts at the reading the one
  // before it ended with. What a slow plugin spent, in its call or in its thenable's `then`, must
  // never count against the next one.
  const busy = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // Busy: the time passes inside the plugin's own call.
    }
  };
  const data = { 'profile.preferences': { interests: ['kids'] } };
  const reads = [{ category: 'profile.preferences', purpose: PROFILE }];
  function engineAfter(first: () => unknown) {
    const second = memorySource('b-second', data, {
      load: () => {
        busy(40);
        return data;
      },
    });
    return {
      second,
      tactful: createOrchestrator({
        consent: [consentProvider('consent')],
        sources: [memorySource('a-first', data, { load: first }), second],
        strategies: [strategy('s', { purposes: [PROFILE], reads })],
        timeouts: { sourceMs: 100, decisionMs: 2000 },
      }),
    };
  }
  const dropped = (decision: { dropped: ReadonlyArray<{ plugin: string }> }) =>
    decision.dropped.map((d) => d.plugin);

  it('a source after a slow one (70 of its 100 ms) is not charged for them', async () => {
    const { tactful } = engineAfter(() => {
      busy(70);
      return data;
    });
    expect(dropped(await tactful.decide(request({ subject: { id: 'u1' } })))).toEqual([]);
  });

  it('a source after one that threw late is not charged for its time', async () => {
    const { tactful } = engineAfter(() => {
      busy(70);
      throw new Error('late');
    });
    expect(dropped(await tactful.decide(request({ subject: { id: 'u1' } })))).toEqual(['a-first']);
  });

  it("a source after one whose thenable's then ran slowly is not charged for it", async () => {
    const { tactful } = engineAfter(() => ({
      // biome-ignore lint/suspicious/noThenProperty: a hostile thenable, on purpose
      then(resolve: (v: unknown) => void) {
        busy(70);
        resolve(data);
      },
    }));
    expect(dropped(await tactful.decide(request({ subject: { id: 'u1' } })))).toEqual([]);
  });
});
