/**
 * `@tactful/audit/node`: what the audit trail can use in Node only (the main entry runs anywhere).
 *
 * @packageDocumentation
 */
/// <reference types="node" />
import { createHash, createHmac, createSecretKey } from 'node:crypto';
import type { Hashing } from './crypto.js';

/**
 * The audit trail's hashing on `node:crypto`: native SHA-256, and HMAC-SHA-256 with each key
 * prepared once as a `KeyObject` (no key padding or copying per message). The same digests as the
 * trail's built-in JavaScript hashing, so a trail written with one verifies with the other.
 *
 * @example
 * ```ts
 * createAuditTrail({ store, key, hashing: nodeAuditHashing() });
 * ```
 */
export function nodeAuditHashing(): Hashing {
  return {
    sha256Hex: (text) => createHash('sha256').update(text).digest('hex'),
    hmacKey(raw) {
      const key = createSecretKey(raw);
      return {
        mac: (text) => createHmac('sha256', key).update(text).digest(),
        macHex: (text) => createHmac('sha256', key).update(text).digest('hex'),
      };
    },
  };
}
