import {
  type Awaitable,
  REQUEST_LIMITS,
  SESSION_EVENT_TYPES,
  type Session,
  type SessionEvent,
  TactfulError,
} from '@tactful/core';
import { checkSessionEvent } from './session-event.js';
import { createSessionId, isSessionIdFormat } from './session-id.js';

/** A session event as an app records it; `at` defaults to now. */
export type SessionEventInput = Omit<SessionEvent, 'at'> & { at?: string };

/** The result of {@link SessionStore.open}. */
export interface OpenedSession {
  /** The id to use from now on: the one given when it was live, else a new one. */
  readonly id: string;
  /** True when a new session was started (no id given, or it was unknown, expired or forged). */
  readonly created: boolean;
}

/**
 * Where anonymous sessions live (P7): a random id, the session's events, nothing else. Sessions
 * expire after `ttlMs` without activity; events per session are bounded (oldest dropped).
 * Every method may answer with a value (the in-memory and `sessionStorage` stores do, so a browser
 * tab can use them synchronously) or a promise (a store shared by a fleet, such as Redis): callers
 * `await` each result. Prove an implementation with {@link SESSION_STORE_CONFORMANCE}.
 */
export interface SessionStore {
  /**
   * Returns the live session `candidate` names, or starts a new one. An unknown, expired, retired
   * or malformed id is never adopted: a fresh random id replaces it.
   */
  open(candidate?: string | null): Awaitable<OpenedSession>;
  /** Appends an event (validated; `at` defaults to now). False when the session is not live: open one. */
  record(id: string, event: SessionEventInput): Awaitable<boolean>;
  /** The live session's events, oldest first, or `undefined`. */
  events(id: string): Awaitable<SessionEvent[] | undefined>;
  /** The session in the shape a decision request carries (`{ id, events }`), or `undefined`. */
  session(id: string): Awaitable<Session | undefined>;
  /**
   * Replaces the session's id with a new random one (call on sign-in and on any consent change) and
   * retires the old id for good. Events move to the new id only with `keepEvents: true`.
   * @throws TactfulError `NOT_FOUND` when the session is not live
   */
  rotate(id: string, options?: { keepEvents?: boolean }): Awaitable<string>;
  /** Ends the session now; its state is gone. */
  end(id: string): Awaitable<void>;
  /** Removes expired sessions; returns how many (a store whose engine expires keys itself returns 0). */
  sweep(): Awaitable<number>;
  /** Releases connections the store opened itself. */
  close?(): Awaitable<void>;
}

/**
 * A {@link SessionStore} that answers synchronously: the in-memory store and the `sessionStorage`
 * one. Its state is local to one process (or one tab).
 */
export interface ProcessLocalSessionStore extends SessionStore {
  open(candidate?: string | null): OpenedSession;
  record(id: string, event: SessionEventInput): boolean;
  events(id: string): SessionEvent[] | undefined;
  session(id: string): Session | undefined;
  rotate(id: string, options?: { keepEvents?: boolean }): string;
  end(id: string): void;
  sweep(): number;
}

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /** Idle time after which a session expires (default 30 minutes). */
  ttlMs?: number;
  /** Longest a session may live however active (default 12 hours). */
  maxAgeMs?: number;
  /** Most events kept per session; older ones are dropped (default 200, at most 500). */
  maxEventsPerSession?: number;
  /** Most live sessions; the least recently active is dropped beyond it (default 100,000). */
  maxSessions?: number;
  /**
   * Most bytes one session's events may take (an estimate of their size in memory; default 64 KiB):
   * past it the oldest events go first.
   */
  maxBytesPerSession?: number;
  /**
   * Most bytes all sessions together may take (estimated; default 256 MiB): past it the least
   * recently active sessions are evicted, so sessions made by clients (one click each) can't
   * outgrow the heap.
   */
  maxBytes?: number;
  /** Clock, epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

/** Resolved store limits. */
export interface SessionLimits {
  ttlMs: number;
  maxAgeMs: number;
  maxEventsPerSession: number;
  maxSessions: number;
  maxBytesPerSession: number;
  maxBytes: number;
  now: () => number;
}

/** Checks store options and fills defaults. @throws TactfulError `INVALID_OPTIONS` */
export function resolveSessionLimits(options: SessionStoreOptions = {}): SessionLimits {
  const limits = {
    ttlMs: options.ttlMs ?? 30 * 60_000,
    maxAgeMs: options.maxAgeMs ?? 12 * 3_600_000,
    maxEventsPerSession: options.maxEventsPerSession ?? 200,
    maxSessions: options.maxSessions ?? 100_000,
    maxBytesPerSession: options.maxBytesPerSession ?? 64 * 1024,
    maxBytes: options.maxBytes ?? 256 * 1024 * 1024,
    now: options.now ?? Date.now,
  };
  const check = (field: keyof SessionLimits, ok: boolean, rule: string) => {
    if (!ok) {
      throw new TactfulError(
        'INVALID_OPTIONS',
        `session store: ${field} ${rule}, got ${String(limits[field])}`,
        { path: [field] },
      );
    }
  };
  const int = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  check('ttlMs', int(limits.ttlMs, 1000, 7 * 86_400_000), 'must be an integer from 1000 to 604800000 (ms)');
  check(
    'maxAgeMs',
    int(limits.maxAgeMs, limits.ttlMs, 30 * 86_400_000),
    'must be an integer from ttlMs to 30 days (ms)',
  );
  check(
    'maxEventsPerSession',
    int(limits.maxEventsPerSession, 1, REQUEST_LIMITS.maxSessionEvents),
    `must be an integer from 1 to ${REQUEST_LIMITS.maxSessionEvents}`,
  );
  check('maxSessions', int(limits.maxSessions, 1, 10_000_000), 'must be an integer from 1 to 10000000');
  check(
    'maxBytesPerSession',
    int(limits.maxBytesPerSession, 1024, 64 * 1024 * 1024),
    'must be an integer from 1024 to 67108864 (bytes)',
  );
  check(
    'maxBytes',
    int(limits.maxBytes, limits.maxBytesPerSession, 64 * 1024 * 1024 * 1024),
    'must be an integer from maxBytesPerSession to 68719476736 (bytes)',
  );
  check('now', typeof limits.now === 'function', 'must be a function');
  return limits;
}

/**
 * Validates an event an app records (core's `sessionEvent` check, equal to `SessionEventSchema`), filling `at`.
 * @throws TactfulError `INVALID_INPUT` naming the field
 */
export function toSessionEvent(event: SessionEventInput, now: number): SessionEvent {
  const fast =
    event !== null && typeof event === 'object' && event.at === undefined ? fastEvent(event, now) : undefined;
  return fast ?? checkSessionEvent(event, now);
}

const EVENT_TYPES: ReadonlySet<string> = new Set(SESSION_EVENT_TYPES);

/**
 * The common case without zod: an event without `at` whose fields all meet core's
 * `SessionEventSchema` exactly (the store stamps `at` itself). `undefined` sends the event through
 * core's `sessionEvent` check, which either accepts it or names the offending field.
 */
function fastEvent(event: SessionEventInput, now: number): SessionEvent | undefined {
  const { type, target, topics, durationMs } = event as Partial<SessionEvent>;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) return undefined;
  if (target !== undefined && (typeof target !== 'string' || target.length > REQUEST_LIMITS.maxString))
    return undefined;
  if (topics !== undefined) {
    if (!Array.isArray(topics) || topics.length > 20) return undefined;
    for (const t of topics) if (typeof t !== 'string' || t.length > 64) return undefined;
  }
  if (
    durationMs !== undefined &&
    !(Number.isInteger(durationMs) && durationMs >= 0 && durationMs <= 86_400_000)
  )
    return undefined;
  const out: SessionEvent = { type: type as SessionEvent['type'], at: new Date(now).toISOString() };
  if (target !== undefined) out.target = target;
  if (topics !== undefined) out.topics = [...topics];
  if (durationMs !== undefined) out.durationMs = durationMs;
  return Object.freeze(out);
}

interface Entry {
  createdAt: number;
  lastSeenAt: number;
  events: SessionEvent[];
  /** The estimated bytes of the entry and its events. */
  bytes: number;
}

/** Estimated bytes of a session entry without events (map slot, id, object). */
export const SESSION_ENTRY_BYTES = 200;

/**
 * The estimated bytes an event takes in memory: the object and its fields (V8 headers, pointers)
 * and its strings (two bytes a character, to be safe).
 */
export function eventBytes(event: SessionEvent): number {
  let bytes = 120 + 2 * (event.type.length + event.at.length);
  if (event.target !== undefined) bytes += 24 + 2 * event.target.length;
  if (event.topics !== undefined) {
    bytes += 32;
    for (const t of event.topics) bytes += 24 + 2 * t.length;
  }
  return bytes;
}

/** What the memory session store holds and what its bounds did (for metrics). */
export interface SessionStoreStats {
  /** Live sessions. */
  readonly sessions: number;
  /** Estimated bytes of every live session (at most `maxBytes`). */
  readonly bytes: number;
  /** Sessions evicted (least recently active first) to stay within `maxBytes` or `maxSessions`. */
  readonly evictedSessions: number;
  /** Events dropped (oldest first) to stay within `maxEventsPerSession` or `maxBytesPerSession`. */
  readonly trimmedEvents: number;
}

/**
 * An in-memory session store with idle expiry, a lifetime cap, bounded events per session and a
 * bounded number of sessions. The reference {@link SessionStore}; one process only (past one
 * machine, use a shared store with TTLs such as `redisSessionStore` from `@tactful/store-redis`).
 *
 * @example
 * ```ts
 * const sessions = createSessionStore({ ttlMs: 30 * 60_000, maxEventsPerSession: 200 });
 * const { id } = sessions.open(cookieValue);          // a forged or stale cookie gets a fresh id
 * sessions.record(id, { type: 'product_view', target: 'p-1', topics: ['kids'] });
 * await orchestrator.decide({ session: sessions.session(id), slots: [{ id: 'home.hero' }] });
 * ```
 */
export function createSessionStore(
  options: SessionStoreOptions = {},
): ProcessLocalSessionStore & { readonly size: number; readonly bytes: number; stats(): SessionStoreStats } {
  const limits = resolveSessionLimits(options);
  const live = new Map<string, Entry>();
  const retired = new Map<string, number>();
  let totalBytes = 0;
  let evictedSessions = 0;
  let trimmedEvents = 0;

  /** Forgets a live session and its bytes. */
  const drop = (id: string, entry: Entry): void => {
    live.delete(id);
    totalBytes -= entry.bytes;
  };
  /** Evicts the least recently active sessions (never `keep`) while over a bound. */
  const evict = (keep: string | undefined): void => {
    while (live.size > limits.maxSessions || totalBytes > limits.maxBytes) {
      let victim: string | undefined;
      for (const id of live.keys()) {
        if (id !== keep) {
          victim = id;
          break;
        }
      }
      if (victim === undefined) break;
      drop(victim, live.get(victim)!);
      evictedSessions++;
    }
  };
  /** Drops the oldest events of a session while it is over its own bounds. */
  const trim = (entry: Entry): void => {
    let cut = 0;
    let bytes = entry.bytes;
    const events = entry.events;
    while (
      events.length - cut > limits.maxEventsPerSession ||
      (bytes > limits.maxBytesPerSession && events.length - cut > 0)
    ) {
      bytes -= eventBytes(events[cut]!);
      cut++;
    }
    if (cut > 0) {
      events.splice(0, cut);
      totalBytes -= entry.bytes - bytes;
      entry.bytes = bytes;
      trimmedEvents += cut;
    }
  };

  const alive = (id: string): Entry | undefined => {
    const entry = live.get(id);
    if (entry === undefined) return undefined;
    const now = limits.now();
    if (now - entry.lastSeenAt >= limits.ttlMs || now - entry.createdAt >= limits.maxAgeMs) {
      drop(id, entry);
      return undefined;
    }
    return entry;
  };
  const touch = (id: string, entry: Entry): void => {
    entry.lastSeenAt = limits.now();
    // Map order = least recently active first.
    live.delete(id);
    live.set(id, entry);
  };
  const freshId = (): string => {
    for (;;) {
      const id = createSessionId();
      if (!live.has(id) && !retired.has(id)) return id;
    }
  };
  const retire = (id: string): void => {
    const entry = live.get(id);
    if (entry !== undefined) drop(id, entry);
    retired.set(id, limits.now() + limits.maxAgeMs);
    if (retired.size > limits.maxSessions) {
      const oldest = retired.keys().next();
      if (!oldest.done) retired.delete(oldest.value);
    }
  };
  const start = (events: SessionEvent[] = []): string => {
    const id = freshId();
    const now = limits.now();
    let bytes = SESSION_ENTRY_BYTES;
    for (const e of events) bytes += eventBytes(e);
    const entry: Entry = { createdAt: now, lastSeenAt: now, events, bytes };
    live.set(id, entry);
    totalBytes += bytes;
    trim(entry);
    evict(id);
    return id;
  };

  return {
    get size() {
      return live.size;
    },
    get bytes() {
      return totalBytes;
    },
    stats() {
      return { sessions: live.size, bytes: totalBytes, evictedSessions, trimmedEvents };
    },
    open(candidate) {
      if (isSessionIdFormat(candidate)) {
        const entry = alive(candidate);
        if (entry !== undefined) {
          touch(candidate, entry);
          return { id: candidate, created: false };
        }
      }
      return { id: start(), created: true };
    },
    record(id, event) {
      const entry = alive(id);
      if (entry === undefined) return false;
      const validated = toSessionEvent(event, limits.now());
      entry.events.push(validated);
      const added = eventBytes(validated);
      entry.bytes += added;
      totalBytes += added;
      trim(entry);
      touch(id, entry);
      evict(id);
      return true;
    },
    events(id) {
      const entry = alive(id);
      return entry === undefined ? undefined : [...entry.events];
    },
    session(id) {
      const entry = alive(id);
      return entry === undefined ? undefined : { id, events: [...entry.events] };
    },
    rotate(id, rotateOptions = {}) {
      const entry = alive(id);
      if (entry === undefined)
        throw new TactfulError(
          'NOT_FOUND',
          'session store: no live session with that id to rotate; open one',
        );
      retire(id);
      return start(rotateOptions.keepEvents ? entry.events : []);
    },
    end(id) {
      if (live.has(id)) retire(id);
    },
    sweep() {
      let removed = 0;
      for (const id of [...live.keys()]) if (alive(id) === undefined) removed++;
      const now = limits.now();
      for (const [id, until] of retired) if (until <= now) retired.delete(id);
      return removed;
    },
  };
}
