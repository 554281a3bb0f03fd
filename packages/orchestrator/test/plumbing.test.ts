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
