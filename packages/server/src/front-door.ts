import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { normalOrigin } from './cors.js';
import type { Admission, Refusal } from './overload.js';
import { SECURITY_HEADERS } from './runtime.js';
import { heldMs } from './turn-budget.js';

/**
 * Requests the front door let through (so the gate behind it does not draw the lag share again),
 * with how long each was held before the door saw it (queue time the gate goes on counting from).
 */
const passed = new WeakMap<object, number>();

/**
 * How long the server held this Node request before its front door let it through (ms), or
 * `undefined` when the front door did not check it.
 */
export function passedFrontDoor(incoming: unknown): number | undefined {
  return typeof incoming === 'object' && incoming !== null ? passed.get(incoming) : undefined;
}

const BODY = {
  lagging: Buffer.from(
    JSON.stringify({
      error: { code: 'OVERLOADED', message: 'the server is running behind; retry in a second' },
    }),
  ),
  busy: Buffer.from(
    JSON.stringify({
      error: { code: 'OVERLOADED', message: 'too many requests at once; retry in a second' },
    }),
  ),
};

/**
 * The first thing that sees a request on a listening server, before the framework: while the
 * server is overloaded ({@link Admission.early}: its loop runs late or its queue is old), an API
 * request (`/v1/...`, not a CORS preflight) is answered 503 with `Retry-After` at once, from
 * prepared bytes — its body unread, no cookie verified, no framework object built — so shedding
 * costs the server next to nothing and the time goes to the requests it admitted. Everything else
 * (and every request while the server keeps up) goes on to `next`. The answer carries the same
 * headers as the framework's own 503 (security headers, `no-store`, `Vary: Origin`, and CORS for a
 * listed page's origin, so its client can read the status and `Retry-After`).
 */
export function frontDoor(
  next: RequestListener,
  admission: Admission,
  corsOrigins: ReadonlyArray<string>,
): RequestListener {
  const answer = shedAnswer(corsOrigins);
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!isApi(req)) return next(req, res);
    const held = heldMs(req);
    const refused = admission.early(held);
    if (refused === undefined) {
      passed.set(req, held);
      return next(req, res);
    }
    answer(req, res, refused);
  };
}

/**
 * For `turnBudget`'s `shed`: an API request read once its loop turn's budget is spent is answered
 * 503 with `Retry-After` at once (the front door's answer) when no slot is free for it now
 * ({@link Admission.overBudget}), rather than held for the next turn only to wait for a slot there.
 * Anything else (health, readiness, preflights, outside `/v1`, or a slot free) is held as before.
 */
export function overBudgetShed(
  admission: Admission,
  corsOrigins: ReadonlyArray<string>,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const answer = shedAnswer(corsOrigins);
  return (req, res) => {
    if (!isApi(req)) return false;
    const refused = admission.overBudget();
    if (refused === undefined) return false;
    answer(req, res, refused);
    return true;
  };
}

/** A request the front door may shed: under `/v1`, not a CORS preflight. */
function isApi(req: IncomingMessage): boolean {
  return req.url?.startsWith('/v1/') === true && req.method !== 'OPTIONS';
}

/** Writes the front door's 503 from prepared bytes (its body left unread). */
function shedAnswer(
  corsOrigins: ReadonlyArray<string>,
): (req: IncomingMessage, res: ServerResponse, why: Refusal) => void {
  const allowed = new Set(corsOrigins.map((o) => normalOrigin(o) ?? o));
  const base: string[] = [];
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) base.push(name, value);
  base.push(
    'cache-control',
    'no-store',
    'content-type',
    'application/json',
    'retry-after',
    '1',
    'vary',
    'Origin',
  );
  return (req, res, why) => {
    const body = why === 'lagging' ? BODY.lagging : BODY.busy;
    const origin = req.headers.origin;
    const headers =
      origin !== undefined && allowed.has(origin)
        ? [
            ...base,
            'access-control-allow-origin',
            origin,
            'access-control-allow-credentials',
            'true',
            'access-control-expose-headers',
            'Retry-After',
          ]
        : base;
    res.writeHead(503, [...headers, 'content-length', String(body.length)]);
    // The body (if any) is left unread; Node discards it and keeps the connection.
    res.end(body);
  };
}
