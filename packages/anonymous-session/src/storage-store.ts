import { CheckFailure, type SessionEvent, TactfulError, sessionEvent } from '@tactful/core';
import { createSessionId, isSessionIdFormat } from './session-id.js';
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
}

/** Options of {@link createStorageSessionStore}. */
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

/**
 * A {@link SessionStore} over Web Storage — `sessionStorage` in a browser, so the session ends when
 * the tab does. Stored state is re-validated on every read: anything tampered with or malformed is
 * discarded, never trusted. When storage is full, the oldest events are dropped to make room.
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
  const prefix = options.prefix ?? 'tactful.session.';
  const key = (id: string) => `${prefix}${id}`;

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
  const write = (id: string, stored: Stored): boolean => {
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
      stored.events.push(checkSessionEvent(event, limits.now()));
      if (stored.events.length > limits.maxEventsPerSession)
        stored.events.splice(0, stored.events.length - limits.maxEventsPerSession);
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
      return 0;
    },
  };
}
