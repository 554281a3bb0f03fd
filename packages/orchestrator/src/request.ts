import {
  COUNTRY_RULE,
  type DecisionRequest,
  REQUEST_LIMITS,
  SESSION_EVENT_TYPES,
  SESSION_ID_RULE,
  SLOT_ID_RULE,
  SUBJECT_ID_RULE,
  TRACE_ID as TRACE_ID_PATTERN,
  ISO_DATETIME,
  TactfulError,
  checkOrThrow,
  decisionRequest,
  isObject,
  isPlainObject,
  isTactfulError,
} from '@tactful/core';

/**
 * Request validation at the boundary.
 *
 * `DecisionRequestSchema` (zod, in core) is the source of truth; no zod runs here, so a page that
 * decides in-process doesn't carry it. The hot path is {@link fastParseRequest}: a hand-written
 * parser of the same shape that accepts exactly what the schema accepts and returns the same output
 * (unknown keys stripped, defaults applied). When it rejects, core's `decisionRequest` check (the
 * same shape, proven to name the schema's first issue) produces the error. The patterns are core's,
 * shared with the schema, and property tests prove that all three accept and reject the same inputs.
 */

const SUBJECT_ID = SUBJECT_ID_RULE[0];
const SESSION_ID = SESSION_ID_RULE[0];
const SLOT_ID = SLOT_ID_RULE[0];
const DATETIME = ISO_DATETIME;
const TRACE_ID = TRACE_ID_PATTERN;
const COUNTRY = COUNTRY_RULE[0];
const EVENT_TYPES: ReadonlySet<string> = new Set(SESSION_EVENT_TYPES);
const MAX = REQUEST_LIMITS.maxString;

type Obj = Record<string, unknown>;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** Marker thrown inside the fast parser; never escapes this module. */
const INVALID = Symbol('invalid');

function fail(): never {
  throw INVALID;
}

/** A string-keyed record whose values pass `value`; mirrors zod's record (skips `__proto__`). */
function record(input: unknown, maxKey: number, value: (v: unknown) => boolean): Obj {
  if (!isPlainObject(input)) fail();
  // zod walks Reflect.ownKeys and skips non-enumerable keys: an enumerable symbol key is invalid.
  const symbols = Object.getOwnPropertySymbols(input);
  for (const sym of symbols) if (Object.prototype.propertyIsEnumerable.call(input, sym)) fail();
  const out: Obj = {};
  for (const key of Object.keys(input)) {
    if (key === '__proto__') continue;
    if (key.length > maxKey) fail();
    const v = input[key];
    if (!value(v)) fail();
    out[key] = v;
  }
  return Object.freeze(out);
}

const jsonPrimitive = (v: unknown): boolean =>
  v === null || typeof v === 'boolean' || isNum(v) || (typeof v === 'string' && v.length <= MAX);
const hintValue = (v: unknown): boolean => isStr(v, MAX);

function context(c: unknown): Obj {
  if (!isObject(c)) fail();
  const out: Obj = {};
  const { now, timeZone, userAgent, clientHints, acceptLanguage, locale, geo, preciseLocation } = c;
  const { url, referrer, gpc, dnt, tcString, attributes } = c;
  if (now !== undefined) {
    if (typeof now !== 'string' || !DATETIME.test(now)) fail();
    out['now'] = now;
  }
  if (timeZone !== undefined) out['timeZone'] = isStr(timeZone, 64) ? timeZone : fail();
  if (userAgent !== undefined) out['userAgent'] = isStr(userAgent, MAX) ? userAgent : fail();
  if (clientHints !== undefined) out['clientHints'] = record(clientHints, 64, hintValue);
  if (acceptLanguage !== undefined)
    out['acceptLanguage'] = isStr(acceptLanguage, 512) ? acceptLanguage : fail();
  if (locale !== undefined) out['locale'] = isStr(locale, 35) ? locale : fail();
  if (geo !== undefined) {
    if (!isObject(geo)) fail();
    const g: Obj = {};
    const { country, region, city } = geo;
    if (country !== undefined)
      g['country'] = typeof country === 'string' && COUNTRY.test(country) ? country : fail();
    if (region !== undefined) g['region'] = isStr(region, MAX) ? region : fail();
    if (city !== undefined) g['city'] = isStr(city, MAX) ? city : fail();
    out['geo'] = Object.freeze(g);
  }
  if (preciseLocation !== undefined) {
    if (!isObject(preciseLocation)) fail();
    const { latitude, longitude, accuracyMeters } = preciseLocation;
    if (!isNum(latitude) || latitude < -90 || latitude > 90) fail();
    if (!isNum(longitude) || longitude < -180 || longitude > 180) fail();
    const p: Obj = { latitude, longitude };
    if (accuracyMeters !== undefined)
      p['accuracyMeters'] = isNum(accuracyMeters) && accuracyMeters >= 0 ? accuracyMeters : fail();
    out['preciseLocation'] = Object.freeze(p);
  }
  if (url !== undefined) out['url'] = isStr(url, MAX) ? url : fail();
  if (referrer !== undefined) out['referrer'] = isStr(referrer, MAX) ? referrer : fail();
  if (gpc !== undefined) out['gpc'] = typeof gpc === 'boolean' ? gpc : fail();
  if (dnt !== undefined) out['dnt'] = typeof dnt === 'boolean' ? dnt : fail();
  if (tcString !== undefined) out['tcString'] = isStr(tcString, 8192) ? tcString : fail();
  if (attributes !== undefined) {
    const a = record(attributes, 128, jsonPrimitive);
    if (Object.keys(a).length > REQUEST_LIMITS.maxAttributes) fail();
    out['attributes'] = a;
  }
  return Object.freeze(out);
}

function sessionEvent(e: unknown): Obj {
  if (!isObject(e)) fail();
  const { type, at, target, topics, durationMs } = e;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) fail();
  if (typeof at !== 'string' || !DATETIME.test(at)) fail();
  const out: Obj = { type, at };
  if (target !== undefined) out['target'] = isStr(target, MAX) ? target : fail();
  if (topics !== undefined) {
    if (!Array.isArray(topics) || topics.length > 20) fail();
    const t: string[] = new Array(topics.length);
    for (let i = 0; i < topics.length; i++) {
      const v: unknown = topics[i];
      if (!isStr(v, 64)) fail();
      t[i] = v;
    }
    out['topics'] = Object.freeze(t);
  }
  if (durationMs !== undefined) {
    if (
      !Number.isSafeInteger(durationMs) ||
      (durationMs as number) < 0 ||
      (durationMs as number) > 86_400_000
    )
      fail();
    out['durationMs'] = durationMs;
  }
  return Object.freeze(out);
}

function session(s: unknown): Obj {
  if (!isObject(s)) fail();
  const { id, events } = s;
  if (typeof id !== 'string' || id.length < 16 || id.length > 128 || !SESSION_ID.test(id)) fail();
  if (events === undefined) return Object.freeze({ id, events: Object.freeze([]) });
  if (!Array.isArray(events) || events.length > REQUEST_LIMITS.maxSessionEvents) fail();
  const out: Obj[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) out[i] = sessionEvent(events[i]);
  return Object.freeze({ id, events: Object.freeze(out) });
}

function slots(s: unknown): readonly Obj[] {
  if (!Array.isArray(s) || s.length < 1 || s.length > REQUEST_LIMITS.maxSlots) fail();
  const out: Obj[] = new Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const slot: unknown = s[i];
    if (!isObject(slot)) fail();
    const id = slot['id'];
    if (typeof id !== 'string' || id.length < 1 || id.length > 128 || !SLOT_ID.test(id)) fail();
    const d = slot['default'];
    out[i] = Object.freeze(d === undefined ? { id } : { id, default: d });
  }
  return Object.freeze(out);
}

/**
 * Parses a decision request without zod: returns the same value `DecisionRequestSchema.parse`
 * would (frozen: every object it builds is frozen, slot `default` contents excepted, as they are
 * the caller's values), or `undefined` when the schema would reject the input.
 */
export function fastParseRequest(input: unknown): DecisionRequest | undefined {
  try {
    if (!isObject(input)) return undefined;
    const out: Obj = {};
    const subject = input['subject'];
    if (subject !== undefined) {
      if (!isObject(subject)) return undefined;
      const id = subject['id'];
      if (typeof id !== 'string' || id.length < 1 || id.length > 128 || !SUBJECT_ID.test(id))
        return undefined;
      out['subject'] = Object.freeze({ id });
    }
    const ctx = input['context'];
    out['context'] = ctx === undefined ? {} : context(ctx);
    const sess = input['session'];
    if (sess !== undefined) out['session'] = session(sess);
    out['slots'] = slots(input['slots']);
    const traceId = input['traceId'];
    if (traceId !== undefined) {
      if (typeof traceId !== 'string' || !TRACE_ID.test(traceId)) return undefined;
      out['traceId'] = traceId;
    }
    return Object.freeze(out) as DecisionRequest;
  } catch (error) {
    if (error === INVALID) return undefined;
    // A getter on a hostile input threw: let the schema report it (or throw it) below.
    return undefined;
  }
}

/**
 * Validates an untrusted decision request: the fast parser on the hot path, core's
 * `decisionRequest` check for the error (naming the offending field, as the schema's first issue).
 *
 * @throws TactfulError `INVALID_REQUEST` naming the field and what to fix.
 */
export function parseRequest(input: unknown): DecisionRequest {
  const fast = fastParseRequest(input);
  if (fast !== undefined) return fast;
  try {
    return checkOrThrow(decisionRequest, input, { code: 'INVALID_REQUEST', what: 'decision request' });
  } catch (cause) {
    if (isTactfulError(cause)) throw cause;
    throw new TactfulError('INVALID_REQUEST', 'invalid decision request: it could not be read', {
      cause,
      path: [],
    });
  }
}
