/**
 * `@tactful/server`: the Tactful decision server. A small, hardened HTTP API (Hono on Node) made
 * from a configuration file: decisions, anonymous session events, consent, the person's export,
 * rectification and erasure, the privacy notice, GPC support, health and an OpenAPI document.
 *
 * @packageDocumentation
 */
export { createServer, type ServerStats, type TactfulServer } from './app.js';
export type { ListenOptions, ListeningServer } from './listen.js';
export {
  ServerOptionsSchema,
  jsonLineLogger,
  type Assembly,
  type ServerLogEntry,
  type ServerLogger,
  type ServerOptions,
  type ResolvedServerOptions,
} from './options.js';
export {
  COOKIES,
  COOKIE_LIFETIMES,
  ID_COOKIE_MAX_AGE,
  cookieSigner,
  type CookieKind,
  type CookieLifetimes,
  type CookieSigner,
  type CookieSignerOptions,
} from './cookies.js';
export { tokenDigest, SUBJECT_HEADER, type Caller } from './auth.js';
export { OPERATIONS, type Operation, openApiDocument } from './openapi.js';
export * from './schemas.js';
export { SERVER_VERSION } from './version.js';
export type { ServerEnv } from './runtime.js';
export {
  SUBJECT_TOKEN_AUDIENCE,
  SUBJECT_TOKEN_HEADER,
  SUBJECT_TOKEN_TTL,
  SubjectTokenBodySchema,
  SubjectTokenResponseSchema,
  subjectTokens,
  type SubjectTokenProblem,
  type SubjectTokens,
} from './routes/subject-token.js';
