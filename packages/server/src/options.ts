import type { Tactful } from '@tactful/config';
import type { SessionStore } from '@tactful/anonymous-session';
import { type RateLimiter, parseOrThrow } from '@tactful/core';
import { z } from 'zod';

/** One line of the server's log. It never holds personal data: no subject id, address, agent or body. */
export interface ServerLogEntry {
  /** ISO 8601 time of the entry. */
  time: string;
  level: 'info' | 'warn' | 'error';
  /** What happened: `request`, `listening`, `shutdown`, `error`. */
  msg: string;
  method?: string;
  /** The route pattern (`/v1/consent/:purpose`), never the raw path with its values. */
  route?: string;
  status?: number;
  /** Time spent, in milliseconds. */
  ms?: number;
  /** The decision's trace id, when there was one. */
  traceId?: string;
  /** A stable error code (`STORE_FAILED` ...), for failures. */
  code?: string;
  /** Which caller class made the request: `browser`, `service:<token name>` or `anonymous`. */
  caller?: string;
}

/** Where log entries go. */
export type ServerLogger = (entry: ServerLogEntry) => void;

/** Logs one JSON line per entry on standard output. */
export const jsonLineLogger: ServerLogger = (entry) => {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
};

/** Options of `createServer`, beyond the configuration file's `server` section. */
export const ServerOptionsSchema = z.strictObject({
  /**
   * The secret that signs cookies (32+ characters). Default: `TACTFUL_SECRET`, else the secret the
   * assembly keeps in its storage folder, else a random one per process (cookies then end with it).
   */
  secret: z.string().min(32, 'use at least 32 characters (32 random bytes, base64-encoded)').optional(),
  /** The folder relative paths of a configuration start from (when a configuration is given). */
  baseDir: z.string().min(1).optional(),
  /**
   * `Secure` cookies: `auto` (default) sets them unless the request is to localhost/127.0.0.1/::1;
   * `true` always; `false` never (not recommended outside development).
   */
  secureCookies: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  /** Where log entries go (default: one JSON line each on stdout); `false` turns logging off. */
  log: z
    .union([
      z.literal(false),
      z.custom<ServerLogger>((v) => typeof v === 'function', 'pass a function (entry) => void'),
    ])
    .optional(),
  /** Anonymous sessions: idle expiry and caps (see `createSessionStore`). */
  session: z
    .strictObject({
      ttlMs: z
        .number()
        .int()
        .min(1000)
        .max(7 * 86_400_000)
        .optional(),
      maxEventsPerSession: z.number().int().min(1).max(500).optional(),
      maxSessions: z.number().int().min(1).max(10_000_000).optional(),
      /** Most estimated bytes of one session's events (default 64 KiB; oldest events go first). */
      maxBytesPerSession: z
        .number()
        .int()
        .min(1024)
        .max(64 * 1024 * 1024)
        .optional(),
      /** Most estimated bytes of all sessions (default 256 MiB; least recently active evicted). */
      maxBytes: z
        .number()
        .int()
        .min(1024)
        .max(64 * 1024 * 1024 * 1024)
        .optional(),
    })
    .default({}),
  /**
   * Where anonymous sessions live. Default: the configuration's `cache` section (Redis), else an
   * in-memory store local to this process. Several servers behind one load balancer need a shared one.
   */
  sessions: z
    .custom<SessionStore>(
      (v) => typeof v === 'object' && v !== null && typeof (v as SessionStore).open === 'function',
      'pass a SessionStore (createSessionStore() or redisSessionStore())',
    )
    .optional(),
  /**
   * The per-person limit of export and erasure requests (`server.limits.rightsPerHour`). Default: the
   * configuration's `cache` section (Redis), else an in-memory limiter local to this process.
   */
  rightsLimit: z
    .custom<RateLimiter>(
      (v) => typeof v === 'object' && v !== null && typeof (v as RateLimiter).hit === 'function',
      'pass a RateLimiter (an object with hit(key) and clear())',
    )
    .optional(),
  /** Most session events accepted in one `POST /v1/session/events` (400 past it). Default 50. */
  maxEventsPerRequest: z.number().int().min(1).max(500).default(50),
  /** How long `close()` waits for in-flight requests before cutting connections. Default 10 s. */
  shutdownTimeoutMs: z.number().int().min(0).max(600_000).default(10_000),
  /**
   * The date (YYYY-MM-DD) `/.well-known/gpc.json` gives as `lastUpdate`: when your handling of
   * Global Privacy Control last changed. Default: the day the server started.
   */
  gpcLastUpdate: z.iso.date().optional(),
  /** The clock, epoch milliseconds (rate limits, cookies). Default `Date.now`. */
  now: z
    .custom<() => number>((v) => typeof v === 'function', 'pass a function returning epoch ms')
    .optional(),
});
/** Options of `createServer`. */
export type ServerOptions = z.input<typeof ServerOptionsSchema>;
/** Options of `createServer`, with defaults applied. */
export type ResolvedServerOptions = z.output<typeof ServerOptionsSchema>;

/** Parses server options, throwing `INVALID_OPTIONS` naming the field. */
export function parseServerOptions(options: ServerOptions): ResolvedServerOptions {
  return parseOrThrow(ServerOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: '@tactful/server',
  });
}

/** The running Tactful a server is made of (`createTactful` from `@tactful/config`). */
export type Assembly = Tactful;
