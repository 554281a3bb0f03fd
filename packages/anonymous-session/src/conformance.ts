import { isTactfulError } from '@tactful/core';
import { isSessionIdFormat } from './session-id.js';
import type { SessionStore } from './session-store.js';

/** What a session store conformance case gets: a fresh store with the idle expiry given, and a way to let time pass. */
export interface SessionStoreHarness {
  /** Makes a fresh store whose sessions expire after `ttlMs` idle (at least 1000). */
  create(options: { ttlMs: number; maxEventsPerSession?: number }): SessionStore | Promise<SessionStore>;
  /** Lets `ms` pass for the store: advance a fake clock, or really wait for a store whose engine keeps time. */
  advance(ms: number): void | Promise<void>;
}

/** One conformance case of a {@link SessionStore}: throws when the store breaks the contract. */
export interface SessionStoreCase {
  readonly name: string;
  run(harness: SessionStoreHarness): Promise<void>;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`session store conformance: ${message}`);
}

const TTL = 1000;

/**
 * The cases every {@link SessionStore} passes: the in-memory store and `redisSessionStore` from
 * `@tactful/store-redis` run them. Runnable with any test runner.
 *
 * @example
 * ```ts
 * for (const c of SESSION_STORE_CONFORMANCE) it(c.name, () => c.run({ create: (o) => createSessionStore({ ...o, now }), advance }));
 * ```
 */
export const SESSION_STORE_CONFORMANCE: ReadonlyArray<SessionStoreCase> = [
  {
    name: 'never adopts an unknown, forged or malformed id: a fresh random id replaces it',
    async run({ create }) {
      const store = await create({ ttlMs: 60_000 });
      for (const candidate of [undefined, null, '', 'x', 'A'.repeat(24), '../../etc/passwd', 'a b c']) {
        const opened = await store.open(candidate);
        check(opened.created === true, `open(${JSON.stringify(candidate)}) must start a new session`);
        check(opened.id !== candidate, 'a new session must not take the id offered');
        check(isSessionIdFormat(opened.id), `"${opened.id}" is not a session id`);
      }
    },
  },
  {
    name: 'reopens a live session by its id and keeps its events in order',
    async run({ create }) {
      const store = await create({ ttlMs: 60_000 });
      const { id } = await store.open();
      check(await store.record(id, { type: 'product_view', target: 'p1', topics: ['kids'] }), 'record');
      check(await store.record(id, { type: 'search', target: 'shoes' }), 'record a second event');
      const again = await store.open(id);
      check(again.id === id && again.created === false, 'a live id must be reopened as it is');
      const session = await store.session(id);
      check(session?.id === id, 'session() must give the id');
      check(session.events.map((e) => e.target).join(',') === 'p1,shoes', 'events oldest first');
      check(typeof session.events[0]?.at === 'string', 'record() stamps `at`');
      const events = await store.events(id);
      check(events?.length === 2, 'events() gives the same events');
    },
  },
  {
    name: 'refuses an invalid event with INVALID_INPUT and stores nothing',
    async run({ create }) {
      const store = await create({ ttlMs: 60_000 });
      const { id } = await store.open();
      let code: string | undefined;
      try {
        await store.record(id, { type: 'not-a-type' } as never);
      } catch (error) {
        code = isTactfulError(error) ? error.code : 'not a TactfulError';
      }
      check(code === 'INVALID_INPUT', `expected INVALID_INPUT, got ${code}`);
      check((await store.events(id))?.length === 0, 'nothing stored');
    },
  },
  {
    name: 'record() on a session that is not live answers false and creates nothing',
    async run({ create }) {
      const store = await create({ ttlMs: 60_000 });
      const ghost = 'AAAAAAAAAAAAAAAAAAAAAAAA';
      check((await store.record(ghost, { type: 'page_view' })) === false, 'record() must answer false');
      check((await store.session(ghost)) === undefined, 'no session appears');
      check((await store.open(ghost)).created === true, 'the id is still not adopted');
    },
  },
  {
    name: 'keeps at most maxEventsPerSession events, dropping the oldest',
    async run({ create }) {
      const store = await create({ ttlMs: 60_000, maxEventsPerSession: 3 });
      const { id } = await store.open();
      for (let i = 0; i < 5; i++) await store.record(id, { type: 'page_view', target: `/p${i}` });
      const events = (await store.events(id)) ?? [];
      check(events.map((e) => e.target).join(',') === '/p2,/p3,/p4', 'the three newest remain');
    },
  },
  {
    name: 'rotate() gives a fresh id, retires the old one for good, and moves events only when asked',
    async run({ create }) {
      const store = await create({ ttlMs: 60_000 });
      const { id } = await store.open();
      await store.record(id, { type: 'page_view', target: '/a' });
      const kept = await store.rotate(id, { keepEvents: true });
      check(kept !== id && isSessionIdFormat(kept), 'a new id');
      check((await store.session(id)) === undefined, 'the old id is gone');
      check((await store.open(id)).id !== id, 'the old id is never adopted again');
      check((await store.events(kept))?.length === 1, 'events moved with keepEvents');
      const fresh = await store.rotate(kept);
      check((await store.events(fresh))?.length === 0, 'no events without keepEvents');
      let code: string | undefined;
      try {
        await store.rotate('BBBBBBBBBBBBBBBBBBBBBBBB');
      } catch (error) {
        code = isTactfulError(error) ? error.code : 'not a TactfulError';
      }
      check(code === 'NOT_FOUND', `rotate() of a dead session must throw NOT_FOUND, got ${code}`);
    },
  },
  {
    name: 'end() removes the session and its events at once',
    async run({ create }) {
      const store = await create({ ttlMs: 60_000 });
      const { id } = await store.open();
      await store.record(id, { type: 'page_view' });
      await store.end(id);
      check((await store.session(id)) === undefined, 'ended');
      check((await store.events(id)) === undefined, 'no events left');
      check((await store.open(id)).id !== id, 'an ended id is never adopted');
    },
  },
  {
    name: 'a session idle past ttlMs is gone (P7), and activity keeps one alive',
    async run({ create, advance }) {
      const store = await create({ ttlMs: TTL });
      const idle = await store.open();
      const active = await store.open();
      await store.record(idle.id, { type: 'page_view' });
      for (let i = 0; i < 3; i++) {
        await advance(TTL * 0.6);
        check(await store.record(active.id, { type: 'page_view' }), 'an active session stays live');
      }
      check((await store.session(idle.id)) === undefined, 'the idle session expired');
      check((await store.open(idle.id)).created === true, 'an expired id is not adopted');
      check((await store.events(active.id))?.length === 3, 'the active one kept its events');
      await store.sweep();
    },
  },
];
