// Segment evaluation benchmark: 100 segments over 10,000 contexts, side by side with GrowthBook's
// `evalCondition` on the same rules. The rules and contexts come from core's seeded workload
// (bench/workload.mjs): 3–6 conditions each over ~20 attributes. For Tactful, each context is the
// `crm.profile` data category of a request and each rule a segment definition reading it, so the
// timing includes what a decision does: nesting the categories, the per-request facts and every
// segment's compiled condition. First both sides must agree on every (segment, context) pair.
// Run after a build: `pnpm --filter @tactful/segments bench`.
import { evalCondition } from '@growthbook/growthbook';
import { generateWorkload } from '../../core/bench/workload.mjs';
import { re2Regex } from '@tactful/core/regex';
import { segments } from '../dist/index.js';

const SEED = Number(process.env.BENCH_SEED ?? 20260101);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CATEGORY = 'crm.profile';
const { rules, contexts } = generateWorkload({ seed: SEED, rules: 100, contexts: 10_000 });

/** The same rule with every field path moved under the category. */
function underCategory(rule) {
  const out = {};
  for (const [key, value] of Object.entries(rule)) {
    if (key === '$or' || key === '$and' || key === '$nor') out[key] = value.map(underCategory);
    else if (key.startsWith('$')) out[key] = value;
    else out[`${CATEGORY}.${key}`] = value;
  }
  return out;
}

const compileStart = performance.now();
const strategy = segments({
  regex: re2Regex,
  taxonomy: { categories: [{ id: CATEGORY, label: { en: 'CRM profile' }, origin: 'observed' }] },
  segments: rules.map((r, i) => ({
    name: `segment-${i}`,
    description: { en: `Benchmark segment ${i}` },
    condition: underCategory(r.tactful),
  })),
});
const compileMs = performance.now() - compileStart;
const now = Date.parse('2026-11-29T12:00:00Z');
const requests = contexts.map((context) => ({ [CATEGORY]: context }));
const names = rules.map((_, i) => `segment-${i}`);

const tactful = (c) => strategy.compiled.evaluate(requests[c], now);
const growthbook = (c) => {
  const out = [];
  const context = contexts[c];
  for (let r = 0; r < rules.length; r++) if (evalCondition(context, rules[r].growthbook)) out.push(names[r]);
  return out;
};

// 1. Equivalence.
let memberships = 0;
for (let c = 0; c < contexts.length; c++) {
  const t = tactful(c);
  const g = growthbook(c);
  if (t.join() !== g.join()) {
    console.error(`MISMATCH on context ${c}:\n  tactful:    ${t.join(', ')}\n  growthbook: ${g.join(', ')}`);
    process.exit(1);
  }
  memberships += t.length;
}
const pairs = rules.length * contexts.length;
console.log(`workload: ${rules.length} segments, ${contexts.length} contexts, seed ${SEED}`);
console.log(`checked: Tactful and GrowthBook agree on all ${pairs} pairs (${memberships} memberships)`);
console.log(`compile: ${rules.length} segments in ${compileMs.toFixed(1)} ms`);

// 2. Timing: ROUNDS passes over every context for each side, interleaved (so background load hits
// both alike), after a warm-up pass; the best and the median round are reported.
const sides = { tactful, growthbook };
const samples = { tactful: [], growthbook: [] };
let sink = 0;
for (const fn of Object.values(sides)) for (let c = 0; c < contexts.length; c++) sink += fn(c).length;
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(sides)) {
    const start = performance.now();
    for (let c = 0; c < contexts.length; c++) sink += fn(c).length;
    samples[name].push(performance.now() - start);
  }
}
if (sink < 0) console.log(sink);
const best = (name) => Math.min(...samples[name]);
const median = (name) => samples[name].slice().sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
const results = { tactful: best('tactful'), growthbook: best('growthbook') };
const signal = new AbortController().signal;
const decideMs = await (async () => {
  const inputs = requests.map((data) => ({
    slots: [{ id: 'home.hero' }],
    data,
    signals: {},
    granted: ['personalization.profile'],
    now,
  }));
  for (let c = 0; c < 1000; c++) await strategy.decide(inputs[c], { signal, traceId: 'bench-warmup' });
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    for (let c = 0; c < contexts.length; c++)
      await strategy.decide(inputs[c], { signal, traceId: 'bench-decide' });
    best = Math.min(best, performance.now() - start);
  }
  return best;
})();

const row = (name, ms) =>
  `${name.padEnd(34)} ${ms.toFixed(1).padStart(9)} ms  ${((ms * 1000) / contexts.length).toFixed(2).padStart(8)} µs/context  ${(
    (contexts.length / ms) *
    1000
  )
    .toFixed(0)
    .padStart(9)} contexts/s`;
console.log(row('tactful segments (evaluate, best)', results.tactful));
console.log(row('tactful segments (evaluate, median)', median('tactful')));
console.log(row('tactful segments (full decide, best)', decideMs));
console.log(row('growthbook evalCondition (best)', results.growthbook));
console.log(row('growthbook evalCondition (median)', median('growthbook')));
const ratio = results.growthbook / results.tactful;
console.log(
  `speed-up: ${ratio.toFixed(1)}x best-to-best, ${(median('growthbook') / median('tactful')).toFixed(1)}x median-to-median faster than GrowthBook evalCondition (target ≥ 10x)`,
);
if (ratio < 10) process.exitCode = 1;
