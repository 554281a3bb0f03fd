import { type Decision, TactfulError, isTactfulError, parseOrThrow } from '@tactful/core';
import { anchorMac, GENESIS, linkHash, payloadDigest } from './chain.js';
import { type AuditKeys, deriveKeys, hashing, hmacBytes, hmacHex, randomHex } from './crypto.js';
import { AuditTrailOptionsSchema, type AuditTrailOptions } from './options.js';
import { assertConsent, assertDecision, consentRefs, fromEvent, subjectIdOf } from './record-input.js';
import type { AuditHooks, AuditTrail } from './trail-types.js';
import type { AuditEntry, AuditPayload, AuditStore } from './types.js';
import { rightsSnapshot } from './rights-entry.js';
import { verifyTrail } from './verify.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MAX_APPEND_ATTEMPTS = 32;
const MAX_IN_FLIGHT = 10_000;
const MAX_CACHED_PSEUDONYMS = 10_000;
/** Under load, batch writes are spaced at least this many times their own duration apart (a slow disk waits longer)... */
const WRITE_SHARE = 19;
/** ...but never more than this, so an entry is durable within about a quarter second. */
const MAX_WINDOW_MS = 250;
const clockMs: () => number =
  typeof performance === 'object' && typeof performance.now === 'function'
    ? () => performance.now()
    : Date.now;

/**
 * Creates the decision audit trail: an append-only log in which each entry is linked to the one
 * before by an HMAC-signed hash, so `verify()` finds any entry changed, deleted, inserted or
 * moved. Subjects are stored as pseudonyms (HMAC of the id under `key`); a person's entries are
 * part of their export and are erased on request without breaking verification; old entries are
 * purged after `retentionDays`, leaving a signed anchor. Runs in Node, browsers and edge runtimes
 * (Web Crypto).
 *
 * @throws TactfulError `INVALID_OPTIONS` naming the field.
 *
 * @example
 * ```ts
 * import { createAuditTrail, memoryAuditStore } from '@tactful/audit';
 *
 * const audit = createAuditTrail({ store: memoryAuditStore(), key: process.env.AUDIT_KEY!, retentionDays: 180 });
 * const detach = audit.attach(engine);           // records every decision
 * const report = await audit.verify();            // { ok: true, checked: 1234, problems: [] }
 * const mine = await audit.exportSubject('u-42'); // part of the person's export
 * await audit.eraseSubject('u-42');               // erasure; the chain still verifies
 * ```
 */
export function createAuditTrail(options: AuditTrailOptions): AuditTrail {
  const parsed = parseOrThrow(AuditTrailOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'audit trail options',
  });
  const store: AuditStore = parsed.store;
  const now = parsed.now ?? Date.now;
  const onError = parsed.onError ?? oneLineWarning(now);
  const h = hashing(parsed.sha256);
  let keysPromise: Promise<AuditKeys> | undefined;
  const keys = () => {
    keysPromise ??= Promise.resolve().then(() => deriveKeys(h, parsed.key));
    return keysPromise;
  };
  let queue: Promise<unknown> = Promise.resolve();
  let lastPurgeAt = Number.NEGATIVE_INFINITY;

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  // Pseudonyms are pure functions of the id under the key: cache them (bounded) to spare one HMAC per decision.
  const pseudonyms = new Map<string, Promise<string>>();
  const pseudonym = (subjectId: string): Promise<string> => {
    let cached = pseudonyms.get(subjectId);
    if (!cached) {
      if (pseudonyms.size >= MAX_CACHED_PSEUDONYMS) pseudonyms.clear();
      cached = keys().then((k) => hmacHex(k.subject, subjectId));
      cached.catch(() => pseudonyms.delete(subjectId));
      pseudonyms.set(subjectId, cached);
    }
    return cached;
  };

  const sampled = async (traceId: string, failed: boolean): Promise<boolean> => {
    const { rate, keepFailures } = parsed.sampling;
    if (keepFailures && failed) return true;
    if (rate >= 1) return true;
    if (rate <= 0) return false;
    const bytes = await hmacBytes((await keys()).sample, traceId);
    const value = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    return value / 0x1_0000_0000 < rate;
  };

  /** The next entry's seq and prev as this trail last wrote them; re-read from the store when unknown or stale. */
  let head: { seq: number; prev: string } | undefined;

  /**
   * Appends payloads, in order, as consecutive entries: one store transaction for all of them when
   * the store has `appendMany` (group commit), else one `append` each. On `CONFLICT` (another
   * writer appended first) the tail is re-read and the rest is retried. Fills `written` as the store
   * takes entries.
   */
  const appendPayloads = async (
    ready: ReadonlyArray<{ payload: AuditPayload; digest: string }>,
    written: AuditEntry[],
  ): Promise<void> => {
    const k = await keys();
    for (let attempt = 1; ; attempt++) {
      if (!head) {
        const [tail, anchor] = await Promise.all([store.tail(), store.anchor()]);
        head = {
          seq: tail ? tail.seq + 1 : anchor ? anchor.seq + 1 : 0,
          prev: tail ? tail.hash : anchor ? anchor.hash : GENESIS,
        };
      }
      const at = new Date(now()).toISOString();
      const batch: AuditEntry[] = [];
      let { seq, prev } = head;
      for (let i = written.length; i < ready.length; i++) {
        const { payload, digest } = ready[i]!;
        const header = { seq, at, digest, prev };
        const hash = linkHash(k.chain, header);
        batch.push({ ...header, subject: payload.subject, hash, payload });
        seq++;
        prev = hash;
      }
      try {
        if (store.appendMany) {
          await store.appendMany(batch);
          written.push(...batch);
        } else {
          for (const entry of batch) {
            await store.append(entry);
            written.push(entry);
          }
        }
        head = { seq, prev };
        return;
      } catch (error) {
        const last = written[written.length - 1];
        head = last ? { seq: last.seq + 1, prev: last.hash } : undefined;
        if (!(isTactfulError(error) && error.code === 'CONFLICT') || attempt >= MAX_APPEND_ATTEMPTS)
          throw error;
        head = undefined;
        // Another writer appended first: back off a random, growing while so writers stop colliding.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
      }
    }
  };

  interface Queued {
    prepared: Promise<{ payload: AuditPayload; digest: string } | undefined>;
    resolve(entry: AuditEntry | undefined): void;
    reject(error: unknown): void;
  }
  /** The batch still taking recordings: it closes when its write starts, or when another task is queued after it. */
  let open: Queued[] | undefined;
  let queued = 0;
  let dropped = 0;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let lastWriteMs = 0;

  const writeBatch = async (batch: Queued[]): Promise<void> => {
    try {
      const settled = await Promise.allSettled(batch.map((q) => q.prepared));
      const ready: { payload: AuditPayload; digest: string }[] = [];
      const waiting: Queued[] = [];
      settled.forEach((s, i) => {
        const q = batch[i]!;
        if (s.status === 'rejected') q.reject(s.reason);
        else if (s.value === undefined) q.resolve(undefined);
        else {
          ready.push(s.value);
          waiting.push(q);
        }
      });
      if (ready.length === 0) return;
      // Entries the store took before a failure (one `append` each, without appendMany) still resolve.
      const entries: AuditEntry[] = [];
      lastWriteAt = Date.now();
      const started = clockMs();
      try {
        await appendPayloads(ready, entries);
        lastWriteMs = clockMs() - started;
      } catch (error) {
        waiting.forEach((q, i) => {
          if (i < entries.length) q.resolve(entries[i]);
          else q.reject(error);
        });
        return;
      }
      // The hourly retention purge runs before the recordings resolve, at the clock they were written at.
      try {
        if (parsed.retentionDays !== undefined && now() - lastPurgeAt >= HOUR_MS) await purgeNow();
      } catch (error) {
        for (const q of waiting) q.reject(error);
        return;
      }
      waiting.forEach((q, i) => {
        q.resolve(entries[i]);
      });
    } finally {
      queued -= batch.length;
    }
  };

  /** Queues a task that is not a recording: recordings made after it are written after it. */
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    open = undefined;
    return serial(task);
  };

  const purgeNow = async (): Promise<{ purged: number }> => {
    if (parsed.retentionDays === undefined) return { purged: 0 };
    const current = now();
    lastPurgeAt = current;
    const cutoff = current - parsed.retentionDays * DAY_MS;
    let last: AuditEntry | undefined;
    let fromSeq: number | undefined;
    scan: for (;;) {
      const page = await store.list({ ...(fromSeq === undefined ? {} : { fromSeq }), limit: 500 });
      for (const e of page) {
        if (Date.parse(e.at) >= cutoff) break scan;
        last = e;
      }
      if (page.length < 500) break;
      fromSeq = page[page.length - 1]!.seq + 1;
    }
    if (!last) return { purged: 0 };
    const body = { seq: last.seq, hash: last.hash, at: last.at, purgedAt: new Date(current).toISOString() };
    const mac = await anchorMac((await keys()).chain, body);
    return { purged: await store.purge(last.seq, { ...body, mac }) };
  };

  /** Hashes a payload off the chain, then queues its append (group commit); see `record`. */
  const submit = (
    snapshot: Omit<AuditPayload, 'subject' | 'salt'>,
    subjectId: string | undefined,
    failed: boolean,
    keepAll: boolean,
  ): Promise<AuditEntry | undefined> => {
    // Hashing that does not depend on the chain starts now, alongside earlier recordings; the
    // append itself is queued in call order, so entries follow the order of record() calls.
    const prepared = (async () => {
      const [keep, subject] = await Promise.all([
        keepAll ? true : sampled(snapshot.traceId, failed),
        subjectId === undefined ? null : pseudonym(subjectId),
      ]);
      if (!keep) return undefined;
      const payload: AuditPayload = { ...snapshot, subject, salt: randomHex(16) };
      return { payload, digest: payloadDigest(h, payload) };
    })();
    prepared.catch(() => undefined);
    if (queued >= parsed.maxQueue) {
      dropped++;
      return Promise.reject(
        new TactfulError(
          'RATE_LIMITED',
          `audit: ${queued} recordings are already waiting to be written (maxQueue); decision ${snapshot.traceId} was not recorded (${dropped} dropped so far) — the audit store is slower than the decision rate`,
          { path: ['maxQueue'] },
        ),
      );
    }
    queued++;
    return new Promise<AuditEntry | undefined>((resolve, reject) => {
      const item: Queued = { prepared, resolve, reject };
      if (open && open.length < parsed.maxBatch) {
        open.push(item);
        return;
      }
      const batch = [item];
      open = batch;
      serial(async () => {
        // At most one durable commit per window (batchWindowMs, or 19 times the last write's duration
        // when the disk is slower, so writes take at most about 5% of the time, capped at 250 ms):
        // under load, the decisions finishing meanwhile join this batch and share its commit; after
        // a quiet while a recording goes at once.
        const gap = Math.min(MAX_WINDOW_MS, Math.max(parsed.batchWindowMs, WRITE_SHARE * lastWriteMs));
        const wait = lastWriteAt + gap - Date.now();
        if (wait > 0 && open === batch) await new Promise((resolve) => setTimeout(resolve, wait));
        if (open === batch) open = undefined;
        return writeBatch(batch);
      });
    });
  };

  const trail: AuditTrail = {
    async record(decision, recordOptions = {}) {
      assertDecision(decision);
      assertConsent(recordOptions.consent);
      const subjectId = subjectIdOf(recordOptions.subject);
      // Taken now, so a caller changing the decision afterwards changes nothing recorded.
      const snapshot: Omit<AuditPayload, 'subject' | 'salt'> = {
        traceId: decision.traceId,
        decidedAt: decision.decidedAt,
        consent: consentRefs(decision, recordOptions.consent ?? decision.consent),
        purposes: [...decision.purposesUsed].sort(),
        categories: [...decision.categoriesUsed].sort(),
        dropped: decision.dropped.map((d) => ({
          plugin: d.plugin,
          kind: d.kind,
          outcome: d.outcome,
          code: d.code,
        })),
        slots: decision.slots.map((s) => ({
          slot: s.slot,
          strategy: s.strategy,
          ...(s.variant === undefined ? {} : { variant: s.variant }),
          isDefault: s.isDefault,
        })),
      };
      return submit(
        snapshot,
        subjectId,
        decision.dropped.some((d) => d.outcome === 'failed'),
        false,
      );
    },

    async recordRights(request) {
      const snapshot = rightsSnapshot(request);
      const entry = await submit(
        snapshot,
        request.type === 'erasure' ? undefined : request.subject,
        false,
        true,
      );
      return entry!;
    },

    attach(engine) {
      let attached = true;
      const report = (error: unknown) => {
        try {
          onError(error);
        } catch {
          // An error handler that throws must not become an unhandled rejection.
        }
      };
      const recordQuietly = (decision: Decision, subject: string | undefined) => {
        trail.record(decision, subject === undefined ? {} : { subject }).catch(report);
      };

      if (typeof engine.addHooks === 'function') {
        // Subjects of decisions in flight, by trace id; bounded so a decision that never finishes cannot leak memory.
        const subjects = new Map<string, string>();
        const hooks: AuditHooks = {
          beforeDecision({ traceId, request }) {
            if (!attached || request.subject === undefined) return;
            subjects.set(traceId, request.subject.id);
            if (subjects.size > MAX_IN_FLIGHT) subjects.delete(subjects.keys().next().value as string);
          },
          afterDecision({ traceId, decision }) {
            const subject = subjects.get(traceId);
            subjects.delete(traceId);
            if (attached) recordQuietly(decision, subject);
          },
        };
        engine.addHooks(hooks);
        return () => {
          attached = false;
          subjects.clear();
        };
      }

      if (typeof engine.on !== 'function') {
        throw new TactfulError(
          'INVALID_INPUT',
          'audit: attach() needs an orchestrator (with addHooks or on)',
          {
            path: ['engine'],
          },
        );
      }
      const listener = (...args: unknown[]) => {
        const found = attached ? fromEvent(args) : undefined;
        if (found) recordQuietly(found.decision, found.subject);
      };
      engine.on('decision', listener);
      return () => {
        attached = false;
        engine.off?.('decision', listener);
      };
    },

    flush() {
      return exclusive(async () => undefined);
    },

    async verify(verifyOptions = {}) {
      await trail.flush();
      return verifyTrail(store, (await keys()).chain, verifyOptions.head, h);
    },

    async exportSubject(subjectId) {
      const id = subjectIdOf(subjectId)!;
      const subject = await pseudonym(id);
      await trail.flush();
      const entries = await store.bySubject(subject);
      return {
        subject,
        entries: entries.flatMap((e) =>
          e.payload === null
            ? []
            : [
                {
                  seq: e.seq,
                  at: e.at,
                  traceId: e.payload.traceId,
                  decidedAt: e.payload.decidedAt,
                  purposes: e.payload.purposes,
                  categories: e.payload.categories,
                  consent: e.payload.consent,
                  dropped: e.payload.dropped,
                  slots: e.payload.slots,
                  ...(e.payload.rights === undefined ? {} : { rights: e.payload.rights }),
                },
              ],
        ),
      };
    },

    async eraseSubject(subjectId) {
      const id = subjectIdOf(subjectId)!;
      // Queued now (not after the pseudonym is ready), so a recording made after this call is kept.
      return exclusive(async () => ({
        erased: await store.redactSubject(await pseudonym(id), new Date(now()).toISOString()),
      }));
    },

    purge() {
      return exclusive(purgeNow);
    },

    async head() {
      await trail.flush();
      const tail = await store.tail();
      return tail ? { seq: tail.seq, hash: tail.hash } : undefined;
    },

    pseudonym(subjectId) {
      return pseudonym(subjectIdOf(subjectId)!);
    },

    stats() {
      return { queued, dropped };
    },
  };
  return trail;
}

/** How often the default error handler may write a line while recordings keep failing. */
const WARN_EVERY_MS = 60_000;

/**
 * The default `onError`: one line per failure, never a stack trace (a broken store fails every
 * decision, and a trace per decision would bury the log), and at most one line a minute while
 * failures go on, counting the ones it held back.
 */
function oneLineWarning(now: () => number): (error: unknown) => void {
  let last = Number.NEGATIVE_INFINITY;
  let held = 0;
  return (error) => {
    const t = now();
    if (t - last < WARN_EVERY_MS) {
      held++;
      return;
    }
    last = t;
    let what: string;
    try {
      const code = (error as { code?: unknown } | null)?.code;
      // The first line only: some drivers put a trace in the message itself.
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      what = `${typeof code === 'string' ? `${code}: ` : ''}${message}`.replace(/\s+/g, ' ').slice(0, 300);
    } catch {
      what = 'an unreadable error';
    }
    const more = held > 0 ? ` (${held} more failure${held === 1 ? '' : 's'} since the last warning)` : '';
    held = 0;
    console.warn(`tactful audit: recording a decision failed: ${what}${more}`);
  };
}
