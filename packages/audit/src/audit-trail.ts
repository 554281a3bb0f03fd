import { type Decision, TactfulError, isTactfulError, parseOrThrow } from '@tactful/core';
import { anchorMac, GENESIS, gapPayload, linkHash, payloadJson } from './chain.js';
import { type AuditKeys, deriveKeys, hashing, hmacBytes, hmacHex, randomHex } from './crypto.js';
import { AuditTrailOptionsSchema, type AuditTrailOptions } from './options.js';
import { assertConsent, assertDecision, fromEvent, subjectIdOf } from './record-input.js';
import { decisionPayload, decisionPayloadJson } from './payload-text.js';
import type { AuditHooks, AuditTrail } from './trail-types.js';
import {
  AUDIT_PAYLOAD_TEXT,
  type AuditEntry,
  type AuditGapPayload,
  type AuditPayload,
  type AuditSealResult,
  type AuditStore,
  isGapPayload,
} from './types.js';
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
/** Decisions overload kept out of the trail, to be counted in one gap entry. */
interface PendingGap {
  count: number;
  /** When the first and the last of them were refused (epoch ms). */
  from: number;
  to: number;
}
/** What a write seals: a decision's payload and digest, or a gap to account for. */
type Ready = Sealed | { gap: PendingGap };
/** A payload, its canonical JSON (what the digest hashes) and the digest. */
interface Sealed {
  payload: AuditPayload | AuditGapPayload;
  text: string;
  digest: string;
}

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
  const h = parsed.hashing ?? hashing(parsed.sha256);
  // Hashing is synchronous everywhere (native or the built-in JavaScript), so keys are derived on first use.
  let derived: AuditKeys | undefined;
  const keysNow = (): AuditKeys => {
    derived ??= deriveKeys(h, parsed.key);
    return derived;
  };
  const keys = async (): Promise<AuditKeys> => keysNow();
  let queue: Promise<unknown> = Promise.resolve();
  let lastPurgeAt = Number.NEGATIVE_INFINITY;

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  // Pseudonyms are pure functions of the id under the key: cache them (bounded) to spare one HMAC per decision.
  const pseudonyms = new Map<string, string>();
  const pseudonymNow = (subjectId: string): string => {
    let cached = pseudonyms.get(subjectId);
    if (cached === undefined) {
      if (pseudonyms.size >= MAX_CACHED_PSEUDONYMS) pseudonyms.clear();
      cached = hmacHex(keysNow().subject, subjectId);
      pseudonyms.set(subjectId, cached);
    }
    return cached;
  };
  const pseudonym = async (subjectId: string): Promise<string> => pseudonymNow(subjectId);

  const sampled = (traceId: string, failed: boolean): boolean => {
    const { rate, keepFailures } = parsed.sampling;
    if (keepFailures && failed) return true;
    if (rate >= 1) return true;
    if (rate <= 0) return false;
    const bytes = hmacBytes(keysNow().sample, traceId);
    const value = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    return value / 0x1_0000_0000 < rate;
  };

  const seal = (payload: AuditPayload | AuditGapPayload, text: string): Sealed => ({
    payload,
    text,
    digest: h.sha256Hex(text),
  });
  /** The store seals entries where its writes run (its own thread): this thread only writes payload texts. */
  const sealing = typeof store.appendSealed === 'function';

  /** The next entry's seq and prev as this trail last wrote them; re-read from the store when unknown or stale. */
  let head: { seq: number; prev: string } | undefined;

  /**
   * Appends payloads, in order, as consecutive entries: one store transaction for all of them when
   * the store has `appendMany` (group commit), else one `append` each. On `CONFLICT` (another
   * writer appended first) the tail is re-read and the rest is retried. Fills `written` as the store
   * takes entries.
   */
  const appendPayloads = async (ready: ReadonlyArray<Ready>, written: AuditEntry[]): Promise<void> => {
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
        const item = ready[i]!;
        // A gap entry names the entry before it, so it is sealed here, where its seq is known.
        const { payload, digest, text } = 'gap' in item ? sealGap(item.gap, seq) : item;
        const header = { seq, at, digest, prev };
        const hash = linkHash(k.chain, header);
        const entry: AuditEntry = { ...header, subject: payload.subject, hash, payload };
        // The canonical JSON already made for the digest, for stores that store text (not enumerable).
        Object.defineProperty(entry, AUDIT_PAYLOAD_TEXT, { value: text });
        batch.push(entry);
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

  /** Decisions overload kept out of the trail and not yet counted in a written gap entry. */
  let pendingGap: PendingGap | undefined;
  let gapScheduled = false;
  let unrecorded = 0;
  let gaps = 0;
  let shed = 0;
  let waited = 0;
  /** Callers waiting for room in the queue (`overload: 'wait'`), first come first served. */
  const rooms: Array<() => void> = [];
  let lastWarnAt = Number.NEGATIVE_INFINITY;
  let unwarned = 0;
  let warnTimer: ReturnType<typeof setTimeout> | undefined;

  const report = (error: unknown) => {
    try {
      onError(error);
    } catch {
      // An error handler that throws must not become an unhandled rejection.
    }
  };
  /** Overload is told to `onError` at most once per `logIntervalMs`, with the count since the last time. */
  const warnOverload = () => {
    unwarned++;
    const t = Date.now();
    const say = () => {
      warnTimer = undefined;
      if (unwarned === 0) return;
      lastWarnAt = Date.now();
      const n = unwarned;
      unwarned = 0;
      report(
        new TactfulError(
          'AUDIT_OVERLOADED',
          `audit: ${n} decision${n === 1 ? '' : 's'} not recorded or refused since the last warning: ${parsed.maxQueue} recordings were already waiting (maxQueue; the audit store is slower than the decision rate; overload: ${parsed.overload}). Unrecorded decisions are counted in a signed gap entry; see stats().`,
          { path: ['maxQueue'] },
        ),
      );
    };
    if (t - lastWarnAt >= parsed.logIntervalMs) say();
    else if (warnTimer === undefined) {
      warnTimer = setTimeout(say, lastWarnAt + parsed.logIntervalMs - t);
      (warnTimer as { unref?: () => void }).unref?.();
    }
  };
  const gapBody = (gap: PendingGap) => ({
    count: gap.count,
    from: new Date(gap.from).toISOString(),
    to: new Date(gap.to).toISOString(),
    salt: randomHex(16),
  });
  const sealGap = (gap: PendingGap, seq: number): Sealed => {
    const payload = gapPayload(gapBody(gap), seq);
    return seal(payload, payloadJson(payload));
  };

  /**
   * Appends a gap (if any) and the texts of `batch` through the store's `appendSealed`: one message
   * to the store's thread, which digests, links and stores them in one transaction.
   */
  const appendSealed = async (
    batch: ReadonlyArray<Queued>,
    gap: PendingGap | undefined,
  ): Promise<{ sealed: AuditSealResult; at: string }> => {
    const k = keysNow();
    const at = new Date(now()).toISOString();
    const n = batch.length;
    const texts = new Array<string>(n);
    const subjects = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      texts[i] = batch[i]!.text;
      subjects[i] = batch[i]!.subject;
    }
    const sealed = await store.appendSealed!({
      chainKey: k.chainRaw,
      at,
      texts,
      subjects,
      ...(gap === undefined ? {} : { gap: gapBody(gap) }),
    });
    const count = n + (gap === undefined ? 0 : 1);
    if (
      typeof sealed !== 'object' ||
      sealed === null ||
      !Number.isSafeInteger(sealed.seq) ||
      !Array.isArray(sealed.hashes) ||
      !Array.isArray(sealed.digests) ||
      sealed.hashes.length !== count ||
      sealed.digests.length !== count
    ) {
      throw new TactfulError(
        'STORE_FAILED',
        `audit: the store's appendSealed answered without a seq, hash and digest for each of the ${count} entries it was given`,
      );
    }
    return { sealed, at };
  };
  /** The entry a recording became, from what `appendSealed` answered (`k`: its place in the batch, the gap's included). */
  const sealedEntry = (
    { sealed, at }: { sealed: AuditSealResult; at: string },
    q: Queued,
    k: number,
  ): AuditEntry => ({
    seq: sealed.seq + k,
    at,
    subject: q.subject,
    digest: sealed.digests[k]!,
    prev: k === 0 ? sealed.prev : sealed.hashes[k - 1]!,
    hash: sealed.hashes[k]!,
    payload: q.payload!,
  });
  /** Takes the pending gap for a write; `restore` puts it back (merged) if the write failed. */
  const takeGap = (): PendingGap | undefined => {
    const gap = pendingGap;
    pendingGap = undefined;
    return gap;
  };
  const restoreGap = (gap: PendingGap) => {
    pendingGap = pendingGap
      ? {
          count: pendingGap.count + gap.count,
          from: Math.min(gap.from, pendingGap.from),
          to: Math.max(gap.to, pendingGap.to),
        }
      : gap;
  };
  /** One decision overload kept out: counted now, written as (part of) a gap entry by the next write. */
  const markUnrecorded = () => {
    unrecorded++;
    const t = now();
    pendingGap = pendingGap
      ? { count: pendingGap.count + 1, from: pendingGap.from, to: t }
      : { count: 1, from: t, to: t };
    warnOverload();
    if (!gapScheduled) {
      gapScheduled = true;
      // Queued after every write already waiting, any of which takes the gap first.
      serial(async () => {
        gapScheduled = false;
        const gap = takeGap();
        if (gap === undefined) return;
        try {
          if (sealing) await appendSealed([], gap);
          else await appendPayloads([{ gap }], []);
          gaps++;
        } catch (error) {
          restoreGap(gap);
          report(error);
        }
      });
    }
  };
  const hasRoom = () => queued < parsed.maxQueue && rooms.length === 0;
  /** Lets as many waiting callers go as there is room for. */
  const wake = () => {
    let room = parsed.maxQueue - queued;
    while (room-- > 0 && rooms.length > 0) rooms.shift()!();
  };
  const overloaded = () =>
    new TactfulError(
      'AUDIT_OVERLOADED',
      `audit: ${queued} recordings are already waiting to be written (maxQueue ${parsed.maxQueue}); the audit store is slower than the decision rate`,
      { path: ['maxQueue'] },
    );

  /** A recording waiting to be written. */
  interface Queued {
    /** The payload's canonical JSON. */
    text: string;
    subject: string | null;
    /** The payload, kept for a store that does not seal entries itself and for `record()`'s entry. */
    payload: AuditPayload | undefined;
    /** Set when a caller waits for the entry (`record()`); a recording made by `attach()` has none. */
    resolve: ((entry: AuditEntry | undefined) => void) | undefined;
    reject: ((error: unknown) => void) | undefined;
  }
  /** The batch still taking recordings: it closes when its write starts, or when another task is queued after it. */
  let open: Queued[] | undefined;
  let queued = 0;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let lastWriteMs = 0;

  /**
   * Recordings whose write failed and that no caller waits for (made by `attach()`): each failure
   * goes to `onError`, and they are counted like decisions overload kept out, in the signed gap
   * entry of the next write, so the trail itself says they are missing.
   */
  const lostQuietly = (lost: number, error: unknown) => {
    if (lost === 0) return;
    for (let i = 0; i < lost; i++) report(error);
    unrecorded += lost;
    const t = now();
    restoreGap({ count: lost, from: t, to: t });
  };

  const writeBatch = async (batch: Queued[]): Promise<void> => {
    try {
      // Decisions overload kept out so far are accounted for first, in the same transaction.
      const gap = takeGap();
      const offset = gap === undefined ? 0 : 1;
      // Entries the store took before a failure (one `append` each, without appendMany) still resolve.
      const entries: AuditEntry[] = [];
      let entryAt: (i: number) => AuditEntry | undefined = (i) => entries[i + offset];
      lastWriteAt = Date.now();
      const started = clockMs();
      try {
        if (sealing) {
          const written = await appendSealed(batch, gap);
          entryAt = (i) =>
            batch[i]!.resolve === undefined ? undefined : sealedEntry(written, batch[i]!, i + offset);
        } else {
          const ready: Ready[] = batch.map((q) => seal(q.payload!, q.text));
          if (gap !== undefined) ready.unshift({ gap });
          await appendPayloads(ready, entries);
        }
        lastWriteMs = clockMs() - started;
      } catch (error) {
        if (gap !== undefined && entries.length === 0) restoreGap(gap);
        else if (gap !== undefined) gaps++;
        let lost = 0;
        batch.forEach((q, i) => {
          if (i + offset < entries.length) q.resolve?.(entries[i + offset]);
          else if (q.reject !== undefined) q.reject(error);
          else lost++;
        });
        lostQuietly(lost, error);
        return;
      }
      if (gap !== undefined) gaps++;
      // The hourly retention purge runs before the recordings resolve, at the clock they were written at.
      try {
        if (parsed.retentionDays !== undefined && now() - lastPurgeAt >= HOUR_MS) await purgeNow();
      } catch (error) {
        let quiet = false;
        for (const q of batch) {
          if (q.reject !== undefined) q.reject(error);
          else quiet = true;
        }
        if (quiet) report(error);
        return;
      }
      for (let i = 0; i < batch.length; i++) batch[i]!.resolve?.(entryAt(i));
    } finally {
      queued -= batch.length;
      wake();
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

  /** Queues a recording in call order (into the open batch, or a new one); no promise of its own. */
  const enqueue = (item: Queued): void => {
    queued++;
    if (open && open.length < parsed.maxBatch) {
      open.push(item);
      return;
    }
    {
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
    }
  };
  /** Queues a recording and resolves with its entry once it is durably written. */
  const enqueueAwaited = (item: Queued): Promise<AuditEntry | undefined> =>
    new Promise<AuditEntry | undefined>((resolve, reject) => {
      item.resolve = resolve;
      item.reject = reject;
      enqueue(item);
    });

  /**
   * A decision's recording, unless sampled out: its payload's canonical JSON written directly from
   * the decision, the subject's pseudonym (cached), a fresh salt. Hashing that depends on the chain
   * waits for the write (done by the store's thread when it seals entries itself).
   */
  const prepare = (
    decision: Decision,
    consent: Decision['consent'],
    subjectId: string | undefined,
    keepPayload: boolean,
  ): Queued | undefined => {
    let failed = false;
    for (const d of decision.dropped) if (d.outcome === 'failed') failed = true;
    if (!sampled(decision.traceId, failed)) return undefined;
    const subject = subjectId === undefined ? null : pseudonymNow(subjectId);
    const salt = randomHex(16);
    return {
      text: decisionPayloadJson(decision, consent, subject, salt),
      subject,
      payload: keepPayload || !sealing ? decisionPayload(decision, consent, subject, salt) : undefined,
      resolve: undefined,
      reject: undefined,
    };
  };

  const trail: AuditTrail = {
    async record(decision, recordOptions = {}) {
      assertDecision(decision);
      assertConsent(recordOptions.consent);
      const subjectId = subjectIdOf(recordOptions.subject);
      // Taken now (as text, and as the payload this call resolves with), so a caller changing the
      // decision afterwards changes nothing recorded; appends are queued in call order.
      const item = prepare(decision, recordOptions.consent ?? decision.consent, subjectId, true);
      if (item === undefined) return undefined;
      if (!hasRoom()) {
        if (parsed.overload === 'wait' && rooms.length < parsed.maxQueue) {
          // Backpressure: wait for room, then queue (behind those who waited first).
          waited++;
          return new Promise<void>((resolve) => rooms.push(resolve)).then(() => enqueueAwaited(item));
        }
        markUnrecorded();
        return Promise.reject(overloaded());
      }
      return enqueueAwaited(item);
    },

    async recordRights(request) {
      const snapshot = rightsSnapshot(request);
      const subjectId = request.type === 'erasure' ? undefined : request.subject;
      const subject = subjectId === undefined ? null : pseudonymNow(subjectId);
      const payload: AuditPayload = { ...snapshot, subject, salt: randomHex(16) };
      const item: Queued = {
        text: payloadJson(payload),
        subject,
        payload,
        resolve: undefined,
        reject: undefined,
      };
      // A rights request is never sampled out nor shed: it waits for room.
      while (!hasRoom()) await new Promise<void>((resolve) => rooms.push(resolve));
      const entry = await enqueueAwaited(item);
      return entry!;
    },

    admit() {
      if (hasRoom() || parsed.overload === 'gap') return undefined;
      // Under `wait`, at most maxQueue callers wait; past that the decision is refused as under `shed`.
      if (parsed.overload === 'shed' || rooms.length >= parsed.maxQueue) {
        shed++;
        warnOverload();
        throw overloaded();
      }
      waited++;
      return new Promise<void>((resolve) => rooms.push(resolve));
    },

    attach(engine) {
      let attached = true;
      // No promise per decision: nobody waits for these recordings. Overload is counted (gap entry,
      // stats) and told once per interval; a failed write is counted in the next gap entry too.
      const recordQuietly = (decision: Decision, subject: string | undefined) => {
        try {
          assertDecision(decision);
          const item = prepare(decision, decision.consent, subjectIdOf(subject), false);
          if (item === undefined) return;
          if (hasRoom()) enqueue(item);
          else if (parsed.overload === 'wait' && rooms.length < parsed.maxQueue) {
            waited++;
            rooms.push(() => enqueue(item));
          } else markUnrecorded();
        } catch (error) {
          report(error);
        }
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
          e.payload === null || isGapPayload(e.payload)
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
      return {
        queued,
        dropped: unrecorded,
        unrecorded,
        gaps,
        pendingGap: pendingGap?.count ?? 0,
        shed,
        waited,
      };
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
