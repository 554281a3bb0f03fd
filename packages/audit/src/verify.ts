import { anchorMac, GENESIS, linkHash, payloadDigest } from './chain.js';
import { type Hashing, type HmacKey, timingSafeEqual } from './crypto.js';
import {
  type AuditHead,
  type AuditProblem,
  type AuditStore,
  type AuditVerification,
  isGapPayload,
} from './types.js';

const PAGE = 1000;

/**
 * Walks the whole trail from its anchor (or the genesis) and reports every place it was tampered
 * with: a changed entry or payload (`modified`), a gap (`missing`), an entry out of sequence
 * (`out-of-order`), an entry that does not link to the one before (`broken-link`, from deletion,
 * insertion or reordering), a forged anchor, and — given a head kept elsewhere — a truncated tail.
 */
export async function verifyTrail(
  store: AuditStore,
  chainKey: HmacKey,
  expectedHead: AuditHead | undefined,
  h: Hashing,
): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const anchor = await store.anchor();
  let expectedSeq = 0;
  let prevHash = GENESIS;
  if (anchor) {
    const { mac, ...rest } = anchor;
    if (!timingSafeEqual(await anchorMac(chainKey, rest), mac)) {
      problems.push({
        kind: 'anchor-invalid',
        seq: anchor.seq,
        message: `the purge anchor at entry ${anchor.seq} is not signed by this trail's key: entries may have been deleted and the anchor forged`,
      });
    }
    expectedSeq = anchor.seq + 1;
    prevHash = anchor.hash;
  }

  let checked = 0;
  let redacted = 0;
  let gaps = 0;
  let unrecorded = 0;
  let head: AuditHead | undefined;
  const seen = new Map<number, string>();
  let fromSeq: number | undefined;
  for (;;) {
    const page = await store.list({ ...(fromSeq === undefined ? {} : { fromSeq }), limit: PAGE });
    // Each entry's hashes depend on stored values only, so a page is hashed concurrently.
    const computed = await Promise.all(
      page.map((e) =>
        Promise.all([linkHash(chainKey, e), e.payload === null ? null : payloadDigest(h, e.payload)]),
      ),
    );
    for (const [position, e] of page.entries()) {
      const [link, digest] = computed[position]!;
      const index = checked;
      checked++;
      if (e.seq > expectedSeq) {
        problems.push({
          kind: 'missing',
          seq: expectedSeq,
          index,
          message:
            e.seq - expectedSeq === 1
              ? `entry ${expectedSeq} is missing (deleted)`
              : `entries ${expectedSeq} to ${e.seq - 1} are missing (deleted)`,
        });
      } else if (e.seq < expectedSeq) {
        problems.push({
          kind: 'out-of-order',
          seq: e.seq,
          index,
          message: `entry ${e.seq} appears after entry ${expectedSeq - 1}: entries were reordered or duplicated`,
        });
      }
      if (!timingSafeEqual(link, e.hash)) {
        problems.push({
          kind: 'modified',
          seq: e.seq,
          index,
          message: `entry ${e.seq}: its header (seq, time, digest or link) does not match its signed hash: changed or forged`,
        });
      }
      if (e.prev !== prevHash) {
        problems.push({
          kind: 'broken-link',
          seq: e.seq,
          index,
          message: `entry ${e.seq} does not link to the entry before it: an entry was deleted, inserted or moved here`,
        });
      }
      if (e.payload !== null) {
        if (digest !== e.digest) {
          problems.push({
            kind: 'modified',
            seq: e.seq,
            index,
            message: `entry ${e.seq}: its payload was changed`,
          });
        } else if (e.subject !== e.payload.subject) {
          problems.push({
            kind: 'modified',
            seq: e.seq,
            index,
            message: `entry ${e.seq}: its subject index does not match its payload`,
          });
        } else if (isGapPayload(e.payload)) {
          // A signed account of decisions overload kept out of the trail: counted, not a problem.
          const n = e.payload.unrecorded;
          if (!Number.isSafeInteger(n) || n < 1 || !(e.payload.afterSeq < e.seq)) {
            problems.push({
              kind: 'modified',
              seq: e.seq,
              index,
              message: `entry ${e.seq}: a gap entry must count at least one decision and follow the entry it names`,
            });
          } else {
            gaps++;
            unrecorded += n;
          }
        }
      } else if (e.redactedAt === undefined || e.subject !== null) {
        problems.push({
          kind: 'modified',
          seq: e.seq,
          index,
          message: `entry ${e.seq}: its payload was removed without an erasure marker`,
        });
      } else {
        redacted++;
      }
      seen.set(e.seq, e.hash);
      prevHash = e.hash;
      expectedSeq = Math.max(expectedSeq, e.seq + 1);
      head = { seq: e.seq, hash: e.hash };
    }
    if (page.length < PAGE) break;
    fromSeq = page[page.length - 1]!.seq + 1;
  }

  if (expectedHead) {
    const at = seen.get(expectedHead.seq);
    if (at === undefined && (head === undefined || expectedHead.seq > head.seq)) {
      problems.push({
        kind: 'truncated',
        seq: expectedHead.seq,
        message: `the trail ends at ${head ? `entry ${head.seq}` : 'no entry'} but entry ${expectedHead.seq} was recorded: recent entries were deleted`,
      });
    } else if (at !== undefined && at !== expectedHead.hash) {
      problems.push({
        kind: 'modified',
        seq: expectedHead.seq,
        message: `entry ${expectedHead.seq} is not the one recorded as the head: the trail was rewritten`,
      });
    }
  }

  return {
    ok: problems.length === 0,
    checked,
    redacted,
    gaps,
    unrecorded,
    ...(anchor ? { anchor: { seq: anchor.seq, at: anchor.at } } : {}),
    ...(head ? { head } : {}),
    problems,
  };
}
