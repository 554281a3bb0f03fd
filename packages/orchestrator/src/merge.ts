import { fnv1a32 as hash32 } from '@tactful/core';
import type { Candidate, MergeContext, MergeFunction, MergePolicy } from './options.js';

/** A candidate with its position among the proposals, for stable tie-breaking. */
export interface RankedCandidate extends Candidate {
  /** Position of the proposal in its strategy's output. */
  readonly index: number;
  /** Position of its strategy in execution order. */
  readonly run: number;
}

/** 32-bit FNV-1a hash of a string (core's, shared with the strategies). */
export { hash32 };

/** A deterministic number in [0, 1) for a seed and a slot (mulberry32 over the FNV-1a hash). */
export function seededRandom(seed: string, slot: string): number {
  let t = (hash32(`${seed}\u0000${slot}`) + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const score = (c: Candidate) => c.proposal.score ?? 0;

/**
 * Stable order for ties: by strategy name (code-unit order), then earlier proposal of the same
 * strategy. Never the registration order, so reordering a configuration's lists changes nothing.
 */
const stable = (a: RankedCandidate, b: RankedCandidate) =>
  a.strategy < b.strategy ? -1 : a.strategy > b.strategy ? 1 : a.index - b.index;

function byPriority(candidates: readonly RankedCandidate[]): RankedCandidate | undefined {
  let best: RankedCandidate | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    if (
      !best ||
      c.priority > best.priority ||
      (c.priority === best.priority &&
        (score(c) > score(best) || (score(c) === score(best) && stable(c, best) < 0)))
    ) {
      best = c;
    }
  }
  return best;
}

function byScore(candidates: readonly RankedCandidate[]): RankedCandidate | undefined {
  let best: RankedCandidate | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    if (
      !best ||
      score(c) > score(best) ||
      (score(c) === score(best) &&
        (c.priority > best.priority || (c.priority === best.priority && stable(c, best) < 0)))
    ) {
      best = c;
    }
  }
  return best;
}

/** Weighted random choice, proportional to score (uniform when no candidate has a positive score). */
function byWeight(candidates: readonly RankedCandidate[], random: number): RankedCandidate | undefined {
  if (candidates.length <= 1) return candidates[0];
  const sorted = [...candidates].sort(stable);
  let total = 0;
  for (const c of sorted) total += score(c);
  if (total <= 0) return sorted[Math.min(sorted.length - 1, Math.floor(random * sorted.length))];
  let target = random * total;
  for (const c of sorted) {
    target -= score(c);
    if (target < 0 && score(c) > 0) return c;
  }
  for (let i = sorted.length - 1; i >= 0; i--) if (score(sorted[i]!) > 0) return sorted[i];
  return sorted[sorted.length - 1];
}

/** The outcome of merging one slot. */
export interface MergeOutcome {
  readonly winner: RankedCandidate | undefined;
  /** Set when a custom merge function failed and the priority policy was used instead. */
  readonly mergeError?: unknown;
}

/**
 * Picks the winner for one slot. Declared (zero-party) proposals outrank inferred ones (P4): when
 * there is a declared proposal, only declared proposals compete. Deterministic for the same inputs.
 */
export function mergeSlot(
  candidates: readonly RankedCandidate[],
  policy: MergePolicy | MergeFunction,
  seed: string,
  slot: string,
): MergeOutcome {
  if (candidates.length === 0) return { winner: undefined };
  let tier = candidates;
  let declared = 0;
  for (let i = 0; i < candidates.length; i++) if (candidates[i]!.origin === 'declared') declared++;
  if (declared > 0 && declared < candidates.length) {
    const only: RankedCandidate[] = [];
    for (let i = 0; i < candidates.length; i++)
      if (candidates[i]!.origin === 'declared') only.push(candidates[i]!);
    tier = only;
  }
  if (policy === 'priority') return { winner: byPriority(tier) };
  if (policy === 'score') return { winner: byScore(tier) };
  const random = seededRandom(seed, slot);
  if (policy === 'weighted') return { winner: byWeight(tier, random) };
  const context: MergeContext = { slot, seed, random };
  try {
    const chosen = policy(Object.freeze([...tier].sort(stable)), context);
    if (chosen === undefined) return { winner: undefined };
    const winner = tier.find((c) => c === chosen);
    if (winner) return { winner };
    return {
      winner: byPriority(tier),
      mergeError: new Error('the merge function returned something that is not one of the candidates'),
    };
  } catch (error) {
    return { winner: byPriority(tier), mergeError: error };
  }
}
