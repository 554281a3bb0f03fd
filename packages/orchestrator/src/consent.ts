import type { ConsentQuery, ConsentState, DroppedPlugin, PurposeConsent } from '@tactful/core';
import { type CallResult, callWithDeadline, describeError, isThenable } from './call.js';
import type { Registry } from './registry.js';

/** The combined consent of one decision. */
export interface ResolvedConsent {
  /** The snapshot that authorises the decision (one entry per purpose the configuration uses). */
  readonly state: ConsentState;
  /** Purposes granted. */
  readonly granted: ReadonlySet<string>;
  /** Providers that failed (then nothing that needs consent is granted: P8). */
  readonly failures: readonly DroppedPlugin[];
}

const STATUSES = new Set(['granted', 'denied']);
const OPTIONAL_TEXT = ['recordId', 'reason', 'noticeVersion', 'expiresAt'] as const;

/**
 * Reads one provider's answer defensively. Returns the entries for the asked purposes, indexed
 * like `purposes` (a hole where it said nothing), or a description of what is wrong with it.
 */
function readAnswer(
  value: unknown,
  provider: string,
  purposes: readonly string[],
): Array<PurposeConsent | undefined> | string {
  if (typeof value !== 'object' || value === null) return 'returned no consent state';
  const map = (value as { purposes?: unknown }).purposes;
  if (typeof map !== 'object' || map === null || Array.isArray(map))
    return 'returned a consent state without a "purposes" object';
  const out: Array<PurposeConsent | undefined> = new Array(purposes.length);
  for (let i = 0; i < purposes.length; i++) {
    const purpose = purposes[i]!;
    if (!Object.hasOwn(map, purpose)) continue;
    const entry: unknown = (map as Record<string, unknown>)[purpose];
    if (typeof entry !== 'object' || entry === null) return `purpose "${purpose}": expected an object`;
    const status = (entry as { status?: unknown }).status;
    if (typeof status !== 'string' || !STATUSES.has(status))
      return `purpose "${purpose}": status must be "granted" or "denied"`;
    const clean: PurposeConsent = { status: status as PurposeConsent['status'], provider };
    for (let k = 0; k < OPTIONAL_TEXT.length; k++) {
      const key = OPTIONAL_TEXT[k]!;
      const v = (entry as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') return `purpose "${purpose}": ${key} must be a string`;
      clean[key] = v.slice(0, 512);
    }
    out[i] = clean;
  }
  return out;
}

/**
 * Asks every consent provider, concurrently and each with a deadline, and combines their answers:
 * a purpose is granted only when some provider grants it and none denies it (P1). A provider that
 * throws, hangs or answers garbage makes every consent-based purpose denied (P8: a consent store
 * that cannot be read means no personalization, never a guess). Nothing here is cached: each
 * decision asks again, so a withdrawal applies to the very next decision (P6).
 */
export function resolveConsent(
  registry: Registry,
  query: ConsentQuery,
  traceId: string,
  deadline: number,
): ResolvedConsent | Promise<ResolvedConsent> {
  const providers = registry.consent;
  const calls: Array<CallResult<unknown> | Promise<CallResult<unknown>>> = new Array(providers.length);
  let pending = false;
  for (let i = 0; i < providers.length; i++) {
    const p = providers[i]!;
    const call = callWithDeadline(
      'consent provider',
      p.name,
      p.plugin,
      'resolve',
      query,
      p.timeoutMs,
      deadline,
      traceId,
      i > 0,
    );
    if (isThenable(call)) pending = true;
    calls[i] = call;
  }
  if (!pending) return combine(registry, calls as Array<CallResult<unknown>>);
  return Promise.all(calls).then((results) => combine(registry, results));
}

function combine(registry: Registry, results: ReadonlyArray<CallResult<unknown>>): ResolvedConsent {
  const purposes = registry.purposes;
  const failures: DroppedPlugin[] = [];
  const answers: Array<Array<PurposeConsent | undefined>> = [];
  // By provider name, so which grant or denial is named never depends on registration order.
  const order = registry.consentOrder;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const result = results[i]!;
    const name = registry.consent[i]!.name;
    if (!result.ok) {
      failures.push({
        plugin: name,
        kind: 'consent',
        outcome: 'failed',
        code: result.timedOut ? 'PLUGIN_TIMEOUT' : 'CONSENT_UNAVAILABLE',
        reason: result.timedOut
          ? describeError(result.error)
          : `consent provider failed: ${describeError(result.error)}`,
      });
      continue;
    }
    let answer: Array<PurposeConsent | undefined> | string;
    try {
      answer = readAnswer(result.value, name, purposes);
    } catch (error) {
      answer = `returned an unreadable consent state (${describeError(error)})`;
    }
    if (typeof answer === 'string') {
      failures.push({
        plugin: name,
        kind: 'consent',
        outcome: 'failed',
        code: 'CONSENT_UNAVAILABLE',
        reason: answer,
      });
      continue;
    }
    answers.push(answer);
  }

  const state: Record<string, PurposeConsent> = {};
  const granted = new Set<string>();
  const failed = failures.length > 0;
  for (let i = 0; i < purposes.length; i++) {
    const purpose = purposes[i]!;
    if (registry.consentFree.has(purpose)) {
      state[purpose] = {
        status: 'granted',
        provider: 'orchestrator',
        reason: 'strictly necessary: does not rest on consent',
      };
      granted.add(purpose);
      continue;
    }
    if (failed) {
      state[purpose] = {
        status: 'denied',
        provider: 'orchestrator',
        reason: `consent unavailable: ${failures.map((f) => f.plugin).join(', ')} could not be read`,
      };
      continue;
    }
    let grant: PurposeConsent | undefined;
    let denial: PurposeConsent | undefined;
    for (let a = 0; a < answers.length; a++) {
      const entry = answers[a]![i];
      if (!entry) continue;
      if (entry.status === 'denied') {
        denial = entry;
        break;
      }
      grant ??= entry;
    }
    if (denial) state[purpose] = denial;
    else if (grant) {
      state[purpose] = grant;
      granted.add(purpose);
    } else state[purpose] = { status: 'denied', provider: 'orchestrator', reason: 'no consent record' };
  }
  return { state: { purposes: state }, granted, failures };
}
