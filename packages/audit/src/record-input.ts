import { type ConsentState, type Decision, type Subject, TactfulError } from '@tactful/core';
import type { AuditConsentRef } from './types.js';

/** The subject id of `record()`'s options, validated. */
export function subjectIdOf(subject: string | Subject | undefined): string | undefined {
  if (subject === undefined) return undefined;
  const id = typeof subject === 'string' ? subject : subject?.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) {
    throw new TactfulError(
      'INVALID_INPUT',
      'audit: subject must be a non-empty id of at most 128 characters',
      {
        path: ['subject'],
      },
    );
  }
  return id;
}

/** The consent records that authorised the purposes a decision used (granted ones only). */
export function consentRefs(decision: Decision, consent: ConsentState): AuditConsentRef[] {
  const refs: AuditConsentRef[] = [];
  for (const purpose of [...decision.purposesUsed].sort()) {
    const c = consent.purposes[purpose];
    if (c?.status !== 'granted') continue;
    refs.push({
      purpose,
      provider: c.provider,
      ...(c.recordId === undefined ? {} : { recordId: c.recordId }),
      ...(c.noticeVersion === undefined ? {} : { noticeVersion: c.noticeVersion }),
    });
  }
  return refs;
}

/** Checks a consent state given to `record()`. */
export function assertConsent(consent: unknown): asserts consent is ConsentState | undefined {
  if (consent === undefined) return;
  const purposes = (consent as { purposes?: unknown } | null)?.purposes;
  if (typeof purposes !== 'object' || purposes === null) {
    throw new TactfulError(
      'INVALID_INPUT',
      'audit: options.consent must be a consent state ({ purposes: { ... } })',
      {
        path: ['consent'],
      },
    );
  }
}

/** Checks that `record()` was given a decision as `decide()` returns it. */
export function assertDecision(decision: unknown): asserts decision is Decision {
  const d = decision as Partial<Decision> | null;
  if (
    !d ||
    typeof d !== 'object' ||
    typeof d.traceId !== 'string' ||
    typeof d.decidedAt !== 'string' ||
    !Array.isArray(d.slots) ||
    !Array.isArray(d.purposesUsed) ||
    !Array.isArray(d.categoriesUsed) ||
    !Array.isArray(d.dropped) ||
    typeof d.consent !== 'object' ||
    d.consent === null
  ) {
    throw new TactfulError('INVALID_INPUT', 'audit: record() takes a decision as decide() returns it', {
      path: ['decision'],
    });
  }
}

/** Finds the decision and the subject in whatever the orchestrator's `decision` event carries. */
export function fromEvent(args: unknown[]): { decision: Decision; subject?: string } | undefined {
  for (const arg of args) {
    if (!arg || typeof arg !== 'object') continue;
    const a = arg as Record<string, unknown>;
    const decision = (typeof a['traceId'] === 'string' && Array.isArray(a['slots']) ? a : a['decision']) as
      | Decision
      | undefined;
    if (!decision || typeof decision !== 'object') continue;
    const request = a['request'] as { subject?: { id?: unknown } } | undefined;
    const raw = request?.subject?.id ?? (a['subject'] as { id?: unknown } | undefined)?.id ?? a['subject'];
    return { decision, ...(typeof raw === 'string' ? { subject: raw } : {}) };
  }
  return undefined;
}
