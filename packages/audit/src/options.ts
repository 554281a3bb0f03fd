import { z } from 'zod';
import type { Hashing } from './crypto.js';
import type { AuditStore } from './types.js';

const isStore = (value: unknown): value is AuditStore =>
  typeof value === 'object' &&
  value !== null &&
  ['append', 'tail', 'list', 'bySubject', 'redactSubject', 'purge', 'anchor'].every(
    (fn) => typeof (value as Record<string, unknown>)[fn] === 'function',
  );

/** Options of `createAuditTrail`, validated with zod (bad options → `INVALID_OPTIONS` naming the field). */
export const AuditTrailOptionsSchema = z.object({
  /** Where entries are kept: `memoryAuditStore()` or `sqliteAuditStore(...)`. */
  store: z.custom<AuditStore>(isStore, {
    message: 'pass an AuditStore, e.g. memoryAuditStore() or sqliteAuditStore({ filename })',
  }),
  /**
   * The secret that pseudonymises subject ids and signs the chain: at least 32 characters, or 16
   * random bytes. Keep it out of the database; without it, nobody can link entries to people or
   * forge entries.
   */
  key: z.union([
    z.string().min(32, 'use a secret of at least 32 characters (e.g. 32 random bytes, base64-encoded)'),
    z.instanceof(Uint8Array).refine((bytes) => bytes.length >= 16, 'use at least 16 random bytes'),
  ]),
  /**
   * Which decisions to record: a rate in [0, 1] (default 1 = all), decided from the trace id so
   * every process samples the same decisions; decisions where a plugin failed are kept whatever
   * the rate unless `keepFailures` is false.
   */
  sampling: z
    .union([
      z.number().min(0).max(1),
      z.object({ rate: z.number().min(0).max(1), keepFailures: z.boolean().default(true) }),
    ])
    .default(1)
    .transform((s) => (typeof s === 'number' ? { rate: s, keepFailures: true } : s)),
  /** Days to keep entries; older ones are purged (leaving a signed anchor). Absent = kept until purged by hand. */
  retentionDays: z.number().int().positive().max(36_500).optional(),
  /** The clock, in epoch milliseconds (default `Date.now`). */
  now: z
    .custom<() => number>((v) => typeof v === 'function', {
      message: 'a function returning epoch milliseconds',
    })
    .optional(),
  /**
   * The most recordings waiting to be written (default 10 000). The queue is bounded: when it is
   * full, `record()` rejects with `RATE_LIMITED` and the decision is counted in `stats().dropped`
   * (reported to `onError` when attached), so a store slower than the decision rate cannot grow
   * memory without end.
   */
  maxQueue: z.number().int().positive().max(1_000_000).default(10_000),
  /** The most entries appended in one store transaction (group commit; default 500). */
  maxBatch: z.number().int().positive().max(10_000).default(500),
  /**
   * The shortest time between two batch writes, in milliseconds (default 20; 0 = no wait): a batch
   * started sooner than this after the one before waits, taking the recordings made meanwhile. A
   * durable commit costs about the same for one entry as for hundreds, so under load many commits
   * become one; after a quiet while a recording is written at once. Decisions never wait for it;
   * `record()` and `flush()` resolve once the batch is durably written. On a slow disk the window
   * grows to 19 times the last write's duration (at most 250 ms), so durable writes never take more
   * than about 5% of the time under load.
   */
  batchWindowMs: z.number().min(0).max(1000).default(20),
  /**
   * A native SHA-256 to hash with, synchronous (bytes in, 32 bytes out), e.g. in Node
   * `(data) => createHash('sha256').update(data).digest()` from `node:crypto`. Default: the built-in
   * JavaScript SHA-256, which runs anywhere. Both give the same digests, so a trail written with one
   * verifies with the other.
   */
  sha256: z
    .custom<(data: Uint8Array) => Uint8Array>((v) => typeof v === 'function', {
      message: 'a function from bytes to their 32-byte SHA-256',
    })
    .optional(),
  /**
   * Hashing with prepared keys, e.g. Node's native HMAC (`createHmac` over a `createSecretKey`
   * key object): `{ sha256Hex(text), hmacKey(raw) }` where `hmacKey(raw).mac(text)` gives the
   * 32-byte HMAC-SHA-256. Takes precedence over `sha256`. Default: the built-in JavaScript
   * hashing, which runs anywhere; all give the same digests, so a trail written with one verifies
   * with another.
   */
  hashing: z
    .custom<Hashing>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as Hashing).sha256Hex === 'function' &&
        typeof (v as Hashing).hmacKey === 'function',
      { message: 'an object with sha256Hex(text) and hmacKey(raw) functions' },
    )
    .optional(),
  /**
   * What happens when `maxQueue` recordings are already waiting (the store is slower than the
   * decision rate). `gap` (default): the decision goes on unrecorded and the next write appends a
   * signed gap entry counting every such decision. `wait`: `admit()` and `record()` wait for room
   * (backpressure; at most `maxQueue` more wait, past that a gap is recorded). `shed`: `admit()`
   * refuses with `AUDIT_OVERLOADED` (a server answers 503 with Retry-After) so the decision is
   * not made. In every case `stats()` counts it and nothing is dropped silently.
   */
  overload: z.enum(['gap', 'wait', 'shed']).default('gap'),
  /** Overload warnings go to `onError` at most once per this many milliseconds (default 10 s), with the count since. */
  logIntervalMs: z.number().int().min(0).max(3_600_000).default(10_000),
  /** Called when recording from `attach()` fails (default: `console.warn`); a decision is never affected. */
  onError: z
    .custom<(error: unknown) => void>((v) => typeof v === 'function', { message: 'a function' })
    .optional(),
});
/** Options of `createAuditTrail`, as written. */
export type AuditTrailOptions = z.input<typeof AuditTrailOptionsSchema>;
