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
