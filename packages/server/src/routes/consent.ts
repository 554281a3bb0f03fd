import { type ConsentChange, dntFromHeaders, gpcFromHeaders } from '@tactful/consent';
import { TactfulError, isTactfulError } from '@tactful/core';
import { noticeReference } from '@tactful/notice';
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { readJson } from '../body.js';
import { fromStore, statusOf } from '../errors.js';
import { newSubjectId } from '../cookies.js';
import {
  type Runtime,
  type ServerEnv,
  clearSessionCookie,
  setIdCookie,
  setSessionCookie,
  signedCookie,
} from '../runtime.js';
import {
  ConsentChoicesBodySchema,
  ConsentGrantBodySchema,
  type ConsentStateResponseSchema,
  PurposeIdSchema,
} from '../schemas.js';
import { SESSION_PURPOSE } from './session.js';

type ConsentStateResponse = z.output<typeof ConsentStateResponseSchema>;

/** The purposes a person is asked about: those the notice covers (what this deployment uses). */
function askedPurposes(rt: Runtime): string[] {
  return Object.keys(rt.tactful.notice.purposes).sort();
}

function purposeParam(rt: Runtime, c: Context<ServerEnv>): string {
  const parsed = PurposeIdSchema.safeParse(c.req.param('purpose'));
  if (!parsed.success) {
    throw new TactfulError('INVALID_REQUEST', 'purpose: a purpose id such as "personalization.profile"', {
      path: ['purpose'],
    });
  }
  knownPurposes(rt, [parsed.data], 'purpose');
  return parsed.data;
}

/** The consent state of every asked purpose, as the person may see it. */
export async function consentState(
  rt: Runtime,
  c: Context<ServerEnv>,
  subject: string | undefined,
): Promise<ConsentStateResponse> {
  const headers = c.req.raw.headers;
  const signals = { gpc: gpcFromHeaders(headers), dnt: dntFromHeaders(headers) };
  const purposes: ConsentStateResponse['purposes'] = {};
  const state = subject === undefined ? undefined : await fromStore(() => rt.tactful.consent.state(subject));
  for (const id of askedPurposes(rt)) {
    const s = state?.purposes[id];
    if (s === undefined) {
      purposes[id] = { status: 'denied', reason: 'no-record' };
      continue;
    }
    purposes[id] = {
      status: s.status,
      reason: s.reason,
      ...(s.record ? { recordedAt: s.record.recordedAt } : {}),
      ...(s.record?.expiresAt ? { expiresAt: s.record.expiresAt } : {}),
    };
  }
  return { purposes, noticeVersion: rt.tactful.notice.version, signals };
}

/** The subject a consent act is recorded under; a browser without one gets a new id cookie. */
function actingSubject(rt: Runtime, c: Context<ServerEnv>): string {
  const caller = c.get('caller');
  if (caller.subject !== undefined) return caller.subject;
  if (caller.kind === 'service') {
    throw new TactfulError(
      'INVALID_REQUEST',
      'name the person with the "Tactful-Subject" header (a pseudonymous id) to record their consent',
      { path: ['tactful-subject'] },
    );
  }
  const subject = newSubjectId();
  setIdCookie(rt, c, subject);
  c.set('caller', { ...caller, subject });
  return subject;
}

function checkNoticeVersion(rt: Runtime, seen: string | undefined): void {
  if (seen !== undefined && seen !== rt.tactful.notice.version) {
    throw new TactfulError(
      'CONFLICT',
      `noticeVersion: the privacy notice changed since version ${seen}; show the current one (${rt.tactful.notice.version}) and ask again`,
      { path: ['noticeVersion'] },
    );
  }
}

function knownPurposes(rt: Runtime, ids: string[], field: string): void {
  const known = rt.tactful.notice.purposes;
  ids.forEach((id, i) => {
    if (!Object.hasOwn(known, id)) {
      throw new TactfulError(
        'UNKNOWN_PURPOSE',
        `${field === 'purpose' ? field : `${field}[${i}]`}: "${id}" is not one this site asks consent for; use one of: ${askedPurposes(rt).join(', ')}`,
        { path: field === 'purpose' ? [field] : [field, i] },
      );
    }
  });
}

/**
 * After any consent change the anonymous session id is replaced (events kept) while the session
 * purpose stays granted, and ended (cookie removed) when it no longer is.
 */
async function followSession(rt: Runtime, c: Context<ServerEnv>, subject: string): Promise<void> {
  const existing = signedCookie(rt, c, 'session');
  if (existing === undefined) return;
  const state = await fromStore(() => rt.tactful.consent.state(subject));
  const live = (await fromStore(async () => rt.sessions.session(existing))) !== undefined;
  if (state.purposes[SESSION_PURPOSE]?.status === 'granted' && live) {
    setSessionCookie(rt, c, await fromStore(async () => rt.sessions.rotate(existing, { keepEvents: true })));
  } else {
    await fromStore(async () => rt.sessions.end(existing));
    clearSessionCookie(rt, c);
  }
}

/** Who recorded a consent act: the browser, or the service by its token's name. */
function sourceOf(c: Context<ServerEnv>): string {
  const caller = c.get('caller');
  return caller.kind === 'service' ? `server:service:${caller.name}` : 'server:browser';
}

/** How a withdrawal without a body was made: a browser's own control, or a service's API call. */
function withdrawalMethod(c: Context<ServerEnv>): 'preference-center' | 'api' {
  return c.get('caller').kind === 'service' ? 'api' : 'preference-center';
}

/** A consent write failed: nothing of it was stored (the store writes every choice in one transaction). */
class NotRecorded extends Error {
  constructor(readonly failure: unknown) {
    super('not recorded');
  }
}

/**
 * Records every choice of one request as ONE atomic write (all or none): a failure leaves nothing
 * of it behind. Then follows the session as the new consent says.
 */
async function recordChoices(
  rt: Runtime,
  c: Context<ServerEnv>,
  grant: string[],
  deny: string[],
  method: z.output<typeof ConsentGrantBodySchema>['method'],
  locale: string | undefined,
  withdraw: boolean,
): Promise<string> {
  const subject = actingSubject(rt, c);
  // Every entry says who recorded it, how, and under which notice (grants and refusals alike).
  const common = { subject, source: sourceOf(c), ...(locale === undefined ? {} : { locale }) };
  const changes: ConsentChange[] = grant.map((purpose) => ({
    ...common,
    status: 'granted' as const,
    purpose,
    method,
    notice: noticeReference(rt.tactful.notice, purpose),
  }));
  for (const purpose of deny)
    changes.push({
      ...common,
      status: withdraw ? 'withdrawn' : 'denied',
      purpose,
      method,
      notice: noticeReference(rt.tactful.notice, purpose),
    });
  try {
    await fromStore(() => rt.tactful.consent.record(changes));
  } catch (error) {
    if (isTactfulError(error) && statusOf(error) < 500) throw error;
    throw new NotRecorded(error);
  }
  await followSession(rt, c, subject).catch(() => {
    // The choices are recorded; the session could not be rotated, so it ends (the safe side).
    clearSessionCookie(rt, c);
  });
  return subject;
}

/** The answer after a write: the new state, or (the state unreadable) a 503 that says it was recorded. */
async function afterWrite(
  rt: Runtime,
  c: Context<ServerEnv>,
  write: () => Promise<string>,
): Promise<Response> {
  let subject: string;
  try {
    subject = await write();
  } catch (error) {
    if (!(error instanceof NotRecorded)) throw error;
    c.header('Retry-After', '2');
    return c.json(
      {
        recorded: false,
        error: {
          code: 'STORE_FAILED',
          message:
            'nothing was recorded: the consent store could not take the change, and none of its choices was stored; retry shortly',
        },
      },
      503,
    );
  }
  try {
    return c.json(await consentState(rt, c, subject));
  } catch {
    c.header('Retry-After', '2');
    return c.json(
      {
        recorded: true,
        error: {
          code: 'STORE_FAILED',
          message:
            'every choice was recorded, but the consent state could not be read back; read GET /v1/consent shortly',
        },
      },
      503,
    );
  }
}

/** `GET/POST/DELETE /v1/consent` and `/v1/consent/{purpose}`. */
export function consentRoutes(app: Hono<ServerEnv>, rt: Runtime): void {
  app.get('/v1/consent', async (c) => c.json(await consentState(rt, c, c.get('caller').subject)));

  app.post('/v1/consent', async (c) => {
    const body = await readJson(c, ConsentChoicesBodySchema);
    checkNoticeVersion(rt, body.noticeVersion);
    knownPurposes(rt, body.grant, 'grant');
    knownPurposes(rt, body.deny, 'deny');
    return afterWrite(rt, c, () =>
      recordChoices(rt, c, body.grant, body.deny, body.method, body.locale, false),
    );
  });

  app.delete('/v1/consent', async (c) => {
    const caller = c.get('caller');
    const subject = caller.subject;
    if (subject !== undefined) {
      const body = await readJson(c, ConsentGrantBodySchema.partial(), { optional: true });
      // Each granted purpose is withdrawn with its own notice section, source and method.
      const state = await fromStore(() => rt.tactful.consent.state(subject));
      const known = rt.tactful.notice.purposes;
      const granted = Object.entries(state.purposes)
        .filter(([, s]) => s.status === 'granted' && s.reason !== 'not-required')
        .map(([p]) => p);
      const method = body.method ?? withdrawalMethod(c);
      // Purposes this notice no longer covers are withdrawn too (no section to name).
      const elsewhere = granted.filter((p) => !Object.hasOwn(known, p));
      if (elsewhere.length > 0)
        await fromStore(() =>
          rt.tactful.consent.withdraw({ subject, purposes: elsewhere, method, source: sourceOf(c) }),
        );
      const covered = granted.filter((p) => Object.hasOwn(known, p));
      if (covered.length > 0)
        return afterWrite(rt, c, () => recordChoices(rt, c, [], covered, method, body.locale, true));
      await followSession(rt, c, subject).catch(() => clearSessionCookie(rt, c));
    }
    return c.json(await consentState(rt, c, caller.subject));
  });

  app.get('/v1/consent/:purpose', async (c) => {
    const purpose = purposeParam(rt, c);
    const state = await consentState(rt, c, c.get('caller').subject);
    return c.json({ purpose, ...state.purposes[purpose]! });
  });

  app.post('/v1/consent/:purpose', async (c) => {
    const purpose = purposeParam(rt, c);
    const body = await readJson(c, ConsentGrantBodySchema, { optional: true });
    checkNoticeVersion(rt, body.noticeVersion);
    return afterWrite(rt, c, () => recordChoices(rt, c, [purpose], [], body.method, body.locale, false));
  });

  app.delete('/v1/consent/:purpose', async (c) => {
    const purpose = purposeParam(rt, c);
    const caller = c.get('caller');
    if (caller.subject === undefined) return c.json(await consentState(rt, c, undefined));
    const body = await readJson(c, ConsentGrantBodySchema.partial(), { optional: true });
    const method = body.method ?? withdrawalMethod(c);
    return afterWrite(rt, c, () => recordChoices(rt, c, [], [purpose], method, body.locale, true));
  });
}
