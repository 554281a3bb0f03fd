import { describe, expect, it } from 'vitest';

/**
 * The shape of a segment membership store (`MembershipStore` of `@tactful/segments`), restated here
 * so the kit depends on `@tactful/core` alone. Each method may answer with a value or a promise.
 */
export interface MembershipStoreUnderTest {
  save(subjectId: string, memberships: ReadonlyArray<string>, at: number): void | Promise<void>;
  load(
    subjectId: string,
  ):
    | { memberships: string[]; updatedAt?: string }
    | undefined
    | Promise<{ memberships: string[]; updatedAt?: string } | undefined>;
  erase(subjectId: string): number | Promise<number>;
  count?(segment: string): number | Promise<number>;
}

/** How {@link describeMembershipStoreConformance} makes stores. */
export interface MembershipStoreFactory {
  /** A fresh, empty store whose clock reads `now` (retention is judged against it). */
  create(options: { now: () => number }): MembershipStoreUnderTest | Promise<MembershipStoreUnderTest>;
  /** Whether the store counts members (`count`); when true, the counting cases must pass. */
  counts?: boolean;
}

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

/**
 * The cases every segment membership store passes (memory, kept in a subject store, PostgreSQL):
 * memberships round-trip and are replaced whole, people are kept apart, erasure removes everything
 * and says how much, and — for stores that count — `count` is the number of people in a segment,
 * usable as the population counter of the k-anonymity floor.
 *
 * @example
 * ```ts
 * describeMembershipStoreConformance('memoryMembershipStore', { create: () => memoryMembershipStore(), counts: true });
 * ```
 */
export function describeMembershipStoreConformance(name: string, factory: MembershipStoreFactory): void {
  describe(`${name} keeps the MembershipStore contract`, () => {
    const make = () => factory.create({ now: () => T0 });

    it('gives back the memberships saved, and nothing for an unknown person', async () => {
      const s = await make();
      await s.save('p-1', ['loyal', 'new'], T0);
      expect((await s.load('p-1'))?.memberships.sort()).toEqual(['loyal', 'new']);
      expect(await s.load('nobody')).toBeUndefined();
    });

    it('replaces the memberships whole on each save', async () => {
      const s = await make();
      await s.save('p-1', ['loyal', 'new'], T0);
      await s.save('p-1', ['vip'], T0 + 1000);
      expect((await s.load('p-1'))?.memberships).toEqual(['vip']);
    });

    it('keeps people apart, and a caller cannot change what is stored through the list it gave or got', async () => {
      const s = await make();
      const given = ['loyal'];
      await s.save('p-1', given, T0);
      await s.save('p-2', ['new'], T0);
      given.push('changed');
      const got = await s.load('p-1');
      got?.memberships.push('changed-too');
      expect((await s.load('p-1'))?.memberships).toEqual(['loyal']);
      expect((await s.load('p-2'))?.memberships).toEqual(['new']);
    });

    it('erases a person: says how many memberships went, then holds nothing; idempotent', async () => {
      const s = await make();
      await s.save('p-1', ['loyal', 'new'], T0);
      await s.save('p-2', ['loyal'], T0);
      expect(await s.erase('p-1')).toBe(2);
      expect(await s.load('p-1')).toBeUndefined();
      expect(await s.erase('p-1')).toBe(0);
      expect((await s.load('p-2'))?.memberships).toEqual(['loyal']);
    });

    if (factory.counts) {
      it('counts the people in a segment (the population counter), following saves and erasures', async () => {
        const s = await make();
        const count = (segment: string) => s.count?.(segment);
        for (let i = 0; i < 7; i++) await s.save(`p-${i}`, i % 2 === 0 ? ['loyal', 'even'] : ['loyal'], T0);
        expect(await count('loyal')).toBe(7);
        expect(await count('even')).toBe(4);
        expect(await count('nobody')).toBe(0);
        await s.save('p-0', ['new'], T0);
        await s.erase('p-2');
        expect(await count('loyal')).toBe(5);
        expect(await count('even')).toBe(2);
      });
    }
  });
}
