import type { DataOrigin, SlotDecision, SlotRequest, Taxonomy } from '@tactful/core';
import { defaultExplanation, summaryOf } from './explain.js';
import { type RankedCandidate, mergeSlot } from './merge.js';
import type { CheckedProposal } from './output.js';
import type { MergeFunction, MergePolicy } from './options.js';
import type { DecisionPlan } from './plan.js';
import { ORIGIN_RANK } from './registry.js';
import type { StrategyRun } from './run-strategies.js';
import { type ActiveVeto, activeVetoes, applyVetoes, explainVetoes } from './vetoes.js';

/** The merged result of one decision. */
export interface Assembled {
  readonly slots: SlotDecision[];
  readonly purposesUsed: string[];
  readonly categoriesUsed: string[];
  /** Slots where a custom merge function failed (the priority policy was used). */
  readonly mergeErrors: ReadonlyArray<{ slot: string; error: unknown }>;
}

/**
 * Applies declared vetoes (P4), ranks origins (a proposal may claim `declared` only when declared
 * data was given to its strategy), merges each slot and writes its explanation (P5): the data and
 * purposes it rests on, including those behind the signals it read. Slots nobody filled get their
 * default content.
 */
export function assemble(
  plan: DecisionPlan,
  runs: ReadonlyArray<StrategyRun | undefined>,
  slots: ReadonlyArray<Readonly<SlotRequest>>,
  merge: MergePolicy | MergeFunction,
  seed: string,
  taxonomy: Taxonomy,
  universe: { readonly purposes: readonly string[]; readonly categories: readonly string[] },
): Assembled {
  // Vetoes count only from strategies that were given declared (zero-party) data.
  const vetoes = activeVetoes(runs);
  /** Per slot, the vetoes that removed a proposal or fallback of it. */
  const vetoedBySlot = new Map<string, Map<string, ActiveVeto>>();
  const bySlot = new Map<string, RankedCandidate[]>();
  const purposesUsed = new Set<string>();
  const categoriesUsed = new Set<string>();
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    if (!r) continue;
    const s = plan.permits[i]!.plan;
    for (const p of s.purposes) purposesUsed.add(p);
    let hasDeclared = false;
    let inferred: DataOrigin = 'derived';
    let rank = -1;
    for (const read of r.givenReads) {
      categoriesUsed.add(read.category);
      purposesUsed.add(read.purpose);
      if (read.origin === 'declared') hasDeclared = true;
      else if (ORIGIN_RANK[read.origin] > rank) {
        rank = ORIGIN_RANK[read.origin];
        inferred = read.origin;
      }
    }
    if (!r.output) continue;
    const fallbackOrigin: DataOrigin = hasDeclared && rank < 0 ? 'declared' : inferred;
    const proposals = r.output.proposals;
    for (let index = 0; index < proposals.length; index++) {
      const offered = proposals[index]!;
      const origin: DataOrigin =
        offered.origin === 'declared'
          ? hasDeclared
            ? 'declared'
            : inferred
          : (offered.origin ?? fallbackOrigin);
      // A declared "not interested" removes an inferred proposal; its next choice stands in (P4).
      let proposal = offered;
      if (origin !== 'declared' && vetoes.size > 0) {
        let hit = vetoedBySlot.get(offered.slot);
        if (!hit) {
          hit = new Map();
          vetoedBySlot.set(offered.slot, hit);
        }
        const kept = applyVetoes(offered, vetoes, hit);
        if (kept === undefined) continue;
        proposal = kept;
      }
      const candidate: RankedCandidate = {
        proposal,
        strategy: s.name,
        priority: s.priority,
        order: s.order,
        origin,
        index,
        run: i,
      };
      const list = bySlot.get(proposal.slot);
      if (list) list.push(candidate);
      else bySlot.set(proposal.slot, [candidate]);
    }
  }

  // What the signals a strategy read were made from: the data and purposes of their publishers
  // (and of theirs), so an explanation names the data behind a segment, not only the segment.
  const upstream: Array<{ categories: string[]; purposes: string[] } | undefined> = new Array(runs.length);
  const upstreamOf = (i: number): { categories: string[]; purposes: string[] } => {
    const known = upstream[i];
    if (known) return known;
    const categories: string[] = [];
    const purposes: string[] = [];
    const add = (list: string[], value: string) => {
      if (!list.includes(value)) list.push(value);
    };
    for (const d of plan.permits[i]!.plan.deps) {
      const publisher = runs[d];
      if (!publisher?.output || publisher.output.signals.size === 0) continue;
      for (const p of plan.permits[d]!.plan.purposes) add(purposes, p);
      for (const read of publisher.givenReads) {
        add(categories, read.category);
        add(purposes, read.purpose);
      }
      const further = upstreamOf(d);
      for (const c of further.categories) add(categories, c);
      for (const p of further.purposes) add(purposes, p);
    }
    const result = { categories, purposes };
    upstream[i] = result;
    return result;
  };

  /**
   * The data and purposes behind the signals (and fields) a proposal says it used: for each, its
   * publisher's reads — only those behind the fields used when the publisher declares what each
   * field is made from — and what that publisher's own signals were made from.
   */
  const usedUpstream = (
    i: number,
    uses: NonNullable<CheckedProposal['signalsUsed']>,
  ): { categories: string[]; purposes: string[] } => {
    const categories: string[] = [];
    const purposes: string[] = [];
    const add = (list: string[], value: string) => {
      if (!list.includes(value)) list.push(value);
    };
    for (const use of uses) {
      for (const d of plan.permits[i]!.plan.deps) {
        const publisher = runs[d];
        const publisherPlan = plan.permits[d]?.plan;
        // A publisher that did not run (purpose not granted, dropped) contributed nothing.
        if (!publisherPlan || !publisher?.output?.signals.has(use.signal)) continue;
        const declared = publisherPlan.manifest.signals.publishes.find((x) => x.name === use.signal);
        let allowed: Set<string> | undefined;
        if (declared?.fields && use.fields) {
          allowed = new Set();
          for (const f of use.fields) {
            const from = declared.fields[f];
            // A field the publisher did not describe may rest on any of its data.
            if (from === undefined) {
              allowed = undefined;
              break;
            }
            for (const c of from) allowed.add(c);
          }
        }
        for (const p of publisherPlan.purposes) add(purposes, p);
        for (const read of publisher.givenReads) {
          if (allowed && !allowed.has(read.category)) continue;
          add(categories, read.category);
          add(purposes, read.purpose);
        }
        const further = upstreamOf(d);
        for (const c of further.categories) add(categories, c);
        for (const p of further.purposes) add(purposes, p);
      }
    }
    return { categories, purposes };
  };

  const mergeErrors: Array<{ slot: string; error: unknown }> = [];
  const decisions: SlotDecision[] = new Array(slots.length);
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k]!;
    const outcome = mergeSlot(bySlot.get(slot.id) ?? [], merge, seed, slot.id);
    if (outcome.mergeError !== undefined) mergeErrors.push({ slot: slot.id, error: outcome.mergeError });
    const winner = outcome.winner;
    const hit = vetoedBySlot.get(slot.id);
    if (!winner) {
      decisions[k] = {
        slot: slot.id,
        content: slot.default,
        strategy: 'default',
        isDefault: true,
        explanation: hit ? explainVetoes(defaultExplanation(), hit, plan, runs, true) : defaultExplanation(),
      };
      continue;
    }
    const p = winner.proposal;
    const run = runs[winner.run]!;
    const strategyPlan = plan.permits[winner.run]!.plan;
    const categories = p.categories ? p.categories.slice() : run.given.slice();
    const purposes = strategyPlan.purposes.slice();
    for (const read of run.givenReads) {
      if (categories.includes(read.category) && !purposes.includes(read.purpose)) purposes.push(read.purpose);
    }
    if (strategyPlan.deps.length > 0) {
      const up = p.signalsUsed ? usedUpstream(winner.run, p.signalsUsed) : upstreamOf(winner.run);
      for (const c of up.categories) if (!categories.includes(c)) categories.push(c);
      for (const x of up.purposes) if (!purposes.includes(x)) purposes.push(x);
    }
    const explanation = {
      strategy: winner.strategy,
      summary: summaryOf(p.reason, taxonomy, categories, purposes),
      signals: p.signals ? p.signals.slice() : [],
      purposes,
      categories,
    };
    const decision: SlotDecision = {
      slot: slot.id,
      content: p.content,
      strategy: winner.strategy,
      isDefault: false,
      explanation: hit ? explainVetoes(explanation, hit, plan, runs, false) : explanation,
    };
    if (p.variant !== undefined) decision.variant = p.variant;
    if (p.score !== undefined) decision.score = p.score;
    decisions[k] = decision;
  }
  return {
    slots: decisions,
    // The universe lists are sorted once at registration: filtering them keeps the order stable.
    purposesUsed: inOrder(universe.purposes, purposesUsed),
    categoriesUsed: inOrder(universe.categories, categoriesUsed),
    mergeErrors,
  };
}

/** The members of `used`, in the order of `universe` (which holds them all). */
function inOrder(universe: readonly string[], used: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (used.size === 0) return out;
  for (let i = 0; i < universe.length && out.length < used.size; i++) {
    const v = universe[i]!;
    if (used.has(v)) out.push(v);
  }
  return out;
}
