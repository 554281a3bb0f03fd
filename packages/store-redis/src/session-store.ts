import {
  type OpenedSession,
  type SessionStore,
  type SessionStoreOptions,
  createSessionId,
  isSessionIdFormat,
  resolveSessionLimits,
  toSessionEvent,
} from '@tactful/anonymous-session';
import { type Session, type SessionEvent, SessionEventSchema, TactfulError } from '@tactful/core';
import { type RedisConnectionOptions, redisConnection, redisGuard } from './connection.js';

/** Options of {@link redisSessionStore}. */
export interface RedisSessionStoreOptions
  extends RedisConnectionOptions,
    Pick<SessionStoreOptions, 'ttlMs' | 'maxAgeMs' | 'maxEventsPerSession'> {}

/** A {@link SessionStore} on Redis, with `close()`. */
export interface RedisSessionStore extends SessionStore {
  open(candidate?: string | null): Promise<OpenedSession>;
  record(id: string, event: Parameters<SessionStore['record']>[1]): Promise<boolean>;
  events(id: string): Promise<SessionEvent[] | undefined>;
  session(id: string): Promise<Session | undefined>;
  rotate(id: string, options?: { keepEvents?: boolean }): Promise<string>;
  end(id: string): Promise<void>;
  sweep(): Promise<number>;
  close(): Promise<void>;
  /** The keys of a session (its start time and its events), for tests and operators. */
  keysOf(id: string): [string, string];
}

const WHAT = 'redisSessionStore';

// KEYS: meta, events. ARGV: ttlMs, maxAgeMs. The session's remaining life: idle ttl, capped by its
// maximum age counted from its start (Redis's own clock, the same for every server).
const LIFE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function life(created, ttl, maxAge)
  local left = created + maxAge - now_ms()
  if left < ttl then return left end
  return ttl
end
`;

const TOUCH = `${LIFE}
local created = redis.call('GET', KEYS[1])
if not created then return 0 end
local ms = life(tonumber(created), tonumber(ARGV[1]), tonumber(ARGV[2]))
if ms <= 0 then redis.call('DEL', KEYS[1], KEYS[2]) return 0 end
redis.call('PEXPIRE', KEYS[1], ms)
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ms) end
return 1
`;

const START = `${LIFE}
if redis.call('SET', KEYS[1], now_ms(), 'NX', 'PX', ARGV[1]) then return 1 end
return 0
`;

const RECORD = `${LIFE}
local created = redis.call('GET', KEYS[1])
if not created then return 0 end
local ms = life(tonumber(created), tonumber(ARGV[1]), tonumber(ARGV[2]))
if ms <= 0 then redis.call('DEL', KEYS[1], KEYS[2]) return 0 end
redis.call('RPUSH', KEYS[2], ARGV[4])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('PEXPIRE', KEYS[1], ms)
redis.call('PEXPIRE', KEYS[2], ms)
return 1
`;

// KEYS: meta, events. The events of a live session, or nil (one round trip, no transaction).
const READ = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('LRANGE', KEYS[2], 0, -1)
`;

// KEYS: old meta, old events, new meta, new events. ARGV: ttlMs, keepEvents (1/0).
const ROTATE = `${LIFE}
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('SET', KEYS[3], now_ms(), 'PX', ARGV[1])
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('RENAME', KEYS[2], KEYS[4])
  redis.call('PEXPIRE', KEYS[4], ARGV[1])
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`;

/** Each script's command name on an ioredis client (the same for every store sharing the client). */
const SCRIPT_NAMES: ReadonlyMap<string, string> = new Map([
  [TOUCH, 'tactfulSessionTouch'],
  [START, 'tactfulSessionStart'],
  [RECORD, 'tactfulSessionRecord'],
  [READ, 'tactfulSessionRead'],
  [ROTATE, 'tactfulSessionRotate'],
]);

/**
 * Anonymous sessions in Redis, shared by every server behind the load balancer (P7): a session is
 * two keys (its start time and its events) that expire after `ttlMs` without activity and at
 * `maxAgeMs` at the latest, measured on Redis's clock, so nothing outlives the session — Redis
 * deletes the keys itself. Ended and rotated sessions are deleted at once; nothing else is kept (no
 * list of retired ids: a new id is 144 random bits). Events are validated before they are written
 * and again when read back.
 *
 * @example
 * ```ts
 * import { redisSessionStore } from '@tactful/store-redis';
 * const sessions = redisSessionStore({ url: process.env.REDIS_URL, ttlMs: 30 * 60_000 });
 * const server = await createServer(config, { sessions });
 * ```
 */
export function redisSessionStore(options: RedisSessionStoreOptions): RedisSessionStore {
  const limits = resolveSessionLimits({
    ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
    ...(options.maxEventsPerSession === undefined
      ? {}
      : { maxEventsPerSession: options.maxEventsPerSession }),
  });
  const conn = redisConnection(WHAT, options);
  const { redis } = conn;
  const keysOf = (id: string): [string, string] => [
    `${conn.prefix}session:${id}`,
    `${conn.prefix}session:${id}:events`,
  ];
  const run = <T>(what: string, fn: () => Promise<T>) => redisGuard(WHAT, what, fn);
  // Scripts are sent once and then called by their SHA (EVALSHA), not re-sent with every call.
  const evalScript = (script: string, keys: string[], args: Array<string | number>): Promise<number> => {
    const name = SCRIPT_NAMES.get(script) as string;
    const client = redis as unknown as Record<string, (...a: unknown[]) => Promise<number>>;
    if (typeof client[name] !== 'function')
      redis.defineCommand(name, { numberOfKeys: keys.length, lua: script });
    return (client[name] as (...a: unknown[]) => Promise<number>)(...keys, ...args);
  };

  const start = async (): Promise<string> => {
    for (;;) {
      const id = createSessionId();
      if ((await evalScript(START, keysOf(id), [limits.ttlMs])) === 1) return id;
    }
  };
  const readEvents = async (id: string): Promise<SessionEvent[] | undefined> => {
    const raw = (await evalScript(READ, keysOf(id), [])) as unknown as string[] | null;
    if (raw === null) return undefined;
    const events: SessionEvent[] = [];
    for (const text of raw) {
      // What comes back from the store is checked again: anything altered is dropped, not trusted.
      try {
        const parsed = SessionEventSchema.safeParse(JSON.parse(text));
        if (parsed.success) events.push(Object.freeze(parsed.data));
      } catch {
        // Not JSON: dropped.
      }
    }
    return events;
  };

  return {
    keysOf,
    open: (candidate) =>
      run('open', async () => {
        if (isSessionIdFormat(candidate)) {
          if ((await evalScript(TOUCH, keysOf(candidate), [limits.ttlMs, limits.maxAgeMs])) === 1)
            return { id: candidate, created: false };
        }
        return { id: await start(), created: true };
      }),
    async record(id, event) {
      if (!isSessionIdFormat(id)) return false;
      const validated = toSessionEvent(event, Date.now());
      return run('record', async () => {
        const ok = await evalScript(RECORD, keysOf(id), [
          limits.ttlMs,
          limits.maxAgeMs,
          limits.maxEventsPerSession,
          JSON.stringify(validated),
        ]);
        return ok === 1;
      });
    },
    events: (id) =>
      isSessionIdFormat(id) ? run('events', () => readEvents(id)) : Promise.resolve(undefined),
    session: async (id) => {
      if (!isSessionIdFormat(id)) return undefined;
      const events = await run('session', () => readEvents(id));
      return events === undefined ? undefined : { id, events };
    },
    rotate: (id, rotateOptions = {}) =>
      run('rotate', async () => {
        if (isSessionIdFormat(id)) {
          for (;;) {
            const next = createSessionId();
            const [oldMeta, oldEvents] = keysOf(id);
            const [newMeta, newEvents] = keysOf(next);
            const done = await evalScript(
              ROTATE,
              [oldMeta, oldEvents, newMeta, newEvents],
              [limits.ttlMs, rotateOptions.keepEvents ? '1' : '0'],
            );
            if (done === 1) return next;
            if (done === -1) break;
          }
        }
        throw new TactfulError('NOT_FOUND', `${WHAT}: no live session with that id to rotate; open one`);
      }),
    end: (id) =>
      run('end', async () => {
        if (isSessionIdFormat(id)) await redis.del(...keysOf(id));
      }),
    // Redis expires the keys itself.
    sweep: async () => 0,
    close: () => conn.close(),
  };
}
