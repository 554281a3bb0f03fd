import { describe, expect, it } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import { consentProvider, request, strategy } from './fixtures.js';

describe('a plugin call', () => {
  it('drops a strategy whose decide getter throws at decision time; the decision goes on', async () => {
    const honest = strategy('honest');
    const base = strategy('hostile');
    let reads = 0;
    // Passes registration (the first read gives a function), then throws on every later read.
    const hostile = Object.defineProperty({ manifest: base.manifest }, 'decide', {
      enumerable: true,
      get() {
        reads++;
        if (reads > 1) throw new Error('no decide for you');
        return base.decide;
      },
    }) as unknown as typeof base;
    const tactful = createOrchestrator({
      consent: [consentProvider('consent')],
      strategies: [honest, hostile],
    });
    const decision = await tactful.decide(request());
    expect(decision.slots[0]).toMatchObject({ strategy: 'honest', isDefault: false });
    expect(reads).toBeGreaterThan(1);
    expect(decision.dropped).toContainEqual(
      expect.objectContaining({ plugin: 'hostile', kind: 'strategy', code: 'PLUGIN_FAILED' }),
    );
  });
});
