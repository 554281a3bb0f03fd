import { canonicalJson } from '@tactful/core';
import { type Hashing, type HmacKey, hmacHex } from './crypto.js';
import type { AuditAnchor, AuditEntry, AuditPayload } from './types.js';

/** The `prev` of the first entry of a trail that was never purged. */
export const GENESIS = '0'.repeat(64);

/** SHA-256 of a payload's canonical JSON. */
export function payloadDigest(h: Hashing, payload: AuditPayload): string {
  return h.sha256Hex(canonicalJson(payload));
}

/** The link hash of an entry: HMAC of its canonical header. */
export function linkHash(key: HmacKey, entry: Pick<AuditEntry, 'seq' | 'at' | 'digest' | 'prev'>): string {
  return hmacHex(
    key,
    canonicalJson({ seq: entry.seq, at: entry.at, digest: entry.digest, prev: entry.prev }),
  );
}

/** The MAC of an anchor. */
export function anchorMac(key: HmacKey, anchor: Omit<AuditAnchor, 'mac'>): string {
  return hmacHex(
    key,
    canonicalJson({
      kind: 'anchor',
      seq: anchor.seq,
      hash: anchor.hash,
      at: anchor.at,
      purgedAt: anchor.purgedAt,
    }),
  );
}
