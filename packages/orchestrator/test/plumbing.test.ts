import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import { consentProvider, memorySource, request, strategy } from './fixtures.js';

const PROFILE = 'personalization.profile';

/** An orchestrator whose consent provider, source and two strategies all answer synchronously. */
function synchronousEngine(extra: { asyncSource?: boolean } = {}) {
  const prefs = memorySource(
    'prefs',
    { 'profile.preferences': { interests: ['kids'] } },
    extra.asyncSource ? { load: async () => ({ 'profile.preferences': { interests: ['kids'] } }) } : {},
  );
  const reads = [{ category: 'profile.preferences', purpose: PROFILE }];
  return createOrchestrator({
    consent: [consentProvider('opt-in')],
    sources: [prefs],
    strategies: [
      strategy('a', { purposes: [PROFILE], reads }),
      strategy('b', { purposes: [PROFILE], reads }),
    ],
  });
}

describe('plugin call plumbing', () => {
  afterEach(() => vi.restoreAllMocks());

  it('arms no timer and creates no AbortSignal for plugins that answer synchronously', async () => {
    const engine = synchronousEngine();
    await engine.decide(request({ subject: { id: 'u1' } }));
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const controllers = vi.spyOn(AbortController.prototype, 'abort');
    const signals = vi.spyOn(AbortController.prototype, 'signal', 'get');
    for (let i = 0; i < 5; i++) {
      const decision = await engine.decide(request({ subject: { id: 'u1' } }));
      expect(decision.slots.some((s) => !s.isDefault)).toBe(true);
    }
    expect(timers).not.toHaveBeenCalled();
    expect(controllers).not.toHaveBeenCalled();
    expect(signals).not.toHaveBeenCalled();
  });

  it('arms one deadline timer per call that answers with a promise, and only for it', async () => {
    const engine = synchronousEngine({ asyncSource: true });
    await engine.decide(request({ subject: { id: 'u1' } }));
    const timers = vi.spyOn(globalThis, 'setTimeout');
    await engine.decide(request({ subject: { id: 'u1' } }));
    expect(timers).toHaveBeenCalledTimes(1);
  });
});

/** How many promises `run` creates (async_hooks sees every one, the engine's and the plugins'). */
async function promisesCreatedBy(run: () => Promise<unknown>): Promise<number> {
  const { createHook } = await import('node:async_hooks');
  let count = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') count++;
    },
  });
  hook.enable();
  try {
    await run();
  } finally {
    hook.disable();
  }
  return count;
}

describe('a decision whose plugins all answer synchronously', () => {
  /** `n` strategies, `n` sources and `n` consent providers, all synchronous. */
  function engineWith(n: number) {
    const names = Array.from({ length: n }, (_, i) => `p${String(i).padStart(2, '0')}`);
    return createOrchestrator({
      consent: names.map((name) => consentProvider(`c-${name}`)),
      sources: names.map((name) =>
        memorySource(`s-${name}`, { 'profile.preferences': { interests: ['kids'] } }),
      ),
      strategies: names.map((name) =>
        strategy(name, {
          purposes: [PROFILE],
          reads: [{ category: 'profile.preferences', purpose: PROFILE }],
        }),
      ),
    });
  }

  it('takes no promise per plugin: as many promises with 12 plugins of each kind as with 1', async () => {
    const one = engineWith(1);
    const twelve = engineWith(12);
    const decide = (engine: ReturnType<typeof engineWith>) => () =>
      engine.decide(request({ subject: { id: 'u1' } }));
    await decide(one)();
    await decide(twelve)();
    const few = await promisesCreatedBy(decide(one));
    const many = await promisesCreatedBy(decide(twelve));
    expect(many).toBe(few);
    // The decision itself is one async call: a handful of promises, not one per plugin.
    expect(few).toBeLessThanOrEqual(3);
  });
});

describe('plugins that throw synchronously', () => {
  afterEach(() => vi.restoreAllMocks());

  const READS = [{ category: 'profile.preferences', purpose: PROFILE }];
  const boom = () => {
    throw new Error('boom');
  };

  /** One working source and strategy, plus `n` sources and `n` strategies that throw as soon as they are called. */
  function engineWithThrowing(n: number) {
    const names = Array.from({ length: n }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const data = { 'profile.preferences': { interests: ['kids'] } };
    return createOrchestrator({
      consent: [consentProvider('c-ok')],
      sources: [
        memorySource('s-ok', data),
        ...names.map((name) => memorySource(`s-${name}`, data, { load: boom })),
      ],
      strategies: [
        strategy('ok', { purposes: [PROFILE], reads: READS }),
        ...names.map((name) => strategy(name, { purposes: [PROFILE], reads: READS, decide: boom })),
      ],
    });
  }

  it('are dropped, each by name, with no timer and no promise per plugin', async () => {
    const one = engineWithThrowing(1);
    const six = engineWithThrowing(6);
    const decide = (engine: ReturnType<typeof engineWithThrowing>) => () =>
      engine.decide(request({ subject: { id: 'u1' } }));
    await decide(one)();
    const decision = await decide(six)();
    const dropped = decision.dropped.map((d) => `${d.kind} ${d.plugin} ${d.code}`);
    for (let i = 0; i < 6; i++) {
      expect(dropped).toContain(`source s-t0${i} SOURCE_FAILED`);
      expect(dropped).toContain(`strategy t0${i} PLUGIN_FAILED`);
    }
    expect(decision.slots.every((s) => s.strategy === 'ok')).toBe(true);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const few = await promisesCreatedBy(decide(one));
    const many = await promisesCreatedBy(decide(six));
    expect(timers).not.toHaveBeenCalled();
    expect(many).toBe(few);
  });

  it('drops a strategy that throws synchronously while the others are merged, with no timer', async () => {
    const engine = createOrchestrator({
      consent: [consentProvider('ok')],
      strategies: [
        strategy('works', { priority: 1 }),
        strategy('throws', {
          priority: 2,
          decide: () => {
            throw new Error('boom');
          },
        }),
      ],
    });
    await engine.decide(request());
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const decision = await engine.decide(request());
    expect(timers).not.toHaveBeenCalled();
    expect(decision.slots.every((s) => s.strategy === 'works')).toBe(true);
    expect(decision.dropped).toContainEqual(
      expect.objectContaining({
        plugin: 'throws',
        kind: 'strategy',
        code: 'PLUGIN_FAILED',
        reason: 'threw: boom',
      }),
    );
  });
});
