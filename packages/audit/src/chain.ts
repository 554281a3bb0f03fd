import { canonicalJson } from '@tactful/core';
import { type Hashing, type HmacKey, hmacHex } from './crypto.js';
import type { AuditAnchor, AuditEntry, AuditGapPayload, AuditPayload } from './types.js';

/** The `prev` of the first entry of a trail that was never purged. */
export const GENESIS = '0'.repeat(64);

/** SHA-256 of a payload's canonical JSON. */
export function payloadDigest(h: Hashing, payload: AuditPayload | AuditGapPayload): string {
  return h.sha256Hex(payloadJson(payload));
}

const isText = (v: unknown) => typeof v === 'string';
const textOrAbsent = (v: unknown) => v === undefined || typeof v === 'string';

/** True when every member of a payload has the type the trail writes, so the fast form applies. */
function isPlain(p: AuditPayload): boolean {
  if (Object.keys(p).length !== 9) return false;
  if (!isText(p.traceId) || !isText(p.decidedAt) || !isText(p.salt)) return false;
  if (p.subject !== null && !isText(p.subject)) return false;
  if (!Array.isArray(p.purposes) || !p.purposes.every(isText)) return false;
  if (!Array.isArray(p.categories) || !p.categories.every(isText)) return false;
  const shaped = (list: unknown, keys: number, check: (o: Record<string, unknown>) => boolean) =>
    Array.isArray(list) &&
    list.every(
      (o) =>
        typeof o === 'object' &&
        o !== null &&
        !Array.isArray(o) &&
        Object.keys(o).length <= keys &&
        check(o as Record<string, unknown>),
    );
  return (
    shaped(
      p.consent,
      4,
      (c) =>
        Object.keys(c).length ===
          2 + Number(c['recordId'] !== undefined) + Number(c['noticeVersion'] !== undefined) &&
        isText(c['purpose']) &&
        isText(c['provider']) &&
        textOrAbsent(c['recordId']) &&
        textOrAbsent(c['noticeVersion']),
    ) &&
    shaped(
      p.dropped,
      4,
      (d) =>
        Object.keys(d).length === 4 &&
        isText(d['plugin']) &&
        isText(d['kind']) &&
        isText(d['outcome']) &&
        isText(d['code']),
    ) &&
    shaped(
      p.slots,
      4,
      (s) =>
        Object.keys(s).length === 3 + Number(s['variant'] !== undefined) &&
        isText(s['slot']) &&
        isText(s['strategy']) &&
        textOrAbsent(s['variant']) &&
        typeof s['isDefault'] === 'boolean',
    )
  );
}

/**
 * The canonical JSON of a payload (exactly `canonicalJson(payload)`), built for the shape the trail
 * writes: members placed in sorted order and serialised once by `JSON.stringify`. Anything of
 * another shape goes through `canonicalJson`.
 */
export function payloadJson(p: AuditPayload | AuditGapPayload): string {
  if (!isPlain(p as AuditPayload)) return canonicalJson(p);
  return plainJson(p as AuditPayload);
}

function plainJson(p: AuditPayload): string {
  return JSON.stringify({
    categories: p.categories,
    consent: p.consent.map((c) => ({
      noticeVersion: c.noticeVersion,
      provider: c.provider,
      purpose: c.purpose,
      recordId: c.recordId,
    })),
    decidedAt: p.decidedAt,
    dropped: p.dropped.map((d) => ({ code: d.code, kind: d.kind, outcome: d.outcome, plugin: d.plugin })),
    purposes: p.purposes,
    salt: p.salt,
    slots: p.slots.map((s) => ({
      isDefault: s.isDefault,
      slot: s.slot,
      strategy: s.strategy,
      variant: s.variant,
    })),
    subject: p.subject,
    traceId: p.traceId,
  });
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
