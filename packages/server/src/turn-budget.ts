import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * How long the requests read in one turn of the event loop may run before the rest of that turn's
 * requests wait for its end (ms).
 */
export const TURN_BUDGET_MS = 30;

/** What {@link turnBudget} does with a request read once its turn's budget is spent. */
export interface TurnBudgetOptions {
  /**
   * Given each request read past the budget before it is held: answers it at once (a 503 with
   * `Retry-After`) and returns true when holding it would only make it wait for a slot it would not
   * get; false to hold it as usual. Unset: every such request is held.
   */
  readonly shed?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** The clock (default `performance.now`); a test's own makes the budget's reckoning deterministic. */
  readonly now?: () => number;
}

/** How long each request handled late was held (ms), for the front door to count as queue time. */
const heldFor = new WeakMap<IncomingMessage, number>();

/** How long `req` waited, held for a later turn, before it was handled (ms); 0 if it was not held. */
export function heldMs(req: IncomingMessage): number {
  return heldFor.get(req) ?? 0;
}

/**
 * Keeps one turn of the event loop short when thousands of sockets are readable at once.
 *
 * Node's poll phase reads ready sockets in rounds of up to 1,024, and while a round comes back
 * full it goes on, up to 48 rounds, before timers and `setImmediate` callbacks run. Under a flood
 * of 2,000 connections that is tens of thousands of requests, seconds in which no deadline timer,
 * queue timeout or load sampler runs (measured: a 3.5 s turn serving 22,000 requests). So once the
 * requests read in this turn have run `budgetMs`, each further request is held: its socket stops
 * reading (so it drops out of the poll), and it is handled in the next turn, once the timers due
 * by then have run, in the order it came. The poll phase then ends after the round it is in.
 *
 * Nothing is refused or reordered here (unless `options.shed` answers it first: see
 * {@link TurnBudgetOptions}): a held request is handled later by `next`, first come first
 * served, and while the loop keeps up nothing is ever held. How long it was held ({@link heldMs})
 * is queue time the front door sheds by: under a flood of clients that retry at once, the queue is
 * in the sockets, where no in-server measure sees it, and holding is what brings it into view.
 */
export function turnBudget(
  next: RequestListener,
  budgetMs = TURN_BUDGET_MS,
  options: TurnBudgetOptions = {},
): RequestListener {
  if (budgetMs <= 0) return next;
  const now = options.now ?? (() => performance.now());
  const shed = options.shed;
  /** When this turn's first request was read (`now()`), or -1 between turns. */
  let turnStart = -1;
  let held: Array<[IncomingMessage, ServerResponse, number]> = [];
  /** Whether a timer is set to run the held requests. */
  let releasing = false;
  const endOfTurn = () => {
    turnStart = -1;
  };
  // Held requests run in the next turn's timers phase, after the timers already due: a turn's
  // `setImmediate` callbacks come before the next turn's timers, so they would not let them run.
  const runHeld = () => {
    releasing = false;
    // These run for a budget too; what is left waits for the next turn's timers, in order.
    const start = now();
    let i = 0;
    while (i < held.length && now() - start <= budgetMs) {
      const [req, res, since] = held[i++]!;
      if (req.socket.destroyed) continue;
      heldFor.set(req, now() - since);
      req.socket.resume();
      next(req, res);
    }
    held = i === held.length ? [] : held.slice(i);
    if (held.length > 0) {
      releasing = true;
      setTimeout(runHeld, 0);
    }
  };
  return (req, res) => {
    const t = now();
    if (turnStart < 0) {
      turnStart = t;
      setImmediate(endOfTurn);
    }
    // Once some are held, the ones read after them wait too: first come, first served.
    if (held.length > 0 || t - turnStart > budgetMs) {
      // The turn is spent: a request that would find no slot is answered now, not held for one.
      if (shed?.(req, res)) return;
      req.socket.pause();
      held.push([req, res, t]);
      if (!releasing) {
        releasing = true;
        setTimeout(runHeld, 0);
      }
      return;
    }
    next(req, res);
  };
}
