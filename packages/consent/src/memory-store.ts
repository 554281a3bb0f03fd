import {
  type ConsentErasureReceipt,
  type ConsentRecord,
  type ConsentRecordInput,
  type ConsentStore,
  type Taxonomy,
  TactfulError,
  type ValidConsentRecordInput,
  parseConsentRecordInputs,
  prefixRecordIndex,
} from '@tactful/core';
import { chainConsentRecords, consentErasureReceipt, parseConsentSubjectId } from '@tactful/core/store';

/** Options of {@link memoryConsentStore}. */
export interface MemoryConsentStoreOptions {
  /** The store's clock (epoch ms); records are stamped with it. Default `Date.now`. */
  clock?: () => number;
  /** When given, records must name one of its purposes. */
  taxonomy?: Taxonomy;
}

/** Validates a subject id argument, throwing `INVALID_INPUT` naming `subject`. */
export const parseSubjectId: (subject: unknown, what: string) => string = parseConsentSubjectId;

/**
 * The in-memory consent store: the reference implementation of `ConsentStore` (browser- and
 * edge-safe, no persistence: use it in tests, demos and single-page apps that sync elsewhere).
 * Appends are serialised, so concurrent calls still form one unbroken hash chain per subject.
 *
 * @example
 * ```ts
 * const store = memoryConsentStore();
 * await store.append({ subject: 'u-1', purpose: 'measurement', status: 'granted', method: 'banner', notice: { version: '1', hash: 'sha256-abcdef12' } });
 * (await store.latest('u-1')).get('measurement')?.status; // 'granted'
 * ```
 */
export function memoryConsentStore(options: MemoryConsentStoreOptions = {}): ConsentStore {
  const clock = options.clock ?? Date.now;
  const records = new Map<string, ConsentRecord[]>();
  // Each subject's latest record per purpose, kept as records are written (they are frozen), so a
  // read costs the number of purposes, not the length of the person's history.
  const latestOf = new Map<string, Map<string, ConsentRecord>>();
  const erasures = new Map<string, ConsentErasureReceipt>();
  let queue: Promise<unknown> = Promise.resolve();
  const what = 'memoryConsentStore';

  function serial<T>(task: () => Promise<T>): Promise<T> {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  }

  async function write(inputs: ReadonlyArray<ConsentRecordInput>): Promise<ConsentRecord[]> {
    const now = clock();
    const valid: ValidConsentRecordInput[] = parseConsentRecordInputs(inputs, {
      now,
      what,
      ...(options.taxonomy ? { taxonomy: options.taxonomy } : {}),
    });
    // Every record is built and hashed before any is visible: a failure leaves the chains as they were.
    const out = chainConsentRecords(valid, now, {
      head: (subject) => records.get(subject)?.at(-1),
      lastFor: (subject, purpose) => latestOf.get(subject)?.get(purpose)?.id ?? null,
    });
    for (const record of out) {
      const chain = records.get(record.subject);
      if (chain) chain.push(record);
      else records.set(record.subject, [record]);
      const latest = latestOf.get(record.subject);
      if (latest) latest.set(record.purpose, record);
      else latestOf.set(record.subject, new Map([[record.purpose, record]]));
    }
    return out;
  }

  return {
    append: (input) => serial(async () => (await write([input]))[0]!),
    appendAll: (inputs) =>
      serial(async () => {
        if (!Array.isArray(inputs))
          throw new TactfulError('INVALID_INPUT', `${what}: appendAll takes an array of records`);
        return write(inputs);
      }),
    // Answered at once (a value, no promise): what it returns is the map as it is now, and every
    // write is in it before the write's promise resolves. A bad id still rejects.
    latest(subject) {
      let id: string;
      try {
        id = parseSubjectId(subject, what);
      } catch (error) {
        return Promise.reject(error);
      }
      // A copy: nothing a caller does to the answer changes what the store holds.
      const latest = latestOf.get(id);
      return latest === undefined ? new Map<string, ConsentRecord>() : new Map(latest);
    },
    async history(subject) {
      return [...(records.get(parseSubjectId(subject, what)) ?? [])];
    },
    eraseSubject: (subject) =>
      serial(async () => {
        const id = parseSubjectId(subject, what);
        const chain = records.get(id) ?? [];
        const receipt = consentErasureReceipt(id, chain.length, clock(), chain.at(-1)?.hash ?? null);
        records.delete(id);
        latestOf.delete(id);
        // A repeated erasure keeps the tombstone of the one that actually erased something.
        if (chain.length > 0 || !erasures.has(id)) erasures.set(id, receipt);
        return receipt;
      }),
    async erasure(subject) {
      return erasures.get(parseSubjectId(subject, what));
    },
  };
}

/** Re-throws a validation error of the i-th record of a batch with the index in its path. */
export const prefixIndex: (error: unknown, index: number) => unknown = prefixRecordIndex;
