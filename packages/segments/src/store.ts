import type { SubjectStore } from '@tactful/core';

/** Stored memberships of one person. */
export interface StoredMemberships {
  memberships: string[];
  /** When they were last computed (ISO 8601), when the store knows. */
  updatedAt?: string;
}

/**
 * Where memberships are kept when an integrator wants them kept (they are not by default). A store
 * joins the person's export and erasure through the segments strategy's `source`.
 */
export interface MembershipStore {
  /** Replaces the person's memberships. */
  save(subjectId: string, memberships: ReadonlyArray<string>, at: number): void | Promise<void>;
  /** The person's memberships, if any are stored. */
  load(subjectId: string): StoredMemberships | undefined | Promise<StoredMemberships | undefined>;
  /** Erases everything stored about the person; returns how many items went. */
  erase(subjectId: string): number | Promise<number>;
  /** How many stored people are in a segment (usable as a population counter). */
  count?(segment: string): number | Promise<number>;
}

/**
 * An in-memory membership store: the reference implementation (and enough for one process).
 *
 * @example
 * ```ts
 * const store = memoryMembershipStore();
 * const strategy = segments({ segments, store });
 * createOrchestrator({ consent, sources: [subjectSource, strategy.source!], strategies: [strategy] });
 * ```
 */
export function memoryMembershipStore(): MembershipStore & { readonly size: number } {
  const rows = new Map<string, { memberships: string[]; updatedAt: string }>();
  return {
    save(subjectId, memberships, at) {
      rows.set(subjectId, { memberships: [...memberships], updatedAt: new Date(at).toISOString() });
    },
    load(subjectId) {
      const row = rows.get(subjectId);
      return row === undefined ? undefined : { memberships: [...row.memberships], updatedAt: row.updatedAt };
    },
    erase(subjectId) {
      const row = rows.get(subjectId);
      rows.delete(subjectId);
      return row === undefined ? 0 : row.memberships.length;
    },
    count(segment) {
      let n = 0;
      for (const row of rows.values()) if (row.memberships.includes(segment)) n++;
      return n;
    },
    get size() {
      return rows.size;
    },
  };
}

/**
 * Keeps memberships in a subject store (`derived.segments`, e.g. `memorySubjectStore()` or the
 * SQLite subject store), next to the rest of the person's profile: they then also follow that
 * store's retention, and `subjectSource` exports and erases them with everything else.
 *
 * @example
 * ```ts
 * const subjects = memorySubjectStore();
 * const strategy = segments({ segments, store: subjectMembershipStore(subjects) });
 * createOrchestrator({ consent, sources: [subjectSource({ store: subjects }), strategy.source!], strategies: [strategy] });
 * ```
 */
export function subjectMembershipStore(
  store: Pick<SubjectStore, 'getSegments' | 'setSegments'>,
): MembershipStore {
  return {
    async save(subjectId, memberships, at) {
      await store.setSegments(subjectId, memberships, { now: at });
    },
    async load(subjectId) {
      const names = await store.getSegments(subjectId);
      return names === undefined || names.length === 0 ? undefined : { memberships: [...names] };
    },
    async erase(subjectId) {
      const names = await store.getSegments(subjectId);
      if (names === undefined || names.length === 0) return 0;
      await store.setSegments(subjectId, []);
      return names.length;
    },
  };
}
