import { type ConsentState, type Decision, canonicalJson } from '@tactful/core';
import { consentRefs } from './record-input.js';
import type { AuditPayload } from './types.js';

/**
 * The payload the trail records for a decision (what `record()` resolves with). Taken as a copy,
 * so a caller changing the decision afterwards changes nothing recorded.
 */
export function decisionPayload(
  decision: Decision,
  consent: ConsentState,
  subject: string | null,
  salt: string,
): AuditPayload {
  return {
    traceId: decision.traceId,
    decidedAt: decision.decidedAt,
    consent: consentRefs(decision, consent),
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
    subject,
    salt,
  };
}

/** Thrown inside {@link decisionPayloadJson} when a value is not of the shape the direct form writes. */
const NOT_PLAIN: unique symbol = Symbol('not plain');

/** Characters JSON.stringify writes as escapes: quote, backslash, controls, surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

const q = (value: unknown): string => {
  if (typeof value !== 'string') throw NOT_PLAIN;
  return ESCAPED.test(value) ? JSON.stringify(value) : `"${value}"`;
};

/** A list of strings as JSON. */
function list(items: ReadonlyArray<unknown>): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ',') + q(items[i]);
  return `${out}]`;
}

/** A copy sorted as `[...items].sort()` sorts (none made for fewer than two). */
const sorted = (items: ReadonlyArray<unknown>): ReadonlyArray<unknown> =>
  items.length > 1 ? [...items].sort() : items;

/**
 * The canonical JSON of {@link decisionPayload}'s result, written directly from the decision:
 * members in sorted order, strings by `JSON.stringify`, no payload object built on the way. Equal
 * to `canonicalJson(decisionPayload(...))` for every decision (a property test holds it to that);
 * a decision with a member of another type than `decide()` gives (a number for a name, say) goes
 * through `canonicalJson` of the payload instead.
 */
export function decisionPayloadJson(
  decision: Decision,
  consent: ConsentState,
  subject: string | null,
  salt: string,
): string {
  try {
    return directJson(decision, consent, subject, salt);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
    return canonicalJson(decisionPayload(decision, consent, subject, salt));
  }
}

function directJson(decision: Decision, consent: ConsentState, subject: string | null, salt: string): string {
  const purposes = sorted(decision.purposesUsed);
  const p: string[] = ['{"categories":', list(sorted(decision.categoriesUsed)), ',"consent":['];
  let first = true;
  for (const purpose of purposes) {
    const c = consent.purposes[purpose as string];
    if (c?.status !== 'granted') continue;
    p.push(first ? '{' : ',{');
    if (c.noticeVersion !== undefined) p.push('"noticeVersion":', q(c.noticeVersion), ',');
    p.push('"provider":', q(c.provider), ',"purpose":', q(purpose));
    if (c.recordId !== undefined) p.push(',"recordId":', q(c.recordId));
    p.push('}');
    first = false;
  }
  p.push('],"decidedAt":', q(decision.decidedAt), ',"dropped":[');
  for (let i = 0; i < decision.dropped.length; i++) {
    const d = decision.dropped[i]!;
    p.push(
      i === 0 ? '{"code":' : ',{"code":',
      q(d.code),
      ',"kind":',
      q(d.kind),
      ',"outcome":',
      q(d.outcome),
      ',"plugin":',
      q(d.plugin),
      '}',
    );
  }
  p.push('],"purposes":', list(purposes), ',"salt":', q(salt), ',"slots":[');
  for (let i = 0; i < decision.slots.length; i++) {
    const s = decision.slots[i]!;
    if (typeof s.isDefault !== 'boolean') throw NOT_PLAIN;
    p.push(
      i === 0 ? '{"isDefault":' : ',{"isDefault":',
      s.isDefault ? 'true' : 'false',
      ',"slot":',
      q(s.slot),
      ',"strategy":',
      q(s.strategy),
    );
    if (s.variant !== undefined) p.push(',"variant":', q(s.variant));
    p.push('}');
  }
  p.push('],"subject":', subject === null ? 'null' : q(subject), ',"traceId":', q(decision.traceId), '}');
  return p.join('');
}
