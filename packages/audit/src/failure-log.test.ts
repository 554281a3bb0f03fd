import { defineConsentProvider, defineStrategy } from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuditTrail } from './audit-trail.js';
import { memoryAuditStore } from './memory-store.js';
import { TEST_KEY } from './test-helpers.js';

afterEach(() => vi.restoreAllMocks());

describe('a failing audit store', () => {
  it('logs one line without a stack trace, at most once a minute, counting what it held back', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken = memoryAuditStore();
    const failing = Object.assign(broken, {
      append: async () => {
        throw new Error('disk I/O error\n    at Database.prepare (native)');
      },
      appendMany: async () => {
        throw new Error('disk I/O error\n    at Database.prepare (native)');
      },
    });
    let t = Date.parse('2026-06-01T00:00:00Z');
    const trail = createAuditTrail({ store: failing, key: TEST_KEY, now: () => t });
    const engine = createOrchestrator({
      consent: [
        defineConsentProvider({
          manifest: { name: 'c', version: '1.0.0', core: '>=0.1.0' },
          resolve: () => ({ purposes: {} }),
        }),
      ],
      strategies: [
        defineStrategy({
          manifest: { name: 's', version: '1.0.0', core: '>=0.1.0', purposes: ['necessary'] },
          decide: () => ({ proposals: [] }),
        }),
      ],
    });
    trail.attach(engine);
    for (let i = 0; i < 20; i++) await engine.decide({ slots: [{ id: 'home.hero' }] });
    await new Promise((r) => setTimeout(r, 50));
    expect(warn).toHaveBeenCalledTimes(1);
    const [line, ...rest] = warn.mock.calls[0]!;
    expect(rest).toEqual([]);
    expect(typeof line).toBe('string');
    expect(line).toContain('disk I/O error');
    expect(line).not.toMatch(/\n|\bat\s+\S+\s+\(/);
    t += 61_000;
    await engine.decide({ slots: [{ id: 'home.hero' }] });
    await new Promise((r) => setTimeout(r, 50));
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toMatch(/\(\d+ more failures since the last warning\)/);
  });
});
