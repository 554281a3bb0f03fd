import type { DataOrigin, Explanation, SlotDecision, SlotRequest, Taxonomy } from '@tactful/core';
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
    const strategyPurposes = s.purposes;
    for (let k = 0; k < strategyPurposes.length; k++) purposesUsed.add(strategyPurposes[k]!);
    let hasDeclared = false;
    let inferred: DataOrigin = 'derived';
    let rank = -1;
    const givenReads = r.givenReads;
    for (let k = 0; k < givenReads.length; k++) {
      const read = givenReads[k]!;
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

  // What the signals a strategy read were made from, by run, worked out when first needed.
  const upstream: Array<Upstream | undefined> = new Array(runs.length);
  const mergeErrors: Array<{ slot: string; error: unknown }> = [];
  const decisions: SlotDecision[] = new Array(slots.length);
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k]!;
    const candidates = bySlot.get(slot.id);
    let winner: RankedCandidate | undefined;
    if (candidates !== undefined) {
      const outcome = mergeSlot(candidates, merge, seed, slot.id);
      if (outcome.mergeError !== undefined) mergeErrors.push({ slot: slot.id, error: outcome.mergeError });
      winner = outcome.winner;
    }
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
    // The checked proposal's lists are its own copies, made for this decision and used by this
    // slot alone (a proposal fills one slot): they are handed on, not copied again.
    const categories = p.categories ? (p.categories as string[]) : copyOf(run.given);
    const purposes = copyOf(strategyPlan.purposes);
    const reads = run.givenReads;
    for (let r = 0; r < reads.length; r++) {
      const read = reads[r]!;
      if (categories.includes(read.category) && !purposes.includes(read.purpose)) purposes.push(read.purpose);
    }
    if (strategyPlan.deps.length > 0) {
      if (p.signalsUsed) usedUpstream(plan, runs, upstream, winner.run, p.signalsUsed, categories, purposes);
      else {
        const up = upstreamOf(plan, runs, upstream, winner.run);
        addAll(categories, up.categories);
        addAll(purposes, up.purposes);
      }
    }
    const explanation: Explanation = {
      strategy: winner.strategy,
      summary: summaryOf(p.reason, taxonomy, categories, purposes),
      signals: p.signals ? (p.signals as string[]) : [],
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

/** The data and purposes some signals were made from. */
interface Upstream {
  readonly categories: string[];
  readonly purposes: string[];
}

/** A plain copy of a list. `slice()` of a frozen array takes V8's slow path (over a microsecond). */
function copyOf(list: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) out.push(list[i]!);
  return out;
}

function add(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function addAll(list: string[], values: readonly string[]): void {
  for (let i = 0; i < values.length; i++) add(list, values[i]!);
}

/**
 * What the signals run `i` read were made from: the data and purposes of their publishers (and of
 * theirs), so an explanation names the data behind a segment, not only the segment. Remembered in
 * `known` for the decision.
 */
function upstreamOf(
  plan: DecisionPlan,
  runs: ReadonlyArray<StrategyRun | undefined>,
  known: Array<Upstream | undefined>,
  i: number,
): Upstream {
  const seen = known[i];
  if (seen) return seen;
  const categories: string[] = [];
  const purposes: string[] = [];
  const deps = plan.permits[i]!.plan.deps;
  for (let k = 0; k < deps.length; k++) {
    const d = deps[k]!;
    const publisher = runs[d];
    if (!publisher?.output || publisher.output.signals.size === 0) continue;
    addAll(purposes, plan.permits[d]!.plan.purposes);
    const reads = publisher.givenReads;
    for (let r = 0; r < reads.length; r++) {
      add(categories, reads[r]!.category);
      add(purposes, reads[r]!.purpose);
    }
    const further = upstreamOf(plan, runs, known, d);
    addAll(categories, further.categories);
    addAll(purposes, further.purposes);
  }
  const result = { categories, purposes };
  known[i] = result;
  return result;
}

/**
 * Adds to `categories` and `purposes` the data and purposes behind the signals (and fields) a
 * proposal of run `i` says it used: for each, its publisher's reads — only those behind the fields
 * used when the publisher declares what each field is made from — and what that publisher's own
 * signals were made from.
 */
function usedUpstream(
  plan: DecisionPlan,
  runs: ReadonlyArray<StrategyRun | undefined>,
  known: Array<Upstream | undefined>,
  i: number,
  uses: NonNullable<CheckedProposal['signalsUsed']>,
  categories: string[],
  purposes: string[],
): void {
  const deps = plan.permits[i]!.plan.deps;
  for (let u = 0; u < uses.length; u++) {
    const use = uses[u]!;
    for (let k = 0; k < deps.length; k++) {
      const d = deps[k]!;
      const publisher = runs[d];
      const publisherPlan = plan.permits[d]?.plan;
      // A publisher that did not run (purpose not granted, dropped) contributed nothing.
      if (!publisherPlan || !publisher?.output?.signals.has(use.signal)) continue;
      const publishes = publisherPlan.manifest.signals.publishes;
      let declared: (typeof publishes)[number] | undefined;
      for (let x = 0; x < publishes.length; x++) {
        if (publishes[x]!.name === use.signal) {
          declared = publishes[x];
          break;
        }
      }
      let allowed: Set<string> | undefined;
      if (declared?.fields && use.fields) {
        allowed = new Set();
        for (let f = 0; f < use.fields.length; f++) {
          const field = use.fields[f]!;
          // Own keys only: a field named like an Object.prototype member describes nothing.
          const from = Object.hasOwn(declared.fields, field) ? declared.fields[field] : undefined;
          // A field the publisher did not describe may rest on any of its data.
          if (from === undefined) {
            allowed = undefined;
            break;
          }
          for (let c = 0; c < from.length; c++) allowed.add(from[c]!);
        }
      }
      addAll(purposes, publisherPlan.purposes);
      const reads = publisher.givenReads;
      for (let r = 0; r < reads.length; r++) {
        const read = reads[r]!;
        if (allowed && !allowed.has(read.category)) continue;
        add(categories, read.category);
        add(purposes, read.purpose);
      }
      const further = upstreamOf(plan, runs, known, d);
      addAll(categories, further.categories);
      addAll(purposes, further.purposes);
    }
  }
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
