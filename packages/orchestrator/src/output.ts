import {
  DATA_ORIGINS,
  type DataOrigin,
  type LocalizedText,
  type TactfulErrorCode,
  inspectValue,
  isForbiddenKey,
} from '@tactful/core';

/** A proposal after validation. */
export interface CheckedProposal {
  readonly slot: string;
  readonly content: unknown;
  readonly variant?: string;
  readonly score?: number;
  readonly origin?: DataOrigin;
  readonly topics?: readonly string[];
  readonly reason: LocalizedText;
  readonly signals?: readonly string[];
  readonly categories?: readonly string[];
  /** The signals (and their fields) it rests on. */
  readonly signalsUsed?: ReadonlyArray<{ readonly signal: string; readonly fields?: readonly string[] }>;
  /** What to show instead, in order, when a declared "not interested" removes this proposal (P4). */
  readonly fallbacks?: readonly CheckedFallback[];
}

/** A fallback of a proposal after validation (same slot, no origin of its own). */
export type CheckedFallback = Omit<CheckedProposal, 'slot' | 'origin' | 'fallbacks'>;

/** Most fallbacks one proposal may carry. */
export const MAX_FALLBACKS = 20;

/** A strategy's output after validation. */
export interface CheckedOutput {
  readonly proposals: readonly CheckedProposal[];
  /** Published signal values (declared ones only), deep-frozen. */
  readonly signals: ReadonlyMap<string, unknown>;
  readonly vetoes: ReadonlyArray<{ readonly topic: string; readonly reason?: LocalizedText }>;
}

/** Why an output was refused. */
export interface OutputProblem {
  readonly code: TactfulErrorCode;
  readonly reason: string;
}

/** Limits on one output. */
export interface OutputLimits {
  readonly maxOutputBytes: number;
  readonly maxProposals: number;
  readonly maxDepth: number;
}

const ORIGINS: ReadonlySet<string> = new Set(DATA_ORIGINS);
const TOO_BIG = -1;

class Refused {
  constructor(
    readonly code: TactfulErrorCode,
    readonly reason: string,
  ) {}
}

function refuse(reason: string, code: TactfulErrorCode = 'INVALID_OUTPUT'): never {
  throw new Refused(code, reason);
}

/**
 * Walks a JSON-like value within a size budget; returns the budget left. Refuses values that are
 * not plain data (functions, class instances, symbols, bigints, non-finite numbers), nest deeper
 * than `maxDepth` (which also catches cycles), or exceed the budget — without walking past it.
 */
function measure(value: unknown, budget: number, depth: number, limits: OutputLimits, where: string): number {
  if (budget < 0) return TOO_BIG;
  switch (typeof value) {
    case 'string':
      return budget - value.length - 2;
    case 'number':
      if (!Number.isFinite(value)) refuse(`${where}: numbers must be finite`);
      return budget - 8;
    case 'boolean':
    case 'undefined':
      return budget - 4;
    case 'object': {
      if (value === null) return budget - 4;
      if (depth >= limits.maxDepth)
        refuse(`${where}: nested deeper than ${limits.maxDepth} levels (or circular)`);
      if (Array.isArray(value)) {
        let b = budget - 2;
        for (let i = 0; i < value.length && b >= 0; i++)
          b = measure(value[i], b - 1, depth + 1, limits, where);
        return b;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        refuse(`${where}: only plain objects, arrays and primitives are allowed`);
      let b = budget - 2;
      for (const key of Object.keys(value)) {
        if (b < 0) break;
        if (isForbiddenKey(key))
          refuse(`${where}: the key "${key}" is not allowed (it could change an object's prototype)`);
        b = measure((value as Record<string, unknown>)[key], b - key.length - 4, depth + 1, limits, where);
      }
      return b;
    }
    default:
      return refuse(`${where}: a ${typeof value} is not allowed (plain data only)`);
  }
}

function text(value: unknown, where: string): LocalizedText {
  if (typeof value !== 'object' || value === null) refuse(`${where}: expected { en, vi? }`);
  const { en, vi } = value as { en?: unknown; vi?: unknown };
  if (typeof en !== 'string' || en.length === 0 || en.length > 2000)
    refuse(`${where}.en: expected a non-empty string`);
  if (vi === undefined) return { en };
  if (typeof vi !== 'string' || vi.length === 0 || vi.length > 2000)
    refuse(`${where}.vi: expected a non-empty string`);
  return { en, vi };
}

function strings(value: unknown, where: string, max: number): string[] {
  if (!Array.isArray(value)) refuse(`${where}: expected an array of strings`);
  if (value.length > max) refuse(`${where}: at most ${max} entries`);
  const out: string[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'string' || v.length > 256)
      refuse(`${where}[${i}]: expected a string of at most 256 characters`);
    out[i] = v;
  }
  return out;
}

/**
 * Validates what a strategy returned. Proposals for slots that were not requested are ignored;
 * anything malformed refuses the whole output (the strategy is dropped from this decision, P8).
 *
 * @param given the categories the strategy was given in this decision: a proposal may only claim those.
 */
export function checkOutput(
  value: unknown,
  slots: ReadonlySet<string>,
  publishes: readonly string[],
  given: readonly string[],
  limits: OutputLimits,
): CheckedOutput | OutputProblem {
  try {
    return check(value, slots, publishes, given, limits);
  } catch (error) {
    if (error instanceof Refused) return { code: error.code, reason: error.reason };
    return { code: 'INVALID_OUTPUT', reason: 'output could not be read' };
  }
}

function check(
  value: unknown,
  slots: ReadonlySet<string>,
  publishes: readonly string[],
  given: readonly string[],
  limits: OutputLimits,
): CheckedOutput {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    refuse('expected an object { proposals: [...] }');
  const raw = value as Record<string, unknown>;
  const list = raw['proposals'];
  if (!Array.isArray(list)) refuse('"proposals" must be an array');
  if (list.length > limits.maxProposals) refuse(`${list.length} proposals; at most ${limits.maxProposals}`);
  let budget = limits.maxOutputBytes;
  const proposals: CheckedProposal[] = [];
  /** Reads the parts a proposal and its fallbacks share. */
  const readBody = (p: Record<string, unknown>, where: string) => {
    const { content, variant, score, topics, reason, signals, categories, signalsUsed } = p;
    budget = measure(content, budget, 0, limits, `${where}.content`);
    if (budget < 0) refuse(`output larger than ${limits.maxOutputBytes} bytes`, 'PAYLOAD_TOO_LARGE');
    const out: { -readonly [K in keyof CheckedFallback]: CheckedFallback[K] } = {
      content,
      reason: text(reason, `${where}.reason`),
    };
    if (variant !== undefined) {
      if (typeof variant !== 'string' || variant.length > 256) refuse(`${where}.variant: expected a string`);
      out.variant = variant;
    }
    if (score !== undefined) {
      if (typeof score !== 'number' || !(score >= 0 && score <= 1))
        refuse(`${where}.score: expected a number in [0, 1]`);
      out.score = score;
    }
    if (topics !== undefined) out.topics = strings(topics, `${where}.topics`, 100);
    if (signals !== undefined) out.signals = strings(signals, `${where}.signals`, 100);
    if (categories !== undefined) {
      const cats = strings(categories, `${where}.categories`, 100);
      for (const c of cats) {
        if (!given.includes(c))
          refuse(`${where}.categories: claims "${c}", which it was not given`, 'UNDECLARED_READ');
      }
      out.categories = cats;
    }
    if (signalsUsed !== undefined) {
      if (!Array.isArray(signalsUsed) || signalsUsed.length > 50)
        refuse(`${where}.signalsUsed: expected an array of at most 50`);
      out.signalsUsed = signalsUsed.map((u: unknown, j) => {
        const at = `${where}.signalsUsed[${j}]`;
        if (typeof u !== 'object' || u === null) refuse(`${at}: expected { signal, fields? }`);
        const { signal, fields } = u as Record<string, unknown>;
        if (typeof signal !== 'string' || signal.length > 256) refuse(`${at}.signal: expected a string`);
        return fields === undefined ? { signal } : { signal, fields: strings(fields, `${at}.fields`, 100) };
      });
    }
    return out;
  };
  for (let i = 0; i < list.length; i++) {
    const where = `proposals[${i}]`;
    const p: unknown = list[i];
    if (typeof p !== 'object' || p === null || Array.isArray(p)) refuse(`${where}: expected an object`);
    const { slot, origin, fallbacks } = p as Record<string, unknown>;
    if (typeof slot !== 'string') refuse(`${where}.slot: expected a string`);
    const out: { -readonly [K in keyof CheckedProposal]: CheckedProposal[K] } = {
      slot,
      ...readBody(p as Record<string, unknown>, where),
    };
    if (origin !== undefined) {
      if (typeof origin !== 'string' || !ORIGINS.has(origin))
        refuse(`${where}.origin: expected one of ${DATA_ORIGINS.join(', ')}`);
      out.origin = origin as DataOrigin;
    }
    if (fallbacks !== undefined) {
      if (!Array.isArray(fallbacks) || fallbacks.length > MAX_FALLBACKS)
        refuse(`${where}.fallbacks: expected an array of at most ${MAX_FALLBACKS}`);
      const checked: CheckedFallback[] = [];
      for (let j = 0; j < fallbacks.length; j++) {
        const f: unknown = fallbacks[j];
        if (typeof f !== 'object' || f === null || Array.isArray(f))
          refuse(`${where}.fallbacks[${j}]: expected an object`);
        checked.push(readBody(f as Record<string, unknown>, `${where}.fallbacks[${j}]`));
      }
      if (checked.length > 0) out.fallbacks = checked;
    }
    if (slots.has(slot)) proposals.push(out);
  }
  const published = new Map<string, unknown>();
  const rawSignals = raw['signals'];
  if (rawSignals !== undefined) {
    if (typeof rawSignals !== 'object' || rawSignals === null || Array.isArray(rawSignals))
      refuse('"signals" must be an object');
    for (const name of publishes) {
      if (!Object.hasOwn(rawSignals, name)) continue;
      const v = (rawSignals as Record<string, unknown>)[name];
      budget = measure(v, budget, 0, limits, `signals["${name}"]`);
      if (budget < 0) refuse(`output larger than ${limits.maxOutputBytes} bytes`, 'PAYLOAD_TOO_LARGE');
      // Frozen all the way down: the strategies that read it share this one value.
      inspectValue(v, { freeze: true, bounds: { maxDepth: limits.maxDepth } });
      published.set(name, v);
    }
  }
  const vetoes: Array<{ topic: string; reason?: LocalizedText }> = [];
  const rawVetoes = raw['vetoes'];
  if (rawVetoes !== undefined) {
    if (!Array.isArray(rawVetoes) || rawVetoes.length > 1000)
      refuse('"vetoes" must be an array of at most 1000');
    for (let i = 0; i < rawVetoes.length; i++) {
      const v: unknown = rawVetoes[i];
      if (typeof v !== 'object' || v === null) refuse(`vetoes[${i}]: expected { topic }`);
      const { topic, reason } = v as { topic?: unknown; reason?: unknown };
      if (typeof topic !== 'string' || topic.length > 256) refuse(`vetoes[${i}].topic: expected a string`);
      vetoes.push(reason === undefined ? { topic } : { topic, reason: text(reason, `vetoes[${i}].reason`) });
    }
  }
  return { proposals, signals: published, vetoes };
}
