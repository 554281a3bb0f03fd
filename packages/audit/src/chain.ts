import { canonicalJson } from '@tactful/core';
import { type Hashing, type HmacKey, hmacHex, toHex } from './crypto.js';
import type {
  AuditAnchor,
  AuditEntry,
  AuditGapPayload,
  AuditPayload,
  AuditSealBatch,
  AuditSealResult,
} from './types.js';

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

/** The canonical JSON of an entry's header (exactly `canonicalJson({ seq, at, digest, prev })`). */
function headerJson(entry: Pick<AuditEntry, 'seq' | 'at' | 'digest' | 'prev'>): string {
  const { seq, at, digest, prev } = entry;
  if (
    typeof at === 'string' &&
    typeof digest === 'string' &&
    typeof prev === 'string' &&
    Number.isSafeInteger(seq)
  )
    return `{"at":${JSON.stringify(at)},"digest":${JSON.stringify(digest)},"prev":${JSON.stringify(prev)},"seq":${seq}}`;
  return canonicalJson({ seq, at, digest, prev });
}

/** The link hash of an entry: HMAC of its canonical header. */
export function linkHash(key: HmacKey, entry: Pick<AuditEntry, 'seq' | 'at' | 'digest' | 'prev'>): string {
  return hmacHex(key, headerJson(entry));
}

/** The payload of a gap entry landing at `seq` (see {@link AuditGapPayload}). */
export function gapPayload(
  gap: { count: number; from: string; to: string; salt: string },
  seq: number,
): AuditGapPayload {
  const afterSeq = seq - 1;
  return {
    kind: 'gap',
    unrecorded: gap.count,
    afterSeq,
    from: gap.from,
    to: gap.to,
    message: `${gap.count} decision${gap.count === 1 ? '' : 's'} not recorded between seq ${afterSeq} and ${seq}`,
    subject: null,
    salt: gap.salt,
  };
}

/** One entry sealed by {@link auditSealer}: the header, its link hash, and the payload's canonical JSON. */
export interface SealedRow {
  readonly seq: number;
  readonly at: string;
  readonly subject: string | null;
  readonly digest: string;
  readonly prev: string;
  readonly hash: string;
  /** The payload's canonical JSON (what `digest` hashes), to store as the payload. */
  readonly text: string;
}

/**
 * The sealing of an {@link AuditStore.appendSealed} batch, for a store to run where its writes run
 * (a worker thread): given the trail's tail (`seq` and `hash` of the next entry's predecessor, read
 * in the store's write transaction), it digests each payload text, links each header to the one
 * before with the chain key's HMAC, and gives the rows to insert (a gap entry first, when the batch
 * carries one) and the answer for the trail. Exactly what the trail computes itself for a store
 * without `appendSealed`, so `verify()` checks both alike. Prepared keys are kept (a few).
 *
 * @example
 * ```ts
 * const seal = auditSealer(nodeAuditHashing());
 * // inside the store's write transaction:
 * const { rows, result } = seal(batch, { seq: tailSeq + 1, prev: tailHash });
 * for (const row of rows) insert(row);
 * return result;
 * ```
 */
export function auditSealer(
  h: Hashing,
): (
  batch: AuditSealBatch,
  head: { seq: number; prev: string },
) => { rows: SealedRow[]; result: AuditSealResult } {
  const keys = new Map<string, HmacKey>();
  return (batch, head) => {
    const id = toHex(batch.chainKey);
    let key = keys.get(id);
    if (key === undefined) {
      if (keys.size >= 4) keys.clear();
      key = h.hmacKey(batch.chainKey);
      keys.set(id, key);
    }
    const rows: SealedRow[] = [];
    const hashes: string[] = [];
    const digests: string[] = [];
    let { seq, prev } = head;
    const add = (text: string, subject: string | null) => {
      const digest = h.sha256Hex(text);
      const hash = hmacHex(key, headerJson({ seq, at: batch.at, digest, prev }));
      rows.push({ seq, at: batch.at, subject, digest, prev, hash, text });
      hashes.push(hash);
      digests.push(digest);
      seq++;
      prev = hash;
    };
    if (batch.gap !== undefined) add(payloadJson(gapPayload(batch.gap, seq)), null);
    for (let i = 0; i < batch.texts.length; i++) add(batch.texts[i]!, batch.subjects[i] ?? null);
    return { rows, result: { seq: head.seq, prev: head.prev, hashes, digests } };
  };
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
