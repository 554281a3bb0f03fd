import { dntFromHeaders, gpcFromHeaders } from '@tactful/consent';
import { TactfulError } from '@tactful/core';
import { noticeReference } from '@tactful/notice';
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { readJson } from '../body.js';
import { fromStore } from '../errors.js';
import { COOKIES, newSubjectId } from '../cookies.js';
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
  const existing = signedCookie(rt, c, COOKIES.session);
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
  const common = { subject, ...(locale === undefined ? {} : { locale }) };
  for (const purpose of grant) {
    await fromStore(() =>
      rt.tactful.consent.grant({
        ...common,
        purpose,
        method,
        notice: noticeReference(rt.tactful.notice, purpose),
      }),
    );
  }
  if (deny.length > 0) {
    const act = { ...common, purposes: deny, method };
    await fromStore(() => (withdraw ? rt.tactful.consent.withdraw(act) : rt.tactful.consent.deny(act)));
  }
  await followSession(rt, c, subject);
  return subject;
}

/** `GET/POST/DELETE /v1/consent` and `/v1/consent/{purpose}`. */
export function consentRoutes(app: Hono<ServerEnv>, rt: Runtime): void {
  app.get('/v1/consent', async (c) => c.json(await consentState(rt, c, c.get('caller').subject)));

  app.post('/v1/consent', async (c) => {
    const body = await readJson(c, ConsentChoicesBodySchema);
    checkNoticeVersion(rt, body.noticeVersion);
    knownPurposes(rt, body.grant, 'grant');
    knownPurposes(rt, body.deny, 'deny');
    const subject = await recordChoices(rt, c, body.grant, body.deny, body.method, body.locale, false);
    return c.json(await consentState(rt, c, subject));
  });

  app.delete('/v1/consent', async (c) => {
    const caller = c.get('caller');
    const subject = caller.subject;
    if (subject !== undefined) {
      await fromStore(() => rt.tactful.consent.withdraw({ subject, purposes: 'all' }));
      await followSession(rt, c, subject);
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
    const subject = await recordChoices(rt, c, [purpose], [], body.method, body.locale, false);
    return c.json(await consentState(rt, c, subject));
  });

  app.delete('/v1/consent/:purpose', async (c) => {
    const purpose = purposeParam(rt, c);
    const caller = c.get('caller');
    if (caller.subject === undefined) return c.json(await consentState(rt, c, undefined));
    const subject = await recordChoices(rt, c, [], [purpose], 'api', undefined, true);
    return c.json(await consentState(rt, c, subject));
  });
}
