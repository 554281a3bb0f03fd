import { dntFromHeaders, gpcFromHeaders } from '@tactful/consent';
import { TactfulError } from '@tactful/core';
import type { Hono } from 'hono';
import { readJson } from '../body.js';
import { fromStore } from '../errors.js';
import {
  type Runtime,
  type ServerEnv,
  clearSessionCookie,
  setSessionCookie,
  signedCookie,
} from '../runtime.js';
import { SessionEventsBodySchema } from '../schemas.js';

/** The purpose anonymous session personalization serves. */
export const SESSION_PURPOSE = 'personalization.session';

/** True when the person has granted the session purpose (reading the consent store). */
export async function sessionAllowed(rt: Runtime, subject: string | undefined): Promise<boolean> {
  if (subject === undefined) return false;
  const state = await fromStore(() => rt.tactful.consent.state(subject));
  return state.purposes[SESSION_PURPOSE]?.status === 'granted';
}

/** `POST /v1/session/events`, `DELETE /v1/session`. */
export function sessionRoutes(app: Hono<ServerEnv>, rt: Runtime): void {
  app.post('/v1/session/events', async (c) => {
    const caller = c.get('caller');
    if (caller.kind !== 'browser') {
      throw new TactfulError(
        'INVALID_REQUEST',
        'session events are for browsers (cookie sessions); a service passes its session in the decide request',
      );
    }
    const body = await readJson(c, SessionEventsBodySchema);
    const existing = signedCookie(rt, c, 'session');
    const headers = c.req.raw.headers;
    const signal = gpcFromHeaders(headers) ? 'gpc' : dntFromHeaders(headers) ? 'dnt' : undefined;
    if (signal !== undefined || !(await sessionAllowed(rt, caller.subject))) {
      // Nothing is kept, no cookie is set, and a session that was running ends (P1, P7).
      if (existing !== undefined) {
        await fromStore(async () => rt.sessions.end(existing));
        clearSessionCookie(rt, c);
      }
      return c.json({ recorded: 0, session: 'off' as const, reason: signal ?? ('no-consent' as const) });
    }
    const opened = await fromStore(async () => rt.sessions.open(existing));
    let recorded = 0;
    for (const event of body.events) {
      const { at, ...rest } = event;
      if (
        await fromStore(async () => rt.sessions.record(opened.id, at === undefined ? rest : { ...rest, at }))
      )
        recorded++;
    }
    if (opened.id !== existing) setSessionCookie(rt, c, opened.id);
    return c.json({ recorded, session: 'active' as const });
  });

  app.delete('/v1/session', async (c) => {
    const existing = signedCookie(rt, c, 'session');
    if (existing !== undefined) await fromStore(async () => rt.sessions.end(existing));
    clearSessionCookie(rt, c);
    return c.body(null, 204);
  });
}
