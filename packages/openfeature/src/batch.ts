import { REQUEST_LIMITS } from '@tactful/core';
import {
  type Decider,
  type EvaluationRequest,
  type SlotOutcome,
  decideWithin,
  outcomesOf,
} from './shared.js';

interface Pending {
  request: EvaluationRequest;
  waiters: Map<string, Array<(outcome: SlotOutcome) => void>>;
}

/**
 * Gathers the evaluations of one tick that share a context into one decision (up to the most
 * slots a request may hold), so a page evaluating five flags asks once, not five times.
 */
export function createBatcher(
  decider: () => Decider,
  timeoutMs: number,
): (key: string, request: EvaluationRequest, slot: string) => Promise<SlotOutcome> {
  const pending = new Map<string, Pending>();
  let scheduled = false;

  const run = (request: EvaluationRequest, slots: string[], waiters: Pending['waiters']) => {
    decideWithin(decider(), { ...request, slots: slots.map((id) => ({ id })) }, timeoutMs).then(
      (decision) => {
        const outcomes = outcomesOf(decision, slots);
        for (const id of slots) for (const w of waiters.get(id) ?? []) w(outcomes.get(id) as SlotOutcome);
      },
      (error: unknown) => {
        for (const id of slots) for (const w of waiters.get(id) ?? []) w({ kind: 'failed', error });
      },
    );
  };

  const flush = () => {
    scheduled = false;
    const batches = [...pending.values()];
    pending.clear();
    for (const { request, waiters } of batches) {
      const slots = [...waiters.keys()];
      for (let i = 0; i < slots.length; i += REQUEST_LIMITS.maxSlots) {
        run(request, slots.slice(i, i + REQUEST_LIMITS.maxSlots), waiters);
      }
    }
  };

  return (key, request, slot) =>
    new Promise<SlotOutcome>((resolve) => {
      let batch = pending.get(key);
      if (batch === undefined) {
        batch = { request, waiters: new Map() };
        pending.set(key, batch);
      }
      const list = batch.waiters.get(slot);
      if (list) list.push(resolve);
      else batch.waiters.set(slot, [resolve]);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    });
}
