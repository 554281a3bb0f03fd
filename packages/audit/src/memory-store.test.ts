import { describe, it } from 'vitest';
import { AUDIT_STORE_CONFORMANCE } from './conformance.js';
import { memoryAuditStore } from './memory-store.js';

describe('memoryAuditStore conformance', () => {
  for (const c of AUDIT_STORE_CONFORMANCE) it(c.name, () => c.run(() => memoryAuditStore()));
});
