import type { SlotDecision, SlotRequest } from '@tactful/core';
import { type ClientErrorIssue, TactfulClientError } from './errors.js';
import { ROUTES, type RouteName } from './routes.js';
import type {
  CallOptions,
  ClientDecision,
  ClientOptions,
  ConsentActOptions,
  Degraded,
  DegradedReason,
  TactfulClient,
} from './types.js';

/** The longest `Retry-After` the client honours (seconds): a broken header can't switch personalization off for long. */
const MAX_RETRY_AFTER = 600;
const DEFAULT_TIMEOUT_MS = 3000;

/** Seconds from a `Retry-After` header (delay-seconds or an HTTP date), capped. */
function retryAfterOf(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) : (Date.parse(header) - now) / 1000;
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(MAX_RETRY_AFTER, Math.max(0, Math.ceil(seconds)));
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The server's `{ error: { code, message, issues } }`, when the body is one. */
function serverError(
  body: unknown,
): { code: string; message: string; issues: ClientErrorIssue[] } | undefined {
  if (!isObject(body) || !isObject(body.error) || typeof body.error.code !== 'string') return undefined;
  const issues = Array.isArray(body.error.issues)
    ? body.error.issues.filter(
        (i): i is ClientErrorIssue => isObject(i) && Array.isArray(i.path) && typeof i.message === 'string',
      )
    : [];
  return {
    code: body.error.code,
    message: typeof body.error.message === 'string' ? body.error.message : body.error.code,
    issues,
  };
}

/** A slot's default content, as a decision of the `default` strategy. */
function defaultSlot(slot: SlotRequest): SlotDecision {
  return {
    slot: slot.id,
    content: slot.default,
    strategy: 'default',
    isDefault: true,
    explanation: {
      strategy: 'default',
      summary: { en: 'Standard content, shown to everyone.', vi: 'Nội dung chung, hiển thị cho mọi người.' },
      signals: [],
      purposes: [],
      categories: [],
    },
  };
}

/** Every requested slot with its default, and why. */
function degradedDecision(slots: SlotRequest[], degraded: Degraded, traceId?: string): ClientDecision {
  return {
    traceId: traceId ?? '',
    decidedAt: new Date().toISOString(),
    slots: slots.map(defaultSlot),
    purposesUsed: [],
    categoriesUsed: [],
    dropped: [],
    consent: { purposes: {} },
    degraded,
  };
}

const isSlotDecision = (v: unknown): v is SlotDecision =>
  isObject(v) &&
  typeof v.slot === 'string' &&
  typeof v.strategy === 'string' &&
  typeof v.isDefault === 'boolean' &&
  isObject(v.explanation);

/**
 * The server's answer as a decision of exactly the requested slots: a slot the answer lacks (or
 * gives in the wrong shape) shows its default and the decision is marked `malformed`.
 */
function decisionOf(body: unknown, slots: SlotRequest[]): ClientDecision | undefined {
  if (!isObject(body) || !Array.isArray(body.slots) || typeof body.traceId !== 'string') return undefined;
  const answered = new Map<string, SlotDecision>();
  for (const s of body.slots) if (isSlotDecision(s) && !answered.has(s.slot)) answered.set(s.slot, s);
  let missing = 0;
  const out = slots.map((slot) => {
    const got = answered.get(slot.id);
    if (got !== undefined) return got;
    missing++;
    return defaultSlot(slot);
  });
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const decision: ClientDecision = {
    traceId: body.traceId,
    decidedAt: typeof body.decidedAt === 'string' ? body.decidedAt : new Date().toISOString(),
    slots: out,
    purposesUsed: list(body.purposesUsed),
    categoriesUsed: list(body.categoriesUsed),
    dropped: Array.isArray(body.dropped) ? (body.dropped as ClientDecision['dropped']) : [],
    consent:
      isObject(body.consent) && isObject(body.consent.purposes)
        ? (body.consent as ClientDecision['consent'])
        : { purposes: {} },
  };
  if (isObject(body.degraded) && typeof body.degraded.reason === 'string') {
    decision.degraded = {
      reason: body.degraded.reason as DegradedReason,
      message: typeof body.degraded.message === 'string' ? body.degraded.message : body.degraded.reason,
    };
  } else if (missing > 0) {
    decision.degraded = {
      reason: 'malformed',
      message: `the answer lacked ${missing} of the requested slots; they show their default content`,
    };
  }
  return decision;
}

/** How a failed decide call shows: its reason. */
function reasonOf(error: TactfulClientError): DegradedReason {
  if (error.code === 'TIMEOUT') return 'timeout';
  if (error.code === 'NETWORK_ERROR') return 'network';
  if (error.code === 'MALFORMED_RESPONSE') return 'malformed';
  if (error.code === 'ABORTED') return 'aborted';
  if (error.status === 503) return 'unavailable';
  if (error.status === 429) return 'rate-limited';
  return 'rejected';
}

/**
 * A client of the decision server, for pages (also workers and Node 20's global fetch).
 *
 * @example
 * ```ts
 * const tactful = createClient({ baseUrl: 'https://decide.shop.example' });
 * const decision = await tactful.decide({ slots: [{ id: 'home.hero', default: { title: 'Welcome' } }] });
 * ```
 */
export function createClient(options: ClientOptions): TactfulClient {
  if (typeof options?.baseUrl !== 'string') {
    throw new TypeError('createClient: baseUrl must be a string, e.g. "https://decide.shop.example"');
  }
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError(
      `createClient: timeoutMs must be a positive number of milliseconds (got ${timeoutMs})`,
    );
  }
  const credentials = options.credentials ?? 'include';
  const given = options.subjectToken;
  if (
    'subject' in options ||
    !(given === undefined || typeof given === 'function' || (typeof given === 'string' && given))
  ) {
    throw new TactfulClientError(
      'INVALID_OPTIONS',
      'createClient: pass subjectToken, the token the server issued (or a function returning it), never subject',
    );
  }
  /** Until when decide calls show defaults without asking (after a `Retry-After`). */
  let backOffUntil = 0;

  /** One call. `purpose` fills the path's `{purpose}`; `query` is appended; `asText` keeps a 2xx answer's text as it is. */
  async function call<T>(
    name: RouteName,
    body: unknown,
    opts: CallOptions | undefined,
    purpose?: string,
    query = '',
    asText = false,
    token?: string,
  ): Promise<T> {
    const route = ROUTES[name];
    const path =
      (purpose === undefined ? route.path : route.path.replace('{purpose}', encodeURIComponent(purpose))) +
      query;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const controller = new AbortController();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers['tactful-subject-token'] = token;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    // Settles at the deadline or on the caller's abort even with a fetch that ignores its signal.
    const stop = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new TactfulClientError('TIMEOUT', `${route.method} ${path}: no answer within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      onAbort = () => {
        controller.abort();
        reject(new TactfulClientError('ABORTED', `${route.method} ${path}: cancelled by the caller`));
      };
      if (opts?.signal?.aborted) onAbort();
      else opts?.signal?.addEventListener('abort', onAbort, { once: true });
    });
    const exchange = (async () => {
      let response: Response;
      try {
        response = await fetchImpl(base + path, {
          method: route.method,
          headers,
          credentials,
          signal: controller.signal,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        throw new TactfulClientError(
          'NETWORK_ERROR',
          `${route.method} ${path}: the server could not be reached (${error instanceof Error ? error.message : String(error)})`,
        );
      }
      const text = await response.text().catch(() => {
        throw new TactfulClientError('NETWORK_ERROR', `${route.method} ${path}: the answer was cut off`, {
          status: response.status,
        });
      });
      return { response, text };
    })();
    try {
      const { response, text } = await Promise.race([exchange, stop]);
      if (asText && response.ok) return text as T;
      let parsed: unknown;
      if (text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
          if (response.ok) {
            throw new TactfulClientError(
              'MALFORMED_RESPONSE',
              `${route.method} ${path}: the answer is not JSON`,
              {
                status: response.status,
              },
            );
          }
        }
      }
      if (!response.ok) {
        const retryAfter = retryAfterOf(response.headers.get('retry-after'), Date.now());
        const err = serverError(parsed);
        const recorded =
          isObject(parsed) && typeof parsed.recorded === 'boolean' ? parsed.recorded : undefined;
        throw new TactfulClientError(
          err?.code ?? 'HTTP_ERROR',
          err?.message ?? `${route.method} ${path}: the server answered ${response.status}`,
          { status: response.status, issues: err?.issues ?? [], retryAfter, recorded },
        );
      }
      if (response.status !== 204 && !isObject(parsed)) {
        throw new TactfulClientError(
          'MALFORMED_RESPONSE',
          `${route.method} ${path}: the answer is not a JSON object`,
          {
            status: response.status,
          },
        );
      }
      return parsed as T;
    } finally {
      clearTimeout(timer);
      if (onAbort) opts?.signal?.removeEventListener('abort', onAbort);
    }
  }

  const actBody = (o: ConsentActOptions | undefined) => {
    if (o === undefined) return undefined;
    const { signal: _s, ...rest } = o;
    return Object.keys(rest).length > 0 ? rest : undefined;
  };

  return {
    async decide(request, opts = {}) {
      const list = Array.isArray(request?.slots) ? request.slots : [];
      const refuse = (code: string, message: string) =>
        degradedDecision(list, { reason: 'rejected', code, message });
      // An adapter's request may name a session; from a browser, only the server's cookie may.
      // Refused here, with the field, rather than sent and refused there.
      if (request?.session !== undefined) {
        return refuse(
          'INVALID_REQUEST',
          'session: not sent; the server knows it from its cookie, leave it out',
        );
      }
      // The person comes from the server's subject token alone: a request naming someone is
      // sent only when the token is for that same person (and the server checks the token).
      let token: string | undefined;
      const fresh = async () => {
        try {
          token = typeof given === 'function' ? await given() : given;
        } catch (error) {
          return refuse('SUBJECT_TOKEN_MISSING', `subjectToken: none to send (${error})`);
        }
        const wanted = request?.subject;
        if (wanted === undefined) return;
        if (token === undefined)
          return refuse(
            'SUBJECT_TOKEN_MISSING',
            'subject: not sent; pass the subjectToken the server issued',
          );
        let named: string | undefined;
        try {
          named = atob(token.split('.')[2]!.replace(/-/g, '+').replace(/_/g, '/'));
        } catch {}
        if (named === undefined || named !== wanted?.id)
          return refuse('SUBJECT_MISMATCH', "subject: not the subject token's person");
      };
      const refused = await fresh();
      if (refused !== undefined) return refused;
      const now = Date.now();
      if (now < backOffUntil) {
        return degradedDecision(list, {
          reason: 'backing-off',
          message: 'the server asked to wait before asking again; every slot shows its default content',
          retryAfter: Math.ceil((backOffUntil - now) / 1000),
        });
      }
      const traceId = request?.traceId;
      const body = {
        slots: list,
        ...(request?.context === undefined ? {} : { context: request.context }),
        ...(traceId === undefined ? {} : { traceId }),
      };
      try {
        const send = () => call<unknown>('decide', body, opts, undefined, '', false, token);
        let answer: unknown;
        try {
          answer = await send();
        } catch (error) {
          // An expired token, and a function to get a new one: once more with the new one.
          if ((error as TactfulClientError).code !== 'SUBJECT_TOKEN_EXPIRED' || typeof given !== 'function')
            throw error;
          const again = await fresh();
          if (again) return again;
          answer = await send();
        }
        return (
          decisionOf(answer, list) ??
          degradedDecision(
            list,
            {
              reason: 'malformed',
              message: 'the answer was not a decision; every slot shows its default content',
            },
            traceId,
          )
        );
      } catch (error) {
        const e =
          error instanceof TactfulClientError ? error : new TactfulClientError('HTTP_ERROR', String(error));
        if (e.retryAfter !== undefined && e.retryAfter > 0) backOffUntil = Date.now() + e.retryAfter * 1000;
        const degraded: Degraded = { reason: reasonOf(e), message: e.message };
        if (e.code !== 'TIMEOUT' && e.code !== 'NETWORK_ERROR' && e.code !== 'ABORTED')
          degraded.code = e.code;
        if (e.status > 0) degraded.status = e.status;
        if (e.retryAfter !== undefined) degraded.retryAfter = e.retryAfter;
        return degradedDecision(list, degraded, traceId);
      }
    },
    sendEvents: (events, o) => call('sendEvents', { events }, o),
    endSession: async (o) => {
      await call('endSession', undefined, o);
    },
    consent: (o) => call('consent', undefined, o),
    purpose: (purpose, o) => call('purpose', undefined, o, purpose),
    choose: ({ grant = [], deny = [], ...rest }, o) => call('choose', { grant, deny, ...rest }, o),
    grant: (purpose, o) => call('grant', actBody(o), o, purpose),
    withdraw: (purpose, o) => call('withdraw', actBody(o), o, purpose),
    withdrawAll: (o) => call('withdrawAll', actBody(o), o),
    exportData: (o) => call('exportData', undefined, o),
    erase: (o) => call('erase', undefined, o),
    declarePreferences: (preferences, o) => call('declarePreferences', preferences, o),
    notice: (o = {}) =>
      call(
        'notice',
        undefined,
        o,
        undefined,
        `?format=${encodeURIComponent(o.format ?? 'md')}&lang=${encodeURIComponent(o.lang ?? 'en')}`,
        true,
      ),
  };
}
