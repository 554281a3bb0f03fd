import { CheckFailure, type SessionEvent, TactfulError, sessionEvent } from '@tactful/core';
import { createSessionId, isSessionIdFormat } from './session-id.js';
import { SESSION_ENTRY_BYTES, eventBytes } from './event-bytes.js';
import { checkSessionEvent } from './session-event.js';
import {
  resolveSessionLimits,
  type ProcessLocalSessionStore,
  type SessionStore,
  type SessionStoreOptions,
} from './session-store.js';

/** The part of the Web Storage API the store uses (`sessionStorage` has it). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /**
   * How many keys the storage holds. With {@link StorageLike.key} (Web Storage has both), the store
   * can list its sessions: `maxBytes` needs that, and `sweep` removes expired sessions with it.
   */
  readonly length?: number;
  /** The name of the key at `index` (Web Storage's `key`). */
  key?(index: number): string | null;
}

/**
 * Options of {@link createStorageSessionStore}. `maxEventsPerSession` and `maxBytesPerSession` bound
 * each stored session (oldest events dropped first); `maxBytes` bounds every session the storage
 * holds under `prefix` (the least recently active evicted first) and needs a storage that lists its
 * keys (`length` and `key`, as `sessionStorage` does). Bytes are the memory store's estimate
 * ({@link eventBytes}), not the characters stored.
 */
export interface StorageSessionStoreOptions extends Omit<SessionStoreOptions, 'maxSessions'> {
  /** Where sessions are kept: `sessionStorage` in a browser (cleared when the tab closes). */
  storage: StorageLike;
  /** Key prefix (default `tactful.session.`). */
  prefix?: string;
}

interface Stored {
  v: 1;
  createdAt: number;
  lastSeenAt: number;
  events: SessionEvent[];
}

function readStored(raw: string | null): Stored | undefined {
  if (raw === null || raw.length > 2_000_000) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Partial<Stored>;
  if (
    s.v !== 1 ||
    !Number.isFinite(s.createdAt) ||
    !Number.isFinite(s.lastSeenAt) ||
    !Array.isArray(s.events)
  )
    return undefined;
  const events: SessionEvent[] = [];
  for (const e of s.events) {
    try {
      events.push(sessionEvent(e, []));
    } catch (error) {
      // A tampered or malformed stored event is dropped, never trusted.
      if (!(error instanceof CheckFailure)) throw error;
    }
  }
  return { v: 1, createdAt: s.createdAt as number, lastSeenAt: s.lastSeenAt as number, events };
}

/** The estimated bytes of a stored session: the memory store's measure of an entry and its events. */
function storedBytes(events: readonly SessionEvent[]): number {
  let bytes = SESSION_ENTRY_BYTES;
  for (const e of events) bytes += eventBytes(e);
  return bytes;
}

/**
 * A {@link SessionStore} over Web Storage — `sessionStorage` in a browser, so the session ends when
 * the tab does. Stored state is re-validated on every read: anything tampered with or malformed is
 * discarded, never trusted. Each session keeps within `maxEventsPerSession` and `maxBytesPerSession`
 * (oldest events dropped first), all of them within `maxBytes` (least recently active sessions
 * evicted first, never the one being written); when storage is full, the oldest events are dropped
 * to make room.
 *
 * @example
 * ```ts
 * const sessions = createStorageSessionStore({ storage: sessionStorage, ttlMs: 30 * 60_000 });
 * ```
 */
export function createStorageSessionStore(options: StorageSessionStoreOptions): ProcessLocalSessionStore {
  const limits = resolveSessionLimits({ ...options, maxSessions: 1 });
  const { storage } = options;
  if (
    typeof storage?.getItem !== 'function' ||
    typeof storage.setItem !== 'function' ||
    typeof storage.removeItem !== 'function'
  ) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      'storage session store: "storage" must implement getItem, setItem and removeItem (e.g. sessionStorage)',
      {
        path: ['storage'],
      },
    );
  }
  const listable = typeof storage.key === 'function' && typeof storage.length === 'number';
  if (options.maxBytes !== undefined && !listable) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      'storage session store: maxBytes needs a storage with length and key() (sessionStorage has them)',
      { path: ['maxBytes'] },
    );
  }
  const prefix = options.prefix ?? 'tactful.session.';
  const key = (id: string) => `${prefix}${id}`;
  /** The ids of every session stored under the prefix (none when the storage can't list keys). */
  const storedIds = (): string[] => {
    const ids: string[] = [];
    if (!listable) return ids;
    for (let i = 0; i < (storage.length as number); i++) {
      const name = storage.key!(i);
      if (name?.startsWith(prefix) && isSessionIdFormat(name.slice(prefix.length)))
        ids.push(name.slice(prefix.length));
    }
    return ids;
  };

  const alive = (id: string): Stored | undefined => {
    if (!isSessionIdFormat(id)) return undefined;
    const stored = readStored(storage.getItem(key(id)));
    if (stored === undefined) {
      storage.removeItem(key(id));
      return undefined;
    }
    const now = limits.now();
    if (
      now - stored.lastSeenAt >= limits.ttlMs ||
      now - stored.createdAt >= limits.maxAgeMs ||
      stored.createdAt > now + 60_000
    ) {
      storage.removeItem(key(id));
      return undefined;
    }
    return stored;
  };
  /** Drops the session's oldest events while it is over `maxEventsPerSession` or `maxBytesPerSession`. */
  const trim = (stored: Stored): number => {
    const events = stored.events;
    let bytes = storedBytes(events);
    let cut = 0;
    while (
      events.length - cut > limits.maxEventsPerSession ||
      (bytes > limits.maxBytesPerSession && events.length - cut > 0)
    ) {
      bytes -= eventBytes(events[cut]!);
      cut++;
    }
    if (cut > 0) events.splice(0, cut);
    return bytes;
  };
  /** Evicts the least recently active other sessions while all of them together are over `maxBytes`. */
  const evict = (keep: string, keepBytes: number): void => {
    const others: [lastSeenAt: number, id: string, bytes: number][] = [];
    let total = keepBytes;
    for (const id of storedIds()) {
      const stored = id === keep ? undefined : alive(id);
      if (stored === undefined) continue;
      const bytes = storedBytes(stored.events);
      others.push([stored.lastSeenAt, id, bytes]);
      total += bytes;
    }
    others.sort((a, b) => a[0] - b[0]);
    for (const [, id, bytes] of others) {
      if (total <= limits.maxBytes) break;
      storage.removeItem(key(id));
      total -= bytes;
    }
  };
  const write = (id: string, stored: Stored): boolean => {
    evict(id, trim(stored));
    for (;;) {
      try {
        storage.setItem(key(id), JSON.stringify(stored));
        return true;
      } catch {
        // Quota exceeded: drop the oldest half of the events and try again.
        if (stored.events.length === 0) return false;
        stored.events.splice(0, Math.ceil(stored.events.length / 2));
      }
    }
  };
  const start = (events: SessionEvent[] = []): string => {
    let id = createSessionId();
    while (storage.getItem(key(id)) !== null) id = createSessionId();
    const now = limits.now();
    write(id, { v: 1, createdAt: now, lastSeenAt: now, events });
    return id;
  };

  return {
    open(candidate) {
      if (typeof candidate === 'string') {
        const stored = alive(candidate);
        if (stored !== undefined) {
          stored.lastSeenAt = limits.now();
          write(candidate, stored);
          return { id: candidate, created: false };
        }
      }
      return { id: start(), created: true };
    },
    record(id, event) {
      const stored = alive(id);
      if (stored === undefined) return false;
      // write() trims to maxEventsPerSession and maxBytesPerSession.
      stored.events.push(checkSessionEvent(event, limits.now()));
      stored.lastSeenAt = limits.now();
      return write(id, stored);
    },
    events(id) {
      return alive(id)?.events;
    },
    session(id) {
      const stored = alive(id);
      return stored === undefined ? undefined : { id, events: stored.events };
    },
    rotate(id, rotateOptions = {}) {
      const stored = alive(id);
      if (stored === undefined)
        throw new TactfulError(
          'NOT_FOUND',
          'storage session store: no live session with that id to rotate; open one',
        );
      storage.removeItem(key(id));
      return start(rotateOptions.keepEvents ? stored.events : []);
    },
    end(id) {
      storage.removeItem(key(id));
    },
    sweep() {
      let removed = 0;
      for (const id of storedIds()) if (alive(id) === undefined) removed++;
      return removed;
    },
  };
}
