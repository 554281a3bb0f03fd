import { describe, expect, it } from 'vitest';
import { AUDIT_STORE_CONFORMANCE } from './conformance.js';
import { memoryAuditStore } from './memory-store.js';

describe('memoryAuditStore conformance', () => {
  it('has the whole case list to run (an empty list would prove nothing)', () => {
    expect(AUDIT_STORE_CONFORMANCE.length).toBeGreaterThanOrEqual(8);
  });
  // Each case checks the store itself and throws with a message naming what it broke.
  for (const c of AUDIT_STORE_CONFORMANCE) it(c.name, () => c.run(() => memoryAuditStore()));
});
