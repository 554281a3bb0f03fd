import {
  DATA_ORIGINS,
  type DataOrigin,
  type LocalizedText,
  type TactfulErrorCode,
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

/** The slot ids a decision asked for (a `Set` will do). */
export interface SlotIds {
  has(id: string): boolean;
}

/** Limits on one output. */
export interface OutputLimits {
  readonly maxOutputBytes: number;
  readonly maxProposals: number;
  readonly maxDepth: number;
}

const ORIGINS: ReadonlySet<string> = new Set(DATA_ORIGINS);

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
 * The value of an own property: a getter (or setter) is refused without being called, since it
 * could answer the check one thing and every later reader another.
 */
function dataOf(value: object, key: string | number, i: number | string, j: number): unknown {
  const d = Object.getOwnPropertyDescriptor(value, key);
  if (d !== undefined && !('value' in d))
    refuse(
      `${whereOf(i, j, '.content')}: "${key}" is a getter or setter (plain data only: a getter could answer differently later)`,
    );
  // Read as any caller will (a proxy's trap runs now, as it will for them).
  return (value as Record<string | number, unknown>)[key];
}

/**
 * Walks a JSON-like value within a size budget; returns the budget left. Refuses values that are
 * not plain data (functions, class instances, getters and setters, symbols, bigints, non-finite numbers), nest deeper
 * than `maxDepth` (which also catches cycles), or exceed the budget — without walking past it.
 * Freezes every object and array before reading it, so what was checked is what callers get: the
 * strategy cannot change it afterwards, and a caller (a listener, a hook, the application) editing
 * a decision's content cannot rewrite the strategy's own data for the decisions after it.
 */
function measure(
  value: unknown,
  budget: number,
  depth: number,
  limits: OutputLimits,
  i: number | string,
  j = -1,
): number {
  // Over budget already: stays negative, and nothing more is walked.
  if (budget < 0) return budget;
  switch (typeof value) {
    case 'string':
      return budget - value.length - 2;
    case 'number':
      if (!Number.isFinite(value)) refuse(`${whereOf(i, j, '.content')}: numbers must be finite`);
      return budget - 8;
    case 'boolean':
    case 'undefined':
      return budget - 4;
    case 'object': {
      if (value === null) return budget - 4;
      if (depth >= limits.maxDepth)
        refuse(`${whereOf(i, j, '.content')}: nested deeper than ${limits.maxDepth} levels (or circular)`);
      if (!Object.isFrozen(value)) Object.freeze(value);
      else {
        // Frozen before: perhaps data the strategy hands back decision after decision (a catalog
        // entry, a device description inside a signal), sealed on its second sight.
        let known = sealed.get(value);
        if (known === undefined) {
          if (!seenFrozen.has(value)) seenFrozen.add(value);
          else {
            known = sealedShape(value, 0);
            if (known !== undefined) sealed.set(value, known);
          }
        }
        // Only when it fits both the budget and the depth: anything else is walked, so every
        // refusal and its message are exactly those of a walk.
        if (known !== undefined && known.size <= budget && depth + known.depth < limits.maxDepth)
          return budget - known.size;
      }
      if (Array.isArray(value)) {
        let b = budget - 2;
        for (let k = 0; k < value.length && b >= 0; k++)
          b = measure(dataOf(value, k, i, j), b - 1, depth + 1, limits, i, j);
        return b;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        refuse(`${whereOf(i, j, '.content')}: only plain objects, arrays and primitives are allowed`);
      let b = budget - 2;
      // An index loop: `for…of` over the key list costs a third of the walk.
      const keys = Object.keys(value);
      for (let n = 0; n < keys.length && b >= 0; n++) {
        const key = keys[n]!;
        if (isForbiddenKey(key))
          refuse(
            `${whereOf(i, j, '.content')}: the key "${key}" is not allowed (it could change an object's prototype)`,
          );
        b = measure(dataOf(value, key, i, j), b - key.length - 4, depth + 1, limits, i, j);
      }
      return b;
    }
    default:
      return refuse(`${whereOf(i, j, '.content')}: a ${typeof value} is not allowed (plain data only)`);
  }
}

/**
 * What a value costs {@link measure} when it can never change: deep-frozen plain data whose every
 * key is a data property (no getter can answer differently next time). Strategies that return
 * content from a frozen catalog hand back the same objects decision after decision; they are
 * walked once more to prove that, then cost a lookup. Keyed weakly by the value itself.
 */
interface Sealed {
  /** What measure subtracts from the budget for it. */
  readonly size: number;
  /** The deepest level at which it holds an object or array (the value itself is 0). */
  readonly depth: number;
}
const sealed = new WeakMap<object, Sealed>();
/** Frozen values seen once: sealed on the second sight, so one-off outputs cost no extra walk. */
const seenFrozen = new WeakSet<object>();
/** Deeper than this is never sealed (measured every time, as before). */
const SEAL_DEPTH = 64;

/** The cost and depth of a deep-frozen plain value with data properties only, else `undefined`. */
function sealedShape(value: unknown, depth: number): Sealed | undefined {
  switch (typeof value) {
    case 'string':
      return { size: value.length + 2, depth: -1 };
    case 'number':
      return Number.isFinite(value) ? { size: 8, depth: -1 } : undefined;
    case 'boolean':
    case 'undefined':
      return { size: 4, depth: -1 };
    case 'object': {
      if (value === null) return { size: 4, depth: -1 };
      if (depth >= SEAL_DEPTH || !Object.isFrozen(value)) return undefined;
      const isArray = Array.isArray(value);
      if (!isArray) {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) return undefined;
      }
      let size = 2;
      let deepest = depth;
      const keys = Object.keys(value);
      for (const key of keys) {
        if (!isArray && isForbiddenKey(key)) return undefined;
        const d = Object.getOwnPropertyDescriptor(value, key);
        if (d === undefined || !('value' in d)) return undefined;
        const inner = sealedShape(d.value, depth + 1);
        if (inner === undefined) return undefined;
        size += (isArray ? 1 : key.length + 4) + inner.size;
        if (inner.depth > deepest) deepest = inner.depth;
      }
      // An array's holes and extra keys: measure walks indexes 0..length-1 only.
      if (isArray && keys.length !== (value as unknown[]).length) return undefined;
      return { size, depth: deepest };
    }
    default:
      return undefined;
  }
}

/** A localized text (`where` names it in messages: a proposal's reason, or a veto's). */
function text(value: unknown, i: number | string, j = -1): LocalizedText {
  if (typeof value !== 'object' || value === null)
    refuse(`${whereOf(i, j, '.reason')}: expected { en, vi? }`);
  const { en, vi } = value as { en?: unknown; vi?: unknown };
  if (typeof en !== 'string' || en.length === 0 || en.length > 2000)
    refuse(`${whereOf(i, j, '.reason')}.en: expected a non-empty string`);
  if (vi === undefined) return { en };
  if (typeof vi !== 'string' || vi.length === 0 || vi.length > 2000)
    refuse(`${whereOf(i, j, '.reason')}.vi: expected a non-empty string`);
  return { en, vi };
}

function strings(value: unknown, i: number, j: number, field: string, max: number): string[] {
  if (!Array.isArray(value)) refuse(`${at(i, j, field)}: expected an array of strings`);
  if (value.length > max) refuse(`${at(i, j, field)}: at most ${max} entries`);
  const out: string[] = new Array(value.length);
  for (let k = 0; k < value.length; k++) {
    const v: unknown = value[k];
    if (typeof v !== 'string' || v.length > 256)
      refuse(`${at(i, j, field)}[${k}]: expected a string of at most 256 characters`);
    out[k] = v;
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
  slots: SlotIds,
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

/** Where in the output a proposal (or one of its fallbacks) is, for messages: built only on refusal. */
function at(i: number, j: number, field: string): string {
  return j < 0 ? `proposals[${i}]${field}` : `proposals[${i}].fallbacks[${j}]${field}`;
}

/** `j` of a published signal's walk: `i` is then the signal's name. */
const SIGNAL = -2;

/** A message's path: given as text, a published signal by its name, or a proposal's field by its indexes. */
function whereOf(i: number | string, j: number, field: string): string {
  if (typeof i === 'string') return j === SIGNAL ? `signals["${i}"]` : i;
  return at(i, j, field);
}

/** Reads the parts a proposal and its fallbacks share into `out`; returns the budget left. */
function readBody(
  p: Record<string, unknown>,
  out: { -readonly [K in keyof CheckedFallback]?: CheckedFallback[K] },
  i: number,
  j: number,
  budget: number,
  given: readonly string[],
  limits: OutputLimits,
): number {
  const { content, variant, score, topics, reason, signals, categories, signalsUsed } = p;
  const left = measure(content, budget, 0, limits, i, j);
  if (left < 0) refuse(`output larger than ${limits.maxOutputBytes} bytes`, 'PAYLOAD_TOO_LARGE');
  out.content = content;
  out.reason = text(reason, i, j);
  if (variant !== undefined) {
    if (typeof variant !== 'string' || variant.length > 256)
      refuse(`${at(i, j, '.variant')}: expected a string`);
    out.variant = variant;
  }
  if (score !== undefined) {
    if (typeof score !== 'number' || !(score >= 0 && score <= 1))
      refuse(`${at(i, j, '.score')}: expected a number in [0, 1]`);
    out.score = score;
  }
  if (topics !== undefined) out.topics = strings(topics, i, j, '.topics', 100);
  if (signals !== undefined) out.signals = strings(signals, i, j, '.signals', 100);
  if (categories !== undefined) {
    const cats = strings(categories, i, j, '.categories', 100);
    for (const c of cats) {
      if (!given.includes(c))
        refuse(`${at(i, j, '.categories')}: claims "${c}", which it was not given`, 'UNDECLARED_READ');
    }
    out.categories = cats;
  }
  if (signalsUsed !== undefined) {
    if (!Array.isArray(signalsUsed) || signalsUsed.length > 50)
      refuse(`${at(i, j, '.signalsUsed')}: expected an array of at most 50`);
    const used: Array<{ signal: string; fields?: string[] }> = new Array(signalsUsed.length);
    for (let k = 0; k < signalsUsed.length; k++) {
      const u: unknown = signalsUsed[k];
      if (typeof u !== 'object' || u === null)
        refuse(`${at(i, j, `.signalsUsed[${k}]`)}: expected { signal, fields? }`);
      const { signal, fields } = u as Record<string, unknown>;
      if (typeof signal !== 'string' || signal.length > 256)
        refuse(`${at(i, j, `.signalsUsed[${k}].signal`)}: expected a string`);
      used[k] =
        fields === undefined
          ? { signal }
          : { signal, fields: strings(fields, i, j, `.signalsUsed[${k}].fields`, 100) };
    }
    out.signalsUsed = used;
  }
  return left;
}

function check(
  value: unknown,
  slots: SlotIds,
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
  for (let i = 0; i < list.length; i++) {
    const p: unknown = list[i];
    if (typeof p !== 'object' || p === null || Array.isArray(p))
      refuse(`proposals[${i}]: expected an object`);
    const { slot, origin, fallbacks } = p as Record<string, unknown>;
    if (typeof slot !== 'string') refuse(`proposals[${i}].slot: expected a string`);
    // Built in place, the slot first (no spread of a dynamic object on the hot path).
    const out = { slot } as { -readonly [K in keyof CheckedProposal]: CheckedProposal[K] };
    budget = readBody(p as Record<string, unknown>, out, i, -1, budget, given, limits);
    if (origin !== undefined) {
      if (typeof origin !== 'string' || !ORIGINS.has(origin))
        refuse(`proposals[${i}].origin: expected one of ${DATA_ORIGINS.join(', ')}`);
      out.origin = origin as DataOrigin;
    }
    if (fallbacks !== undefined) {
      if (!Array.isArray(fallbacks) || fallbacks.length > MAX_FALLBACKS)
        refuse(`proposals[${i}].fallbacks: expected an array of at most ${MAX_FALLBACKS}`);
      const checked: CheckedFallback[] = [];
      for (let j = 0; j < fallbacks.length; j++) {
        const f: unknown = fallbacks[j];
        if (typeof f !== 'object' || f === null || Array.isArray(f))
          refuse(`proposals[${i}].fallbacks[${j}]: expected an object`);
        const body = {} as CheckedFallback;
        budget = readBody(f as Record<string, unknown>, body, i, j, budget, given, limits);
        checked.push(body);
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
    for (let k = 0; k < publishes.length; k++) {
      const name = publishes[k]!;
      if (!Object.hasOwn(rawSignals, name)) continue;
      const v = (rawSignals as Record<string, unknown>)[name];
      // One walk measures, checks and freezes it all the way down (measure freezes every object
      // and array before reading it, and walks all of it whenever it fits): the strategies that
      // read it share this one value, exactly as it was checked.
      budget = measure(v, budget, 0, limits, name, SIGNAL);
      if (budget < 0) refuse(`output larger than ${limits.maxOutputBytes} bytes`, 'PAYLOAD_TOO_LARGE');
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
