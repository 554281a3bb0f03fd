import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSessionStore } from '@tactful/anonymous-session';
import {
  type TactfulConfig,
  type TactfulConfigInput,
  TactfulConfigSchema,
  createTactful,
} from '@tactful/config';
import { headerReader } from '@tactful/contextual';
import { TactfulError, isTactfulError, zodIssues } from '@tactful/core';
import { type Context, Hono, type Next } from 'hono';
import { routePath } from 'hono/route';
import { bodyCap } from './body-cap.js';
import { bearerToken, type Caller, SUBJECT_HEADER, subjectFromHeader, tokenVerifier } from './auth.js';
import { COOKIES, cookieSigner } from './cookies.js';
import { PUBLIC_V1_ROUTES, hasDotSegment } from './path-guard.js';
import { csrfCheck } from './csrf.js';
import { answerError, errorResponse, statusOf } from './errors.js';
import { concurrencyLimiter, rateLimiter } from './limits.js';
import { admission } from './overload.js';
import { passedFrontDoor } from './front-door.js';
import { type ListenOptions, type ListeningServer, listen } from './listen.js';
import { openApiDocument } from './openapi.js';
import {
  type Assembly,
  type ServerLogEntry,
  type ServerOptions,
  jsonLineLogger,
  parseServerOptions,
} from './options.js';
import { consentRoutes } from './routes/consent.js';
import { decideRoutes } from './routes/decide.js';
import { meRoutes } from './routes/me.js';
import { corsHandler } from './cors.js';
import { publicRoutes } from './routes/public.js';
import { sessionRoutes } from './routes/session.js';
import { subjectTokenGate, subjectTokenRoutes, subjectTokens } from './routes/subject-token.js';
import {
  PLAIN_JSON_ROUTES,
  type Runtime,
  SECURITY_HEADERS,
  type ServerEnv,
  isPlainAnswer,
  requestCookies,
  requestHeader,
} from './runtime.js';

/** What {@link TactfulServer.stats} reports. */
export interface ServerStats {
  readonly admitted: number;
  readonly shed: Readonly<Record<'queue-full' | 'queue-timeout' | 'lagging', number>>;
  readonly queued: number;
  /** Requests being decided now. */
  readonly active: number;
  /** The in-flight limit now: `maxConcurrent`, or less while the server runs over `latencyTargetMs`. */
  readonly limit: number;
  /** Mean time a request spent in the server (queue and decision), smoothed, in milliseconds. */
  readonly sojournMs: number;
  readonly lagMs: number;
  readonly worstLagMs: number;
  readonly storePending: number;
  readonly storeOldestWaitMs: number;
  /** How many times a database thread that died was started again (SQLite on database threads). */
  readonly storeRestarts: number;
  /** Items past retention deleted by the scheduled purge (subject data, then audit entries) since start. */
  readonly retentionPurged: { readonly subjects: number; readonly audit: number };
  /** Scheduled purge runs that failed since start (each logged once, as `retention-purge-failed`). */
  readonly retentionFailures: number;
}

/** A server made by {@link createServer}. */
export interface TactfulServer {
  /** The Hono app: mount it elsewhere, or call `app.fetch` / `app.request` directly. */
  readonly app: Hono<ServerEnv>;
  /** The running Tactful the routes use. */
  readonly tactful: Assembly;
  /** The `server` section in force (port, host, origins, tokens, limits). */
  readonly settings: TactfulConfig['server'];
  /** Starts an HTTP server (default: the configuration's host and port). */
  listen(options?: ListenOptions): Promise<ListeningServer>;
  /** The OpenAPI 3.1 document, also served at `/openapi.json`. */
  openapi(): Record<string, unknown>;
  /**
   * Load figures for metrics: requests admitted and shed (by reason) since start, requests waiting
   * for a slot, the event-loop delay (smoothed, and the worst since the last call), and store calls
   * waiting for the database.
   */
  stats(): ServerStats;
  /**
   * Stops every listener gracefully (in-flight requests finish) and, when the server made the
   * assembly from a configuration, closes it (pending audit writes, the database).
   */
  close(): Promise<void>;
}

function isAssembly(value: unknown): value is Assembly {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { engine?: { decide?: unknown } }).engine?.decide === 'function' &&
    typeof (value as { consent?: unknown }).consent === 'object'
  );
}

function secretOf(explicit: string | undefined, tactful: Assembly): string {
  if (explicit !== undefined) return explicit;
  const env = process.env.TACTFUL_SECRET;
  if (env !== undefined && env.length >= 32) return env;
  if (tactful.shared) {
    // Several servers share these stores: a per-process secret would make each reject the
    // cookies of the others (the session would change on every hop of the load balancer).
    throw new TactfulError(
      'INVALID_CONFIG',
      'createServer: the stores are shared by several servers, so each needs the same cookie secret: set TACTFUL_SECRET (32+ random characters) on every server, or pass { secret }',
      { path: ['secret'] },
    );
  }
  if (tactful.storage !== 'memory' && tactful.storage !== 'given' && tactful.storage !== 'postgres') {
    try {
      const kept = readFileSync(join(tactful.storage, 'secret.key'), 'utf8').trim();
      if (kept.length >= 32) return kept;
    } catch {
      // No kept secret: fall through to a per-process one.
    }
  }
  return globalThis.crypto.randomUUID() + globalThis.crypto.randomUUID();
}

/**
 * Makes the decision server: a Hono app with every route under `/v1`, the notice, GPC support,
 * health and the OpenAPI document, hardened as the guide describes (signed cookies, bearer
 * tokens, CSRF checks, body and array caps, rate limits, a concurrency bound, logs without
 * personal data). Give it a running Tactful (`createTactful`) or a configuration, which it then
 * assembles and owns.
 *
 * @example
 * ```ts
 * const { config, baseDir } = await loadConfig('tactful.config.json');
 * const server = await createServer(config, { baseDir });
 * const running = await server.listen({ port: 3000, host: '127.0.0.1' });
 * process.on('SIGTERM', () => server.close());
 * ```
 */
export async function createServer(
  input: Assembly | TactfulConfig | TactfulConfigInput,
  options: ServerOptions = {},
): Promise<TactfulServer> {
  const opts = parseServerOptions(options);
  let tactful: Assembly;
  let owned = false;
  const draining = { draining: false };
  const purgeLog = (entry: Omit<ServerLogEntry, 'time'>) => safeLog(entry);
  if (isAssembly(input)) {
    tactful = input;
  } else {
    const parsed = TactfulConfigSchema.safeParse(input);
    if (!parsed.success) {
      throw new TactfulError(
        'INVALID_CONFIG',
        'createServer: invalid configuration; run `validateConfig` for every problem with its line',
        {
          issues: zodIssues(parsed.error),
        },
      );
    }
    tactful = await createTactful(parsed.data, {
      ...(opts.baseDir === undefined ? {} : { baseDir: opts.baseDir }),
      ...(opts.secret === undefined ? {} : { secret: opts.secret }),
      // The scheduled retention purge logs its failures here (and pauses while draining: below).
      retentionPurge: {
        onError: (error) =>
          purgeLog({
            level: 'warn',
            msg: 'retention-purge-failed',
            code: isTactfulError(error) ? error.code : error instanceof Error ? error.name : 'UNKNOWN',
          }),
      },
    });
    owned = true;
  }
  const settings = tactful.config.server;
  const now = opts.now ?? Date.now;
  const log = opts.log === false ? () => {} : (opts.log ?? jsonLineLogger);
  const safeLog = (entry: Omit<ServerLogEntry, 'time'>) => {
    try {
      log({ time: new Date(now()).toISOString(), ...entry });
    } catch {
      // A failing log sink never fails a request.
    }
  };
  const sessionLimits = Object.fromEntries(
    Object.entries(opts.session).filter(([, v]) => v !== undefined),
  ) as Record<string, number>;
  const secret = secretOf(opts.secret, tactful);
  const rt: Runtime = {
    tactful,
    options: opts,
    server: settings,
    // The session cookie lives no longer than a session may (the stores' 12-hour maximum).
    signer: cookieSigner(secret, { now }),
    sessions:
      opts.sessions ??
      tactful.ephemeral?.sessionStore(sessionLimits) ??
      createSessionStore({ ...sessionLimits, now }),
    readHeaders: headerReader(
      settings.trustedProxy === undefined ? {} : { trustedProxy: settings.trustedProxy },
    ),
    rightsLimit:
      opts.rightsLimit ??
      tactful.ephemeral?.rateLimiter('rights', {
        limit: settings.limits.rightsPerHour,
        windowMs: 3_600_000,
      }) ??
      rateLimiter({ limit: settings.limits.rightsPerHour, windowMs: 3_600_000, now }),
    admission: admission(concurrencyLimiter(settings.limits.maxConcurrent), {
      queueTimeoutMs: settings.limits.queueTimeoutMs,
      maxQueued: settings.limits.maxConcurrent * 4,
      maxLagMs: settings.limits.maxLagMs,
      latencyTargetMs: settings.limits.latencyTargetMs,
      minConcurrent: settings.limits.minConcurrent,
    }),
    log: safeLog,
    now,
    state: draining,
  };
  // The scheduled retention purge, of an assembly given or made here, pauses while the server drains.
  const unpausePurge = (tactful as Partial<Pick<Assembly, 'retention'>>).retention?.pauseWhile?.(
    () => rt.state.draining,
  );
  const verifyToken = tokenVerifier(settings.tokens);
  const subjectTokenSigner = subjectTokens(secret, now);
  const app = new Hono<ServerEnv>();

  // Access log: method, route pattern, status, time, trace id. Never the path's values, the
  // address, the agent, cookies, or the person.
  if (opts.log !== false)
    app.use('*', async (c, next) => {
      const started = performance.now();
      await next();
      const caller = c.get('caller');
      let route: string;
      try {
        route = routePath(c, -1);
      } catch {
        route = '(unmatched)';
      }
      const traceId = c.get('traceId');
      safeLog({
        level: c.res.status >= 500 ? 'error' : 'info',
        msg: 'request',
        method: c.req.method,
        route: route === '/*' || route === '*' ? '(unmatched)' : route,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(traceId === undefined ? {} : { traceId }),
        caller:
          caller === undefined
            ? 'anonymous'
            : caller.kind === 'service'
              ? `service:${caller.name}`
              : 'browser',
      });
    });

  app.use('*', async (c, next) => {
    const plain = PLAIN_JSON_ROUTES.has(c.req.path);
    if (!plain) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
      if (rt.state.draining) c.header('Connection', 'close');
    }
    // The raw target as the client sent it (URL parsing has already resolved dot segments).
    const raw = c.env?.incoming?.url ?? c.req.url;
    if (hasDotSegment(raw)) {
      return errorResponse(
        c,
        400,
        'INVALID_REQUEST',
        'the path has a "." or ".." segment; send the route\'s own path (no dot segments)',
      );
    }
    // A personal answer (a decision, consent state, an export ...) is never stored by a cache.
    if (c.req.path.startsWith('/v1/') && !PUBLIC_V1_ROUTES.has(c.req.path))
      c.header('Cache-Control', 'no-store');
    await next();
    // A plain-JSON route's decision carries these in its own header record; its other answers
    // (errors: 400, 401, 403, 413, 503 ...) get them here.
    if (plain && !isPlainAnswer(c.res)) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
      if (rt.state.draining) c.res.headers.set('Connection', 'close');
    }
  });

  // One gate in front of every /v1 route, in order: who is calling (a service by its bearer
  // token, else a browser by its signed cookies), CSRF, the body cap, then the concurrency bound.
  const csrf = csrfCheck(settings.origins, settings.cors?.origins ?? []);
  const cap = bodyCap(settings.limits.bodyBytes);
  const bounded = async (c: Context<ServerEnv>, next: Next) => {
    if (rt.state.draining) {
      c.header('Retry-After', '1');
      return errorResponse(c, 503, 'DRAINING', 'the server is shutting down; retry on another instance');
    }
    // The body is read before a slot is taken, so a slow sender holds no slot (the server's header
    // and body timeouts bound how long it may take).
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') await c.req.text();
    // Its wait counts from when the server began to make it wait (held for a later turn), not from now.
    const held = passedFrontDoor(c.env?.incoming);
    const refused = await rt.admission.acquire(held !== undefined, held ?? 0);
    if (refused !== undefined) {
      c.header('Retry-After', '1');
      return errorResponse(
        c,
        503,
        'OVERLOADED',
        refused === 'lagging'
          ? 'the server is running behind; retry in a second'
          : 'too many requests at once; retry in a second',
      );
    }
    try {
      await next();
    } finally {
      rt.admission.release();
    }
  };
  // CORS first: a listed page's preflight is answered before any gate, and every answer to it
  // (errors and 503s included) carries the CORS headers, so its client can read them.
  app.use('/v1/*', corsHandler(settings.cors));
  app.use('/v1/*', async (c, next) => {
    // Presence from Node's header record; the value as the Fetch API joins repeated headers.
    const authorization =
      requestHeader(c, 'authorization') === undefined ? undefined : c.req.header('authorization');
    if (authorization !== undefined) {
      const token = bearerToken(authorization);
      const name = token === undefined ? undefined : verifyToken(token);
      if (name === undefined) {
        c.header('WWW-Authenticate', 'Bearer realm="tactful"');
        return errorResponse(c, 401, 'UNAUTHORIZED', 'the bearer token is not one this server knows');
      }
      const named = c.req.header(SUBJECT_HEADER);
      const subject = subjectFromHeader(named);
      if (named !== undefined && subject === undefined) {
        return errorResponse(
          c,
          400,
          'INVALID_REQUEST',
          'Tactful-Subject: a pseudonymous id (letters, digits, . _ : @ -)',
        );
      }
      c.set('caller', { kind: 'service', name, subject } satisfies Caller);
    } else {
      const cookies = requestCookies(c);
      c.set('caller', {
        kind: 'browser',
        subject: rt.signer.verify('id', cookies[COOKIES.id]),
        sessionId: rt.signer.verify('session', cookies[COOKIES.session]),
      } satisfies Caller);
    }
    // A page rendered for a known person decides for them with the server's subject token.
    const tokenRefused = subjectTokenGate(c, subjectTokenSigner, rt.signer);
    if (tokenRefused) return tokenRefused;
    const refused = csrf(c);
    if (refused) return refused;
    return cap(c, async () => {
      const answer = await bounded(c, next);
      if (answer) c.res = answer;
    });
  });

  decideRoutes(app, rt);
  sessionRoutes(app, rt);
  consentRoutes(app, rt);
  meRoutes(app, rt);
  subjectTokenRoutes(app, rt, subjectTokenSigner);
  const startedOn = opts.gpcLastUpdate ?? new Date(now()).toISOString().slice(0, 10);
  publicRoutes(app, rt, startedOn);
  const document = openApiDocument();
  app.get('/openapi.json', (c) => c.json(document));

  app.notFound((c) =>
    errorResponse(c, 404, 'NOT_FOUND', `no route ${c.req.method} ${new URL(c.req.url).pathname}`),
  );
  app.onError((error, c) => {
    const status = statusOf(error);
    if (status >= 500) {
      safeLog({
        level: 'error',
        msg: 'error',
        method: c.req.method,
        code: isTactfulError(error) ? error.code : error instanceof Error ? error.name : 'UNKNOWN',
      });
    }
    return answerError(c, error);
  });

  const listeners = new Set<ListeningServer>();
  let closing: Promise<void> | undefined;
  const server: TactfulServer = {
    app,
    tactful,
    settings,
    openapi: () => structuredClone(document),
    stats() {
      const a = rt.admission.stats;
      const purge = (tactful as Partial<Pick<Assembly, 'retention'>>).retention?.stats();
      const store = (
        tactful as { storeStats?: () => { pending: number; oldestWaitMs: number; restarts?: number } }
      ).storeStats?.() ?? {
        pending: 0,
        oldestWaitMs: 0,
      };
      return {
        admitted: a.admitted,
        shed: { ...a.shed },
        queued: a.queued,
        active: a.active,
        limit: a.limit,
        sojournMs: a.sojournMs,
        lagMs: a.lagMs,
        worstLagMs: a.worstLagMs,
        storePending: store.pending,
        storeOldestWaitMs: store.oldestWaitMs,
        storeRestarts: store.restarts ?? 0,
        retentionPurged: { subjects: purge?.removed ?? 0, audit: purge?.purgedOther ?? 0 },
        retentionFailures: purge?.failures ?? 0,
      };
    },
    async listen(listenOptions = {}) {
      rt.state.draining = false;
      const running = await listen(app, rt, {
        port: listenOptions.port ?? settings.port,
        host: listenOptions.host ?? settings.host,
      });
      listeners.add(running);
      if (listenOptions.signals) {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          void server.close();
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      }
      return running;
    },
    close() {
      closing ??= (async () => {
        rt.state.draining = true;
        await Promise.all([...listeners].map((l) => l.close()));
        listeners.clear();
        if (opts.rightsLimit === undefined) await rt.rightsLimit.clear();
        rt.admission.stop();
        if (owned) await tactful.close();
        // A given assembly lives on after the server: its purge runs again.
        unpausePurge?.();
      })();
      return closing;
    },
  };
  return server;
}
