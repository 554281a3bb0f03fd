import type { Decision } from '@tactful/core';
import { auditSealer, GENESIS } from './chain.js';
import { hashing } from './crypto.js';
import { appendConflict, memoryAuditStore, nextSeq } from './memory-store.js';
import type { AuditAnchor, AuditEntry, AuditSealBatch, AuditSealResult, AuditStore } from './types.js';

/**
 * A memory store that seals entries itself (`appendSealed`, with the built-in JavaScript hashing),
 * as a store on a worker thread does, around `inner` (default a fresh memory store).
 */
export function sealingStore(inner: AuditStore = memoryAuditStore()): AuditStore & {
  appendSealed(batch: AuditSealBatch): Promise<AuditSealResult>;
  sealedBatches: number;
} {
  const seal = auditSealer(hashing());
  const store = {
    ...inner,
    sealedBatches: 0,
    async appendSealed(batch: AuditSealBatch) {
      const [tail, anchor] = await Promise.all([inner.tail(), inner.anchor()]);
      const link = tail ?? anchor;
      const { rows, result } = seal(
        batch,
        link ? { seq: link.seq + 1, prev: link.hash } : { seq: 0, prev: GENESIS },
      );
      await inner.appendMany!(rows.map(({ text, ...row }) => ({ ...row, payload: JSON.parse(text) })));
      store.sealedBatches++;
      return result;
    },
  };
  return store;
}

/** An audit store whose raw entries a test can tamper with, as someone with database access could. */
export function rawStore(): AuditStore & { entries: AuditEntry[]; anchorValue: AuditAnchor | undefined } {
  const store = {
    entries: [] as AuditEntry[],
    anchorValue: undefined as AuditAnchor | undefined,
    async append(entry: AuditEntry) {
      const expected = nextSeq(store.entries[store.entries.length - 1], store.anchorValue);
      if (entry.seq !== expected) throw appendConflict(expected, entry.seq);
      store.entries.push(structuredClone(entry));
    },
    async tail() {
      return structuredClone(store.entries[store.entries.length - 1]);
    },
    async list(options: { fromSeq?: number; limit?: number } = {}) {
      const from = store.entries.findIndex((e) => e.seq >= (options.fromSeq ?? Number.NEGATIVE_INFINITY));
      if (from < 0) return [];
      return structuredClone(
        store.entries.slice(from, options.limit === undefined ? undefined : from + options.limit),
      );
    },
    async bySubject(subject: string) {
      return structuredClone(store.entries.filter((e) => e.subject === subject));
    },
    async redactSubject(subject: string, redactedAt: string) {
      const hits = store.entries.filter((e) => e.subject === subject);
      for (const e of hits) Object.assign(e, { subject: null, payload: null, redactedAt });
      return hits.length;
    },
    async purge(throughSeq: number, anchor: AuditAnchor) {
      const before = store.entries.length;
      store.entries = store.entries.filter((e) => e.seq > throughSeq);
      store.anchorValue = structuredClone(anchor);
      return before - store.entries.length;
    },
    async anchor() {
      return structuredClone(store.anchorValue);
    },
  };
  return store;
}

/** A decision as the orchestrator returns it. */
export function sampleDecision(i: number, overrides: Partial<Decision> = {}): Decision {
  return {
    traceId: `trace-${String(i).padStart(6, '0')}`,
    decidedAt: new Date(Date.UTC(2026, 4, 1, 12, 0, i)).toISOString(),
    slots: [
      {
        slot: 'home.hero',
        content: { title: 'Welcome back' },
        variant: 'loyal',
        strategy: 'segments',
        isDefault: false,
        explanation: {
          strategy: 'segments',
          summary: { en: 'Because you are a loyal customer', vi: 'Vì bạn là khách hàng trung thành' },
          signals: ['loyal'],
          purposes: ['personalization.profile'],
          categories: ['behavior.purchases'],
        },
      },
    ],
    purposesUsed: ['personalization.profile', 'personalization.contextual'],
    categoriesUsed: ['context.time', 'behavior.purchases'],
    dropped: [
      {
        plugin: 'weather',
        kind: 'source',
        outcome: 'failed',
        code: 'SOURCE_FAILED',
        reason: 'timed out after 50 ms',
      },
      {
        plugin: 'email',
        kind: 'strategy',
        outcome: 'skipped',
        code: 'CONSENT_UNAVAILABLE',
        reason: 'marketing.email not granted',
      },
    ],
    consent: {
      purposes: {
        'personalization.profile': {
          status: 'granted',
          provider: 'opt-in',
          recordId: `rec-${i}`,
          noticeVersion: 'abc',
        },
        'personalization.contextual': { status: 'granted', provider: 'opt-in', recordId: `rec-c-${i}` },
        'marketing.email': { status: 'denied', provider: 'gpc', reason: 'gpc' },
      },
    },
    ...overrides,
  };
}

/** A secret for tests. */
export const TEST_KEY = 'test-audit-key-0123456789abcdef-0123456789';
