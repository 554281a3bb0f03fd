import { TactfulError } from '@tactful/core';
import type { AuditAnchor, AuditEntry, AuditListOptions, AuditStore } from './types.js';

function copy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * The expected `seq` of the next entry: one past the tail, else one past the anchor, else 0.
 * Shared by stores so they agree on the append rule.
 */
export function nextSeq(tail: AuditEntry | undefined, anchor: AuditAnchor | undefined): number {
  if (tail) return tail.seq + 1;
  if (anchor) return anchor.seq + 1;
  return 0;
}

/** The `CONFLICT` error a store raises when an append does not continue the trail. */
export function appendConflict(expected: number, got: number): TactfulError {
  return new TactfulError(
    'CONFLICT',
    `audit store: entry ${got} does not continue the trail (next is ${expected}); another writer appended first — re-read the tail and retry`,
    { path: ['seq'] },
  );
}

/**
 * The in-memory audit store: the reference implementation of {@link AuditStore}. Entries are kept
 * as copies, so callers cannot change what is stored by mutating what they passed or got. Lost
 * when the process ends: use `sqliteAuditStore` from `@tactful/store-sqlite` to keep a trail.
 *
 * @example
 * ```ts
 * const trail = createAuditTrail({ store: memoryAuditStore(), key: secret });
 * ```
 */
export function memoryAuditStore(): AuditStore {
  const entries: AuditEntry[] = [];
  let anchor: AuditAnchor | undefined;
  return {
    async append(entry) {
      const expected = nextSeq(entries[entries.length - 1], anchor);
      if (entry.seq !== expected) throw appendConflict(expected, entry.seq);
      entries.push(copy(entry));
    },
    async appendMany(batch) {
      let expected = nextSeq(entries[entries.length - 1], anchor);
      for (const entry of batch) {
        if (entry.seq !== expected) throw appendConflict(expected, entry.seq);
        expected++;
      }
      for (const entry of batch) entries.push(copy(entry));
    },
    async tail() {
      const last = entries[entries.length - 1];
      return last ? copy(last) : undefined;
    },
    async list(options: AuditListOptions = {}) {
      const from = options.fromSeq ?? Number.NEGATIVE_INFINITY;
      const selected = entries.filter((e) => e.seq >= from);
      return copy(options.limit === undefined ? selected : selected.slice(0, options.limit));
    },
    async bySubject(subject) {
      return copy(entries.filter((e) => e.subject === subject));
    },
    async redactSubject(subject, redactedAt) {
      let count = 0;
      for (const e of entries) {
        if (e.subject !== subject) continue;
        e.subject = null;
        e.payload = null;
        e.redactedAt = redactedAt;
        count++;
      }
      return count;
    },
    async purge(throughSeq, newAnchor) {
      let count = 0;
      while (entries.length > 0 && entries[0]!.seq <= throughSeq) {
        entries.shift();
        count++;
      }
      anchor = copy(newAnchor);
      return count;
    },
    async anchor() {
      return anchor ? copy(anchor) : undefined;
    },
  };
}
