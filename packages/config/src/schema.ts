import { GpcConsentOptionsSchema } from '@tactful/consent';
import { TcfConsentOptionsSchema } from '@tactful/consent/tcf';
import { ContextualOptionsSchema, TrustedProxySchema, WeatherSourceOptionsSchema } from '@tactful/contextual';
import { CategoryDefinitionSchema, PurposeDefinitionSchema } from '@tactful/core';
import { DynamicContentOptionsSchema } from '@tactful/dynamic-content';
import { ControllerSchema, NOTICE_JURISDICTIONS, NoticeDateSchema } from '@tactful/notice';
import { SegmentsOptionsSchema } from '@tactful/segments';
import { JurisdictionRuleSchema } from '@tactful/subject';
import { AnonymousSessionOptionsSchema } from '@tactful/anonymous-session';
import { z } from 'zod';
import { connectionUrlSchema } from './env.js';

const Timeout = z.number().int().positive().max(60_000);
const RetentionDays = z.number().int().positive().max(36_500);

/**
 * Where Tactful keeps its records: SQLite files in a folder (default, one server), PostgreSQL (a
 * fleet of servers), or memory (tests, demos).
 */
export const StorageConfigSchema = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('sqlite'),
    /** The folder of the database files, relative to the configuration file. Created when missing. */
    directory: z.string().min(1).default('.tactful-data'),
    /**
     * Where SQLite runs: `worker` (default) on two database threads, so another process holding the
     * database's lock (a backup, the CLI, a migration) or a slow disk never stalls the server;
     * `main` in the server's own thread (slightly cheaper per call, but any wait blocks everything).
     */
    thread: z.enum(['worker', 'main']).default('worker'),
    /**
     * With `thread: worker`: where reads run. `thread` (default) on the reader thread, so no lock
     * held by another process ever blocks the server; `main-first` on the server's own thread
     * through a read-only connection that never waits for a lock, with the reader thread as the
     * fallback (cheaper per decision; see `openSqliteStores`' `reads` for the one wait it cannot bound).
     */
    reads: z.enum(['thread', 'main-first']).default('thread'),
  }),
  z.strictObject({
    driver: z.literal('postgres'),
    /** The connection URL, from the environment: `${env:DATABASE_URL}`. A literal password is refused. */
    url: connectionUrlSchema('postgres://tactful:${env:PGPASSWORD}@db.internal:5432/tactful'),
    /** The schema the tables live in. Default `tactful`. */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lowercase letters, digits and "_" (at most 63), e.g. "tactful"')
      .default('tactful'),
    /**
     * `on-start` (default): each server applies pending migrations when it starts (under an advisory
     * lock, so servers starting at once are safe). `manual`: run `tactful migrate` first; a server
     * whose database is behind refuses to start.
     */
    migrate: z.enum(['on-start', 'manual']).default('on-start'),
    /** Connections per server. Default 10. */
    poolSize: z.number().int().min(1).max(200).default(10),
  }),
  z.strictObject({ driver: z.literal('memory') }),
]);

/**
 * Where ephemeral state lives: anonymous sessions and rate limits. `memory` (default) keeps it in
 * each server's process; `redis` shares it across a fleet (sessions survive a hop between servers,
 * a limit holds for all of them).
 */
export const CacheConfigSchema = z.discriminatedUnion('driver', [
  z.strictObject({ driver: z.literal('memory') }),
  z.strictObject({
    driver: z.literal('redis'),
    /** The Redis URL, from the environment: `${env:REDIS_URL}`. A literal password is refused. */
    url: connectionUrlSchema('redis://:${env:REDIS_PASSWORD}@cache.internal:6379/0'),
    /** Prefix of every key, so installations can share a Redis. Default `tactful:`. */
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9:._-]{0,64}$/, 'at most 64 letters, digits or ":._-"')
      .default('tactful:'),
  }),
]);

/** A third-party plugin loaded by package name (`tactful-plugin-x`) or relative path. */
export const PluginReferenceSchema = z.strictObject({
  /** The module to import: a package name or a path relative to the configuration file. */
  module: z.string().min(1),
  /** The export to use: a factory called with `options`, or a plugin object. Default `default`. */
  export: z.string().min(1).default('default'),
  /** Options passed to the factory. */
  options: z.unknown().optional(),
});

/** The server section, read by `@tactful/server` and `tactful serve`. */
export const ServerConfigSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).default(3000),
  host: z.string().min(1).default('127.0.0.1'),
  /** The public origin(s) of the site, for CSRF checks (`https://shop.example`). Default: the request's own origin. */
  origins: z.array(z.url()).optional(),
  /**
   * Cross-origin pages allowed to call the server from a browser (CORS). Only these origins get
   * `Access-Control-Allow-Origin` (their own, never `*`) and `Access-Control-Allow-Credentials`;
   * their state-changing requests also pass the CSRF check. Default: none (same origin only).
   */
  cors: z
    .strictObject({
      /** The allowed origins, e.g. `["https://www.shop.example"]` (scheme, host and port; no path). */
      origins: z
        .array(
          z.url().refine((u) => {
            try {
              const url = new URL(u);
              return (
                url.origin !== 'null' && (url.pathname === '/' || url.pathname === '') && url.search === ''
              );
            } catch {
              return false;
            }
          }, 'give an origin only: scheme, host and port, e.g. "https://www.shop.example" (no path, no "*")'),
        )
        .max(100)
        .default([]),
      /** How long a browser may cache a preflight answer, in seconds (default 600). */
      maxAgeSeconds: z.number().int().min(0).max(86_400).default(600),
    })
    .optional(),
  /** The edge proxy whose location headers are believed. Without it, none are. */
  trustedProxy: z.optional(TrustedProxySchema),
  /**
   * Bearer tokens for server-to-server calls, as SHA-256 hex digests of the tokens (never the
   * tokens themselves), each with the name of the caller.
   */
  tokens: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(64),
        sha256: z.string().regex(/^[a-f0-9]{64}$/, 'the SHA-256 hex digest of the token (64 hex characters)'),
      }),
    )
    .default([]),
  limits: z
    .strictObject({
      /** Largest request body, in bytes (413 past it). */
      bodyBytes: z.number().int().positive().max(10_000_000).default(65_536),
      /**
       * Most requests decided at once: the ceiling of the in-flight limit, which shrinks below it
       * while the server cannot keep `latencyTargetMs` (more wait up to `queueTimeoutMs`, then 503).
       */
      maxConcurrent: z.number().int().positive().max(100_000).default(256),
      /**
       * The fewest requests decided at once however loaded the server is: the in-flight limit never
       * shrinks below it (so a handful of concurrent callers is never shed by it).
       */
      minConcurrent: z.number().int().positive().max(100_000).default(16),
      /**
       * The answer time the in-flight limit is held to, in milliseconds: while the server's own loop
       * is saturated and a request's wait for the loop plus its time in the server (queue and
       * decision) runs over it, fewer requests are decided at once (down to `minConcurrent`), and
       * the rest are shed early with 503; more again once answers are quicker. 0 (the default) keeps
       * the limit at `maxConcurrent`: against clients that retry at once, a shrunken limit lowered
       * the answers per second more than it shortened their wait.
       */
      latencyTargetMs: z.number().int().min(0).max(60_000).default(0),
      /** Export and erasure requests per person per hour (429 past it). */
      rightsPerHour: z.number().int().positive().max(10_000).default(10),
      /** Longest a client may take to send a request's headers, in milliseconds (then 408 and closed). */
      headersTimeoutMs: z.number().int().min(100).max(600_000).default(5000),
      /** Longest a client may take to send a body once its headers are in, in milliseconds (then 408 and closed). */
      bodyTimeoutMs: z.number().int().min(100).max(600_000).default(5000),
      /** Most open connections; past it, new ones are closed at once. */
      maxConnections: z.number().int().positive().max(1_000_000).default(10_000),
      /**
       * Longest a request (its body already read) waits for one of the `maxConcurrent` slots, in
       * milliseconds, before it is shed with 503 and Retry-After. 0 sheds at once when all are taken.
       */
      queueTimeoutMs: z.number().int().min(0).max(60_000).default(100),
      /**
       * Event-loop delay, in milliseconds, from which new requests are shed (503 with Retry-After):
       * a share growing from none at this delay to all at twice it, so answered ones stay on time.
       */
      maxLagMs: z.number().int().min(1).max(60_000).default(75),
      /**
       * How long, in milliseconds, the requests read in one turn of the event loop run before the
       * rest of that turn's wait for the next turn, after its timers (so deadlines, queue timeouts
       * and the lag sampler run on time when thousands of connections are readable at once). The
       * time a request waits so counts as queue time (see `queueTimeoutMs`). 0 turns it off.
       */
      turnBudgetMs: z.number().int().min(0).max(1_000).default(30),
      /**
       * Whether a request under `/v1` read once its loop turn's `turnBudgetMs` is spent is shed at
       * once (503 with Retry-After) when no slot is free for it, instead of held for the next turn
       * to wait for one there. false (the default) holds every such request: a held socket is also
       * back-pressure on a client that retries at once, which a quick 503 is not.
       */
      shedOverBudget: z.boolean().default(false),
    })
    .prefault({}),
});

/**
 * A Tactful configuration file (`tactful.config.json`): everything an integrator sets without
 * writing code. Validated at load, with every problem reported at once with its path and line.
 */
export const TactfulConfigSchema = z.strictObject({
  /** The JSON Schema of this file, so editors autocomplete it. */
  $schema: z.string().optional(),
  /** The data controller named in the privacy notice. */
  controller: ControllerSchema,
  /** Where people withdraw consent and exercise their rights (your privacy center). */
  rightsUrl: z.url().optional(),
  /** The privacy center on your own site, named in the notice: a path such as "/privacy", or a URL. */
  privacyCenter: z
    .string()
    .max(2048)
    .regex(/^(\/(?!\/)[^\s<>"]*|https?:\/\/[^\s<>"]+)$/i, 'use a path such as "/privacy" or an http(s) URL')
    .optional(),
  /**
   * The day this version of the privacy notice takes effect, `YYYY-MM-DD`: the notice shows people
   * this date instead of its version hash.
   */
  noticeDate: NoticeDateSchema.optional(),
  /** Jurisdictions whose law the notice names and whose deadlines rights requests follow. */
  jurisdictions: z.array(z.enum(NOTICE_JURISDICTIONS)).default(['VN']),
  /** Purposes and data categories added to the built-in taxonomy. */
  taxonomy: z
    .strictObject({
      purposes: z.array(PurposeDefinitionSchema).default([]),
      categories: z.array(CategoryDefinitionSchema).default([]),
    })
    .optional(),
  storage: StorageConfigSchema.prefault({ driver: 'sqlite' }),
  cache: CacheConfigSchema.prefault({ driver: 'memory' }),
  consent: z
    .strictObject({
      /** Explicit opt-in records (always on): what a purpose with no record means. */
      optIn: z.strictObject({ missing: z.enum(['deny', 'abstain']).default('deny') }).prefault({}),
      /** Global Privacy Control / Do-Not-Track (on by default; `false` turns it off — not recommended). */
      gpc: z
        .union([
          z.literal(false),
          z.strictObject(GpcConsentOptionsSchema.shape).omit({ taxonomy: true, store: true }),
        ])
        .prefault({}),
      /** IAB TCF v2.2 TC strings (off by default). */
      tcf: z
        .union([z.literal(false), z.strictObject(TcfConsentOptionsSchema.shape).omit({ taxonomy: true })])
        .default(false),
    })
    .prefault({}),
  sources: z
    .strictObject({
      /** A weather API of the Open-Meteo format, for `weather.*` rules. */
      weather: z.strictObject(WeatherSourceOptionsSchema.shape).omit({ fetch: true }).optional(),
    })
    .default({}),
  strategies: z
    .strictObject({
      contextual: z.strictObject(ContextualOptionsSchema.shape).omit({ regex: true }).optional(),
      segments: z
        .object(SegmentsOptionsSchema.shape)
        .omit({ population: true, store: true, taxonomy: true, regex: true })
        .extend({
          /** Keep memberships in the store (they then join the person's export and erasure). */
          storeMemberships: z.boolean().default(false),
        })
        .strict()
        .optional(),
      /** One or more content catalogs; `catalog` is inline JSON or a path relative to this file. */
      dynamicContent: z
        .array(
          z
            .strictObject(DynamicContentOptionsSchema.shape)
            .omit({ regex: true })
            .extend({
              catalog: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
            }),
        )
        .default([]),
      anonymousSession: z.strictObject(AnonymousSessionOptionsSchema.shape).optional(),
    })
    .prefault({}),
  /** Third-party plugins (strategies, data sources, consent providers). */
  plugins: z.array(PluginReferenceSchema).default([]),
  merge: z.enum(['priority', 'score', 'weighted']).default('priority'),
  timeouts: z
    .strictObject({
      consentMs: Timeout.optional(),
      sourceMs: Timeout.optional(),
      strategyMs: Timeout.optional(),
      decisionMs: Timeout.optional(),
    })
    .prefault({}),
  audit: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Share of decisions recorded, in [0, 1]. */
      sampling: z.number().min(0).max(1).default(1),
      retentionDays: z.number().int().positive().max(36_500).default(180),
      /**
       * When the audit store falls behind (`maxQueue` recordings waiting): `gap` (default) serves
       * the decision and records a signed entry counting the decisions not recorded; `wait` holds
       * decisions until there is room; `shed` answers 503 with Retry-After. Never a silent gap.
       */
      overload: z.enum(['gap', 'wait', 'shed']).default('gap'),
      /** Most recordings waiting to be written before the overload policy applies. */
      maxQueue: z.number().int().positive().max(1_000_000).default(10_000),
    })
    .prefault({}),
  /**
   * How long a person's data is kept, and the purge that deletes what is past it. Data past its
   * retention is never returned; the scheduled purge deletes it from the store.
   */
  retention: z
    .strictObject({
      /**
       * Days each category of a person's data is kept (defaults: purchases 730, page views 90,
       * cart 30, stored segments 30). The privacy notice states these.
       */
      subjects: z
        .strictObject({
          'behavior.purchases': RetentionDays.optional(),
          'behavior.pageviews': RetentionDays.optional(),
          'behavior.cart': RetentionDays.optional(),
          'derived.segments': RetentionDays.optional(),
        })
        .default({}),
      /**
       * The scheduled purge of data past retention (subject data, and the audit trail's
       * `audit.retentionDays`), run by every server: `false` turns it off (then run `tactful purge`
       * from a job). Several servers purging one database at once is safe.
       */
      purge: z
        .union([
          z.literal(false),
          z.strictObject({
            /** Minutes between purges (default 60), each wait varied by up to 10% so servers spread out. */
            intervalMinutes: z.number().int().min(1).max(10_080).default(60),
            /** Most items deleted per batch (default 1000); a full batch is followed by the next a second later. */
            batchSize: z.number().int().min(1).max(100_000).default(1000),
            /**
             * Most batches one purge runs (default 1000): a backlog larger than this waits for the
             * next interval instead of holding the store without end.
             */
            maxBatchesPerInterval: z.number().int().min(1).max(1_000_000).default(1000),
            /**
             * Milliseconds one store call of the purge may take (default 10000); past it the purge
             * reports the store as failed and sends it nothing more until the late call answers.
             */
            callTimeoutMs: z.number().int().min(1).max(3_600_000).default(10_000),
          }),
        ])
        .prefault({}),
    })
    .prefault({}),
  rights: z
    .strictObject({
      /** Deadline rules to add or override, by jurisdiction code. */
      jurisdictions: z.record(z.string(), JurisdictionRuleSchema).optional(),
      defaultJurisdiction: z.string().default('strictest'),
      /** Stores allowed to keep data on erasure, each with the legal reason shown on receipts. */
      retain: z
        .array(z.strictObject({ name: z.string().min(1), reason: z.string().min(3).max(500) }))
        .default([]),
    })
    .prefault({}),
  server: ServerConfigSchema.prefault({}),
});

/** A validated configuration (defaults applied). */
export type TactfulConfig = z.output<typeof TactfulConfigSchema>;
/** A configuration as written in the file. */
export type TactfulConfigInput = z.input<typeof TactfulConfigSchema>;

/** The JSON Schema of configuration files (what `schema.json` in this package holds). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(TactfulConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
}
