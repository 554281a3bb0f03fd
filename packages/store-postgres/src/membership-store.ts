import type { PostgresSubjectStore } from './subject-store.js';

/**
 * Segment memberships kept in the PostgreSQL subject store (`derived.segments`), in the shape the
 * segments strategy's `store` option takes (`MembershipStore` of `@tactful/segments`), with `count`
 * so the same object is the population counter of the k-anonymity floor (`population`). Memberships
 * then follow the subject store's retention, export, erasure and tombstones, for every server.
 */
export interface PostgresMembershipStore {
  save(subjectId: string, memberships: ReadonlyArray<string>, at: number): Promise<void>;
  load(subjectId: string): Promise<{ memberships: string[]; updatedAt?: string } | undefined>;
  erase(subjectId: string): Promise<number>;
  /** How many stored people are in the segment (within retention). */
  count(segment: string): Promise<number>;
}

/**
 * Makes the membership store and population counter over a {@link PostgresSubjectStore}.
 *
 * @example
 * ```ts
 * const subjects = await postgresSubjectStore({ url: process.env.DATABASE_URL });
 * const memberships = postgresMembershipStore(subjects);
 * const strategy = segments({ segments: rules, store: memberships, population: memberships, k: 50 });
 * ```
 */
export function postgresMembershipStore(subjects: PostgresSubjectStore): PostgresMembershipStore {
  return {
    async save(subjectId, memberships, at) {
      await subjects.setSegments(subjectId, memberships, { now: at });
    },
    async load(subjectId) {
      const names = await subjects.getSegments(subjectId);
      return names === undefined || names.length === 0 ? undefined : { memberships: names };
    },
    async erase(subjectId) {
      const names = await subjects.getSegments(subjectId);
      if (names === undefined || names.length === 0) return 0;
      await subjects.setSegments(subjectId, []);
      return names.length;
    },
    count: (segment) => subjects.countSegment(segment),
  };
}
