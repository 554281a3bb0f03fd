import { type Explanation, type LocalizedText, notInterestedSentence } from '@tactful/core';
import type { CheckedProposal } from './output.js';
import type { DecisionPlan } from './plan.js';
import type { StrategyRun } from './run-strategies.js';

/** A declared "not interested" in force for a decision: its topic, why, and who declared it. */
export interface ActiveVeto {
  readonly topic: string;
  readonly reason: LocalizedText | undefined;
  /** The run that returned it (a strategy that was given declared data). */
  readonly run: number;
}

/** The vetoes of a decision, by topic (the first strategy to veto a topic names it). */
export function activeVetoes(runs: ReadonlyArray<StrategyRun | undefined>): Map<string, ActiveVeto> {
  const vetoes = new Map<string, ActiveVeto>();
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    if (!r?.output || r.output.vetoes.length === 0) continue;
    // Vetoes count only from strategies that were given declared (zero-party) data.
    if (!hasDeclared(r.givenReads)) continue;
    const list = r.output.vetoes;
    for (let k = 0; k < list.length; k++) {
      const v = list[k]!;
      if (!vetoes.has(v.topic)) vetoes.set(v.topic, { topic: v.topic, reason: v.reason, run: i });
    }
  }
  return vetoes;
}

function hasDeclared(reads: StrategyRun['givenReads']): boolean {
  for (let i = 0; i < reads.length; i++) if (reads[i]!.origin === 'declared') return true;
  return false;
}

/** True when one of `topics` is vetoed; the vetoes found are added to `hit`. */
function blocked(
  topics: readonly string[] | undefined,
  vetoes: ReadonlyMap<string, ActiveVeto>,
  hit: Map<string, ActiveVeto>,
): boolean {
  if (topics === undefined) return false;
  let any = false;
  for (let i = 0; i < topics.length; i++) {
    const v = vetoes.get(topics[i]!);
    if (v) {
      hit.set(topics[i]!, v);
      any = true;
    }
  }
  return any;
}

/**
 * The proposal to use in place of `proposal` under the vetoes: itself when none of its topics is
 * vetoed, else its first fallback none of whose topics is, else nothing. The vetoes that removed
 * something are added to `hit`.
 */
export function applyVetoes(
  proposal: CheckedProposal,
  vetoes: ReadonlyMap<string, ActiveVeto>,
  hit: Map<string, ActiveVeto>,
): CheckedProposal | undefined {
  if (!blocked(proposal.topics, vetoes, hit)) return proposal;
  const fallbacks = proposal.fallbacks ?? [];
  for (let i = 0; i < fallbacks.length; i++) {
    const f = fallbacks[i]!;
    if (blocked(f.topics, vetoes, hit)) continue;
    const { fallbacks: _, ...rest } = proposal;
    const chosen: CheckedProposal = { slot: proposal.slot, content: f.content, reason: f.reason };
    return Object.assign(
      chosen,
      rest.origin === undefined ? {} : { origin: rest.origin },
      f.variant === undefined ? {} : { variant: f.variant },
      f.score === undefined ? {} : { score: f.score },
      f.topics === undefined ? {} : { topics: f.topics },
      f.signals === undefined ? {} : { signals: f.signals },
      f.categories === undefined ? {} : { categories: f.categories },
      f.signalsUsed === undefined ? {} : { signalsUsed: f.signalsUsed },
    );
  }
  return undefined;
}

const STANDARD: LocalizedText = {
  en: 'That is why you see the standard content here.',
  vi: 'Vì vậy bạn thấy nội dung tiêu chuẩn ở đây.',
};

/** The veto's own words, else a sentence naming the topic in plain words (never the quoted key). */
function vetoSentence(v: ActiveVeto): LocalizedText {
  return v.reason ?? notInterestedSentence(v.topic);
}

/**
 * Adds to a slot's explanation the declared "not interested" that changed its choice (P4, P5):
 * the veto's words, a `not-interested:<topic>` signal, and the declared data and purposes of the
 * strategy that read it. For default content, the explanation then says why the default was
 * shown instead of claiming nothing about the person was used.
 */
export function explainVetoes(
  explanation: Explanation,
  hit: ReadonlyMap<string, ActiveVeto>,
  plan: DecisionPlan,
  runs: ReadonlyArray<StrategyRun | undefined>,
  isDefault: boolean,
): Explanation {
  if (hit.size === 0) return explanation;
  const vetoes = [...hit.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  const signals = [...explanation.signals];
  const categories = [...explanation.categories];
  const purposes = [...explanation.purposes];
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  for (const v of vetoes) {
    add(signals, `not-interested:${v.topic}`);
    const run = runs[v.run];
    for (const read of run?.givenReads ?? []) {
      if (read.origin !== 'declared') continue;
      add(categories, read.category);
      add(purposes, read.purpose);
    }
    for (const p of plan.permits[v.run]?.plan.purposes ?? []) add(purposes, p);
  }
  const sentences = vetoes.map(vetoSentence);
  const en = sentences.map((s) => s.en).join(' ');
  const vi = sentences.map((s) => s.vi ?? s.en).join(' ');
  const summary: LocalizedText = isDefault
    ? { en: `${en} ${STANDARD.en}`, vi: `${vi} ${STANDARD.vi}` }
    : {
        en: `${explanation.summary.en} ${en}`,
        vi: `${explanation.summary.vi ?? explanation.summary.en} ${vi}`,
      };
  return { ...explanation, summary, signals, categories, purposes };
}
