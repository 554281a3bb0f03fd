import { timingSafeEqual } from 'node:crypto';
import { sha256HexSync, sha256Sync } from '@tactful/core';
import { SubjectSchema } from '@tactful/core';

/** Who is calling: a browser (by its cookies), or a service (by its bearer token). */
export type Caller =
  | {
      kind: 'browser';
      /** The subject of the signed id cookie, when the browser has one. */
      subject: string | undefined;
      /** The anonymous session id of the signed session cookie, when present. */
      sessionId: string | undefined;
    }
  | {
      kind: 'service';
      /** The configured name of the token. */
      name: string;
      /** The person the service acts for (`Tactful-Subject` header), when it names one. */
      subject: string | undefined;
    };

/** A configured bearer token: its caller's name and the SHA-256 hex digest of the token. */
export interface TokenDigest {
  name: string;
  sha256: string;
}

/** The header a service names the person it acts for with. */
export const SUBJECT_HEADER = 'tactful-subject';

/**
 * Checks bearer tokens against configured SHA-256 digests. The presented token is hashed, and the
 * digest compared with every configured one in constant time (no early exit on a match), so timing
 * tells nothing about which token, or how much of one, was right.
 */
export function tokenVerifier(tokens: ReadonlyArray<TokenDigest>): (token: string) => string | undefined {
  const known = tokens.map((t) => ({ name: t.name, digest: Buffer.from(t.sha256, 'hex') }));
  return (token) => {
    if (token.length === 0 || token.length > 4096) return undefined;
    const digest = sha256Sync(token);
    let found: string | undefined;
    for (const t of known) {
      if (timingSafeEqual(digest, t.digest) && found === undefined) found = t.name;
    }
    return found;
  };
}

/** The SHA-256 hex digest of a token, as the configuration's `server.tokens[].sha256` wants it. */
export function tokenDigest(token: string): string {
  return sha256HexSync(token);
}

/** Reads a bearer token from an `Authorization` header value, or `undefined`. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** A subject id from a header value, when it is a valid pseudonymous id. */
export function subjectFromHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = SubjectSchema.shape.id.safeParse(value.trim());
  return parsed.success ? parsed.data : undefined;
}
