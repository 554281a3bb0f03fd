import { dntFromHeaders, gpcFromHeaders } from '@tactful/consent';
import {
  type Decision,
  type DecisionRequestInput,
  type RequestContext,
  type Session,
  TactfulError,
  isTactfulError,
} from '@tactful/core';
import type { Hono } from 'hono';
import { readJson } from '../body.js';
import { type Runtime, type ServerEnv, plainJson, remoteAddress } from '../runtime.js';
import { DecideBodySchema } from '../schemas.js';

/** The privacy signals: set only from the headers or as an addition of the page's (see below). */
const SIGNAL_KEYS: ReadonlySet<string> = new Set(['gpc', 'dnt']);
/** What a browser's headers tell, never its body (with the privacy signals). */
const BROWSER_HEADER_KEYS: ReadonlySet<string> = new Set([
  'userAgent',
  'clientHints',
  'acceptLanguage',
  'gpc',
  'dnt',
]);

/** The request context of a decision: the page's, the headers', and the privacy signals. */
export function decisionContext(
  rt: Runtime,
  c: Parameters<typeof remoteAddress>[0],
  given: RequestContext | undefined,
  browser: boolean,
): RequestContext {
  // Node's own header record when there is one (no Fetch Headers object to build per request).
  const headers = c.env?.incoming?.headers ?? c.req.raw.headers;
  const gpc = gpcFromHeaders(headers) || given?.gpc === true;
  const dnt = dntFromHeaders(headers) || given?.dnt === true;
  if (browser && given?.geo !== undefined) {
    throw new TactfulError(
      'INVALID_REQUEST',
      "context.geo: location is read only from a trusted proxy's headers, never from the request body",
      { path: ['context', 'geo'] },
    );
  }
  // Built key by key: a rest pattern, spreads and `delete` cost more here than the rest of this
  // function, and a deleted key turns the object the engine then reads into a slower kind.
  const context: Record<string, unknown> = {};
  if (given !== undefined) {
    // From a browser, the headers tell the agent, hints, languages and (via the trusted proxy) the
    // coarse location; a page's own words for them are dropped. GPC and DNT are set below.
    const skip = browser ? BROWSER_HEADER_KEYS : SIGNAL_KEYS;
    for (const key of Object.keys(given)) {
      if (!skip.has(key)) context[key] = (given as Record<string, unknown>)[key];
    }
  }
  if (browser) {
    const fromHeaders = rt.readHeaders(headers, { remoteAddress: remoteAddress(c) });
    for (const key of Object.keys(fromHeaders)) {
      if (!SIGNAL_KEYS.has(key)) context[key] = (fromHeaders as Record<string, unknown>)[key];
    }
    if (given?.timeZone !== undefined) context.timeZone = given.timeZone;
  }
  if (gpc) context.gpc = true;
  if (dnt) context.dnt = true;
  return context as RequestContext;
}

/**
 * The browser's live session, or none when the session store cannot be read: the decision then
 * goes on without session personalization (P8) instead of failing.
 */
async function liveSession(rt: Runtime, id: string): Promise<Session | undefined> {
  try {
    return await rt.sessions.session(id);
  } catch (error) {
    rt.log({
      time: new Date(rt.now()).toISOString(),
      level: 'warn',
      msg: 'session-store-unavailable',
      code: isTactfulError(error) ? error.code : 'STORE_FAILED',
    });
    return undefined;
  }
}

/**
 * Whether the consent store failed for this decision: a consent provider dropped as failed, or a
 * purpose denied with `consent-unavailable`. Index and key loops: the decision is frozen, and
 * `some` over a frozen array is many times slower.
 */
function consentFailed(decision: Decision): boolean {
  const { dropped } = decision;
  for (let i = 0; i < dropped.length; i++) {
    const d = dropped[i]!;
    if (d.kind === 'consent' && d.outcome === 'failed') return true;
  }
  const { purposes } = decision.consent;
  for (const purpose in purposes) {
    if (Object.hasOwn(purposes, purpose) && purposes[purpose]?.reason === 'consent-unavailable') return true;
  }
  return false;
}

/** `POST /v1/decide`. */
export function decideRoutes(app: Hono<ServerEnv>, rt: Runtime): void {
  app.post('/v1/decide', async (c) => {
    const body = await readJson(c, DecideBodySchema);
    const caller = c.get('caller');
    const browser = caller.kind === 'browser';
    if (browser && body.session !== undefined) {
      throw new TactfulError(
        'INVALID_REQUEST',
        "session: a browser's session comes from its session cookie; send session events to /v1/session/events",
        { path: ['session'] },
      );
    }
    const context = decisionContext(rt, c, body.context, browser);
    let session = body.session;
    if (caller.kind === 'browser') {
      session = caller.sessionId === undefined ? undefined : await liveSession(rt, caller.sessionId);
    }
    // Optional members assigned, not spread from possibly-empty objects (slower, and they make the
    // request a dictionary object the engine then reads and freezes more slowly).
    const request: { -readonly [K in keyof DecisionRequestInput]: DecisionRequestInput[K] } = {
      slots: body.slots,
      context,
    };
    if (caller.subject !== undefined) request.subject = { id: caller.subject };
    if (session !== undefined) request.session = session;
    if (body.traceId !== undefined) request.traceId = body.traceId;
    // The audit trail's overload policy applies before deciding, so no decision goes unrecorded
    // silently: `shed` answers 503 with Retry-After now, `wait` holds the request until there is
    // room (`gap` lets it through; a signed gap entry then counts it).
    const admission = rt.tactful.audit?.admit();
    if (admission !== undefined) await admission;
    // Every part was validated here with core's schemas (the body), verified (the cookies) or
    // read by the header reader, so the engine need not parse the request again.
    const decision = await rt.tactful.engine.decide(request, { trusted: true });
    c.set('traceId', decision.traceId);
    // The store failed: the opt-in provider denied with `consent-unavailable`, or (configured to
    // throw) the orchestrator dropped it. Either way nothing was personalized; say why.
    if (consentFailed(decision)) {
      return plainJson(rt, c, {
        ...decision,
        degraded: {
          reason: 'consent-unavailable' as const,
          message:
            'consent could not be read, so nothing was personalized: every slot shows its default content',
        },
      });
    }
    return plainJson(rt, c, decision);
  });
}
