import type { Context, Hono } from 'hono';
import { readJson } from '../body.js';
import { errorResponse, fromStore } from '../errors.js';
import { type Runtime, type ServerEnv, clearSessionCookie, signedCookie } from '../runtime.js';
import { AttributesBodySchema, PreferencesBodySchema, RectifyBodySchema } from '../schemas.js';

/** The person of the request (cookie or service header) — never a body or query field. */
function subjectOf(c: Context<ServerEnv>): string | undefined {
  return c.get('caller').subject;
}

function noSubject(c: Context<ServerEnv>): Response {
  return errorResponse(
    c,
    401,
    'NO_SUBJECT',
    'no person is identified: a browser is known by the id cookie set when it records a consent choice; a service names the person with the "Tactful-Subject" header',
  );
}

/** Counts a rights request against the person's hourly limit; a 429 answer when past it. */
async function limited(rt: Runtime, c: Context<ServerEnv>, subject: string): Promise<Response | undefined> {
  const wait = await fromStore(async () => rt.rightsLimit.hit(subject));
  if (wait === 0) return undefined;
  c.header('Retry-After', String(wait));
  return errorResponse(
    c,
    429,
    'RATE_LIMITED',
    `too many export or erasure requests; try again in ${wait} seconds`,
  );
}

/** `GET /v1/me/export`, `PATCH /v1/me`, `PATCH /v1/me/preferences`, `PATCH /v1/me/attributes`, `DELETE /v1/me`. */
export function meRoutes(app: Hono<ServerEnv>, rt: Runtime): void {
  app.get('/v1/me/export', async (c) => {
    const subject = subjectOf(c);
    if (subject === undefined) return noSubject(c);
    const tooMany = await limited(rt, c, subject);
    if (tooMany) return tooMany;
    const document = await fromStore(() => rt.tactful.rights.export(subject));
    // The access request covers what the service can tie to the requester: the anonymous session
    // whose cookie came with the request is part of it.
    const caller = c.get('caller');
    const session =
      caller.kind === 'browser' && caller.sessionId !== undefined
        ? await fromStore(async () => rt.sessions.session(caller.sessionId!))
        : undefined;
    if (session !== undefined) {
      document.sections.push({
        kind: 'store',
        name: 'anonymous-session',
        data: JSON.parse(JSON.stringify({ id: session.id, events: session.events })),
      });
      document.empty = false;
    }
    c.header('Cache-Control', 'no-store');
    if (c.req.query('download') === '1') {
      c.header('Content-Disposition', 'attachment; filename="my-data.json"');
    }
    return c.json(document);
  });

  app.patch('/v1/me', async (c) => {
    const subject = subjectOf(c);
    if (subject === undefined) return noSubject(c);
    const body = await readJson(c, RectifyBodySchema);
    return c.json(await fromStore(() => rt.tactful.rights.rectify(subject, body.changes)));
  });

  app.patch('/v1/me/preferences', async (c) => {
    const subject = subjectOf(c);
    if (subject === undefined) return noSubject(c);
    const value = await readJson(c, PreferencesBodySchema);
    return c.json(
      await fromStore(() => rt.tactful.rights.rectify(subject, [{ category: 'profile.preferences', value }])),
    );
  });

  app.patch('/v1/me/attributes', async (c) => {
    const subject = subjectOf(c);
    if (subject === undefined) return noSubject(c);
    const value = await readJson(c, AttributesBodySchema);
    return c.json(
      await fromStore(() => rt.tactful.rights.rectify(subject, [{ category: 'profile.attributes', value }])),
    );
  });

  app.delete('/v1/me', async (c) => {
    const subject = subjectOf(c);
    if (subject === undefined) return noSubject(c);
    const tooMany = await limited(rt, c, subject);
    if (tooMany) return tooMany;
    const receipt = await fromStore(() => rt.tactful.rights.erase(subject));
    const session = signedCookie(rt, c, 'session');
    if (session !== undefined) {
      await fromStore(async () => rt.sessions.end(session));
      clearSessionCookie(rt, c);
    }
    c.header('Cache-Control', 'no-store');
    return c.json(receipt);
  });
}
