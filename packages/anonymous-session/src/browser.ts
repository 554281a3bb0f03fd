import {
  type Decision,
  type DecisionRequestInput,
  type Session,
  TactfulError,
  isTactfulError,
} from '@tactful/core';
import type { SessionEventInput } from './session-store.js';
import { createStorageSessionStore, type StorageLike } from './storage-store.js';

/** Options of {@link createBrowserSession}. */
export interface BrowserSessionOptions {
  /** Where the session lives (default `globalThis.sessionStorage`: gone when the tab closes). */
  storage?: StorageLike;
  /** Idle expiry (default 30 minutes). */
  ttlMs?: number;
  /** Lifetime cap (default 12 hours). */
  maxAgeMs?: number;
  /** Most events kept (default 200). */
  maxEvents?: number;
  /**
   * Most bytes one session keeps, as the memory store estimates them (`eventBytes`), from 1024 to
   * 67108864 (default 65536): the oldest events are dropped first.
   */
  maxBytesPerSession?: number;
  /**
   * Most bytes every session under `prefix` in this storage keeps together, from
   * `maxBytesPerSession` up (default 268435456): the least recently active other sessions go first,
   * never the one being written. Needs a storage with `length` and `key()` (`sessionStorage` has
   * them). Keep it under the browser's quota (about 5 MB for `sessionStorage`).
   */
  maxBytes?: number;
  /** Storage key prefix (default `tactful.session.`). */
  prefix?: string;
  /** Clock (default `Date.now`). */
  now?: () => number;
}

/** Anything that decides: an orchestrator running in the page, or a function posting to your server. */
export type BrowserDecider =
  | { decide(request: DecisionRequestInput): Promise<Decision> }
  | ((request: DecisionRequestInput) => Promise<Decision>);

/** The visitor's anonymous session in this browser tab. */
export interface BrowserSession {
  /** The current session id (a new session starts when none is live). */
  readonly id: string;
  /** Records an event (`at` defaults to now). Invalid events throw `INVALID_INPUT`. */
  record(event: SessionEventInput): void;
  /** The session's events, oldest first. */
  events(): SessionEvent[];
  /** The session as a decision request carries it. */
  session(): Session;
  /** `request` with this session attached (to send to your decision server). */
  attach<T extends DecisionRequestInput>(request: T): T & { session: Session };
  /** Decides with this session attached: in the page (an orchestrator) or through your server (a function). */
  decide(decider: BrowserDecider, request: DecisionRequestInput): Promise<Decision>;
  /** A new id (call on sign-in and whenever consent changes); events are dropped unless `keepEvents`. */
  rotate(options?: { keepEvents?: boolean }): string;
  /** Ends the session: its state is removed from storage. */
  end(): void;
}

type SessionEvent = Session['events'][number];

/** The page's option names, for the store's (so an error names the field the page set). */
const OPTION_NAMES: Readonly<Record<string, keyof BrowserSessionOptions>> = {
  maxEventsPerSession: 'maxEvents',
};

/**
 * The storage store with the page's limits. A limit out of range throws `INVALID_OPTIONS` whose
 * message and `path` name the page's own option (`maxEvents`, `maxBytesPerSession`, `maxBytes` ...).
 */
function browserStore(storage: StorageLike, prefix: string, options: BrowserSessionOptions) {
  const limits = {
    ttlMs: options.ttlMs,
    maxAgeMs: options.maxAgeMs,
    maxEventsPerSession: options.maxEvents,
    maxBytesPerSession: options.maxBytesPerSession,
    maxBytes: options.maxBytes,
    now: options.now,
  };
  try {
    return createStorageSessionStore({
      storage,
      prefix,
      ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
    });
  } catch (error) {
    if (!isTactfulError(error) || error.code !== 'INVALID_OPTIONS') throw error;
    const field = String(error.path?.[0] ?? '');
    const name = OPTION_NAMES[field] ?? field;
    const rule = error.message.replace(/^[^:]*: /, '').replace(field, name);
    throw new TactfulError('INVALID_OPTIONS', `createBrowserSession: ${rule}`, {
      path: [name],
      cause: error,
    });
  }
}

/**
 * The browser entry point: records the visit's events in `sessionStorage` and attaches them to
 * decision requests, or runs the decision in the page. The current id is kept under
 * `<prefix>current`; whatever is read back from storage is re-validated, and a tampered or
 * expired session is replaced by a fresh one.
 *
 * @example
 * ```ts
 * import { createBrowserSession } from '@tactful/anonymous-session/browser';
 * const visit = createBrowserSession();
 * visit.record({ type: 'product_view', target: 'sku-123', topics: ['kids', 'toys'] });
 * const decision = await visit.decide((request) => fetch('/decide', { method: 'POST', body: JSON.stringify(request) }).then((r) => r.json()),
 *   { slots: [{ id: 'home.hero' }] });
 * ```
 */
export function createBrowserSession(options: BrowserSessionOptions = {}): BrowserSession {
  const storage = options.storage ?? (globalThis as { sessionStorage?: StorageLike }).sessionStorage;
  if (storage === undefined) {
    throw new TypeError('createBrowserSession: no sessionStorage here; pass { storage }');
  }
  const prefix = options.prefix ?? 'tactful.session.';
  const pointer = `${prefix}current`;
  const store = browserStore(storage, prefix, options);
  const current = (): string => {
    const { id, created } = store.open(storage.getItem(pointer));
    if (created) storage.setItem(pointer, id);
    return id;
  };
  const session = (): Session => store.session(current()) ?? { id: current(), events: [] };
  const attach = <T extends DecisionRequestInput>(request: T): T & { session: Session } => ({
    ...request,
    session: session(),
  });
  return {
    get id() {
      return current();
    },
    record(event) {
      const id = current();
      if (!store.record(id, event)) store.record(current(), event);
    },
    events: () => store.events(current()) ?? [],
    session,
    attach,
    decide(decider, request) {
      const withSession = attach(request);
      return typeof decider === 'function' ? decider(withSession) : decider.decide(withSession);
    },
    rotate(rotateOptions) {
      const id = store.rotate(current(), rotateOptions);
      storage.setItem(pointer, id);
      return id;
    },
    end() {
      const id = storage.getItem(pointer);
      if (id !== null) store.end(id);
      storage.removeItem(pointer);
    },
  };
}

export {
  createStorageSessionStore,
  type StorageLike,
  type StorageSessionStoreOptions,
} from './storage-store.js';
export type { SessionEventInput } from './session-store.js';
