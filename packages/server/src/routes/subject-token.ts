import { timingSafeEqual } from 'node:crypto';
import { SubjectSchema, hkdfSha256, hmacKeySync, hmacSync, sha256Sync } from '@tactful/core';
import type { Context, Hono } from 'hono';
import { parse as parseCookies, serialize } from 'hono/utils/cookie';
import { z } from 'zod';
import type { Caller } from '../auth.js';
import { readJson } from '../body.js';
import { COOKIES, type CookieSigner, newSubjectId } from '../cookies.js';
import { errorResponse } from '../errors.js';
import { type Runtime, type ServerEnv, idCookieOptions, requestHeader } from '../runtime.js';

/**
 * The header a page's client sends a subject token in: proof, issued by the server for one
 * browser, that the page was rendered for a known person.
 */
export const SUBJECT_TOKEN_HEADER = 'tactful-subject-token';

/** What a subject token is good for: the one route that accepts it. */
export const SUBJECT_TOKEN_AUDIENCE = { method: 'POST', path: '/v1/decide' } as const;

/** Shortest and longest lifetime a service may ask for, in seconds (default 300). */
export const SUBJECT_TOKEN_TTL = Object.freeze({ min: 30, max: 3600, default: 300 });

/** Why a subject token was refused: the answer's error code, and its HTTP status. */
export type SubjectTokenProblem =
  | 'SUBJECT_TOKEN_MALFORMED'
  | 'SUBJECT_TOKEN_INVALID'
  | 'SUBJECT_TOKEN_EXPIRED'
  | 'SUBJECT_TOKEN_WRONG_BROWSER'
  | 'SUBJECT_TOKEN_AUDIENCE'
  | 'SUBJECT_TOKEN_NOT_FOR_SERVICES';

/** `POST /v1/subject-token`'s body. */
export const SubjectTokenBodySchema = z.strictObject({
  /**
   * The `Cookie` header of the page request being rendered (only the server's id cookie is read).
   * Without a valid id cookie in it, a new browser id is made and its cookie returned in `setCookie`.
   */
  cookie: z.string().max(8192).optional(),
  /** Seconds the token is accepted for (30–3600, default 300). */
  ttlSeconds: z.int().min(SUBJECT_TOKEN_TTL.min).max(SUBJECT_TOKEN_TTL.max).optional(),
});

/** `POST /v1/subject-token`'s answer. */
export const SubjectTokenResponseSchema = z.strictObject({
  /** Hand it to the page (`createClient({ subjectToken })`). */
  token: z.string(),
  /** The person it decides for (the `Tactful-Subject` header of the request). */
  subject: z.string(),
  expiresAt: z.iso.datetime(),
  /**
   * When the page request had no valid id cookie: the `Set-Cookie` value to add to the page's
   * answer, so the browser holds the id the token is bound to.
   */
  setCookie: z.string().optional(),
});

const PREFIX = 'st1';
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** Signs and checks subject tokens with a key derived from the server secret for them alone. */
export interface SubjectTokens {
  /** A token for `subject`, bound to the browser whose id cookie holds `browserId`. */
  issue(subject: string, browserId: string, ttlSeconds: number): { token: string; expiresAt: number };
  /** The subject when the token is sound, fresh and bound to `browserId`; else why not. */
  verify(
    token: string,
    browserId: string | undefined,
  ): { subject: string } | { problem: SubjectTokenProblem; message: string };
}

/**
 * Makes the signer of subject tokens. A token is
 * `st1.<expiry, seconds base 36>.<subject, base64url>.<browser binding>.<HMAC-SHA-256>`: the MAC
 * covers the audience (`POST /v1/decide`), the expiry, the subject and the binding (a digest of the
 * browser's id, read from its signed HttpOnly cookie), under a key no cookie shares.
 */
export function subjectTokens(secret: string, now: () => number): SubjectTokens {
  const key = hmacKeySync(hkdfSha256(secret, { info: 'tactful/server/subject-token/v1' }));
  const audience = `${SUBJECT_TOKEN_AUDIENCE.method} ${SUBJECT_TOKEN_AUDIENCE.path}`;
  const bind = (browserId: string) => b64url(sha256Sync(`tactful/browser\n${browserId}`).subarray(0, 16));
  const mac = (expiry: string, subject: string, binding: string) =>
    b64url(hmacSync(key, `${PREFIX}\n${audience}\n${expiry}\n${subject}\n${binding}`));
  return {
    issue(subject, browserId, ttlSeconds) {
      const expiresAt = (Math.floor(now() / 1000) + ttlSeconds) * 1000;
      const expiry = (expiresAt / 1000).toString(36);
      const encoded = Buffer.from(subject, 'utf8').toString('base64url');
      const binding = bind(browserId);
      return {
        token: `${PREFIX}.${expiry}.${encoded}.${binding}.${mac(expiry, encoded, binding)}`,
        expiresAt,
      };
    },
    verify(token, browserId) {
      const parts = token.length > 1024 ? [] : token.split('.');
      const [prefix, expiry = '', encoded = '', binding = '', given = ''] = parts;
      if (
        parts.length !== 5 ||
        prefix !== PREFIX ||
        !/^[0-9a-z]{1,10}$/.test(expiry) ||
        !/^[A-Za-z0-9_-]{1,400}$/.test(encoded) ||
        !/^[A-Za-z0-9_-]{22}$/.test(binding) ||
        !/^[A-Za-z0-9_-]{43}$/.test(given)
      ) {
        return {
          problem: 'SUBJECT_TOKEN_MALFORMED',
          message: `Tactful-Subject-Token: not a subject token (${PREFIX}.<expiry>.<subject>.<binding>.<mac>); pass the token the server issued, unchanged`,
        };
      }
      const expected = Buffer.from(mac(expiry, encoded, binding));
      if (!timingSafeEqual(Buffer.from(given), expected)) {
        return {
          problem: 'SUBJECT_TOKEN_INVALID',
          message:
            'Tactful-Subject-Token: the signature does not hold (altered, or issued by a server with another secret); get a new token from the server that renders the page',
        };
      }
      const expiresAt = Number.parseInt(expiry, 36) * 1000;
      // The longest lifetime bounds how far ahead an expiry may be (a token signed with a clock far ahead).
      if (now() >= expiresAt || expiresAt - now() > (SUBJECT_TOKEN_TTL.max + 300) * 1000) {
        return {
          problem: 'SUBJECT_TOKEN_EXPIRED',
          message: `Tactful-Subject-Token: expired at ${new Date(expiresAt).toISOString()}; render the page again (or ask your server) for a new token`,
        };
      }
      if (browserId === undefined || bind(browserId) !== binding) {
        return {
          problem: 'SUBJECT_TOKEN_WRONG_BROWSER',
          message:
            'Tactful-Subject-Token: issued for another browser (its id cookie is missing or not the one the token is bound to); a token is good only in the browser whose page request it was issued for',
        };
      }
      const subject = Buffer.from(encoded, 'base64url').toString('utf8');
      const parsed = SubjectSchema.shape.id.safeParse(subject);
      if (!parsed.success) {
        return {
          problem: 'SUBJECT_TOKEN_MALFORMED',
          message: 'Tactful-Subject-Token: the subject is not a valid id',
        };
      }
      return { subject: parsed.data };
    },
  };
}

const STATUS: Record<SubjectTokenProblem, 400 | 401 | 403> = {
  SUBJECT_TOKEN_MALFORMED: 401,
  SUBJECT_TOKEN_INVALID: 401,
  SUBJECT_TOKEN_EXPIRED: 401,
  SUBJECT_TOKEN_WRONG_BROWSER: 403,
  SUBJECT_TOKEN_AUDIENCE: 403,
  SUBJECT_TOKEN_NOT_FOR_SERVICES: 400,
};

/**
 * The gate for the subject token header, after the caller is known: without the header nothing
 * changes; with it, a browser's decide request is for the token's subject, and anything else is
 * refused with a typed error (never a decision for the browser's own id instead). Returns the
 * refusal, or `undefined` when the request may go on.
 */
export function subjectTokenGate(
  c: Context<ServerEnv>,
  tokens: SubjectTokens,
  signer: CookieSigner,
): Response | undefined {
  const token = requestHeader(c, SUBJECT_TOKEN_HEADER);
  if (token === undefined) return undefined;
  const caller = c.get('caller');
  const refuse = (problem: SubjectTokenProblem, message: string) => {
    if (STATUS[problem] === 401) c.header('WWW-Authenticate', `Tactful-Subject-Token error="${problem}"`);
    return errorResponse(c, STATUS[problem], problem, message);
  };
  if (caller.kind === 'service') {
    return refuse(
      'SUBJECT_TOKEN_NOT_FOR_SERVICES',
      'Tactful-Subject-Token: a service names the person with the Tactful-Subject header, not a token',
    );
  }
  if (c.req.method !== SUBJECT_TOKEN_AUDIENCE.method || c.req.path !== SUBJECT_TOKEN_AUDIENCE.path) {
    return refuse(
      'SUBJECT_TOKEN_AUDIENCE',
      `Tactful-Subject-Token: good for ${SUBJECT_TOKEN_AUDIENCE.method} ${SUBJECT_TOKEN_AUDIENCE.path} only; send it with decisions, not with ${c.req.method} ${c.req.path}`,
    );
  }
  const browserId = signer.verify('id', parseCookies(requestHeader(c, 'cookie') ?? '')[COOKIES.id]);
  const checked = tokens.verify(token.trim(), browserId);
  if ('problem' in checked) return refuse(checked.problem, checked.message);
  c.set('caller', { ...caller, subject: checked.subject } satisfies Caller);
  return undefined;
}

/** `POST /v1/subject-token`: a service (the site's own server rendering a page) gets a subject token for a browser. */
export function subjectTokenRoutes(app: Hono<ServerEnv>, rt: Runtime, tokens: SubjectTokens): void {
  app.post('/v1/subject-token', async (c) => {
    const caller = c.get('caller');
    if (caller.kind !== 'service') {
      return errorResponse(
        c,
        403,
        'FORBIDDEN',
        "subject tokens are issued to services (a bearer token): a browser can't say who it is",
      );
    }
    if (caller.subject === undefined) {
      return errorResponse(
        c,
        400,
        'NO_SUBJECT',
        'name the person the page was rendered for with the "Tactful-Subject" header',
      );
    }
    const body = await readJson(c, SubjectTokenBodySchema);
    const cookies = body.cookie === undefined ? {} : parseCookies(body.cookie);
    const known = rt.signer.verify('id', cookies[COOKIES.id]);
    const browserId = known ?? newSubjectId();
    const ttl = body.ttlSeconds ?? SUBJECT_TOKEN_TTL.default;
    const { token, expiresAt } = tokens.issue(caller.subject, browserId, ttl);
    const setCookie =
      known === undefined
        ? serialize(COOKIES.id, rt.signer.sign('id', browserId), idCookieOptions(rt, c))
        : undefined;
    return c.json({
      token,
      subject: caller.subject,
      expiresAt: new Date(expiresAt).toISOString(),
      ...(setCookie === undefined ? {} : { setCookie }),
    });
  });
}
