// The condition-language benchmark: one seeded workload (100 segment rules of 3–6 conditions over
// ~20 attributes, 10,000 random contexts) evaluated in one process by
//   - tactful:     each rule compiled with `compileCondition`, called one by one;
//   - tactful-set: the same rules compiled together with `compileConditionSet` (each path read once
//                  per context and shared by the rules, as a segments strategy evaluates them);
//   - growthbook:  GrowthBook's `evalCondition` on the same JSON rules;
//   - json-logic:  json-logic-js on equivalent json-logic rules.
// First it checks that all of them give the same answer on every (rule, context) pair and fails
// loudly otherwise; then it times each over the whole workload (a warm-up, then interleaved rounds,
// median) and prints evaluations per second and the ratios.
// Run after a build: `pnpm --filter @tactful/core bench` (it imports the built package).
import { evalCondition } from '@growthbook/growthbook';
import jsonLogic from 'json-logic-js';
import { compileCondition, compileConditionSet } from '../dist/index.js';
import { re2Regex } from '../dist/regex.js';
import { generateWorkload, jsonLogicRegexOperation } from './workload.mjs';

const SEED = Number(process.env.BENCH_SEED ?? 20260101);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const { rules, contexts } = generateWorkload({ seed: SEED, rules: 100, contexts: 10_000 });
jsonLogic.add_operation('regex', jsonLogicRegexOperation());

const compileStart = performance.now();
const compiled = rules.map((r) => compileCondition(r.tactful, { regex: re2Regex }));
const compileMs = performance.now() - compileStart;
const set = compileConditionSet(
  rules.map((r) => r.tactful),
  { regex: re2Regex },
);
const growthbookRules = rules.map((r) => r.growthbook);
const jsonLogicRules = rules.map((r) => r.jsonLogic);
const n = rules.length;

// Each evaluator answers every rule for one context, into `out`.
const evaluators = {
  tactful: (context, out) => {
    for (let r = 0; r < n; r++) out[r] = compiled[r](context);
  },
  'tactful-set': (context, out) => {
    set.evaluate(context, out);
  },
  growthbook: (context, out) => {
    for (let r = 0; r < n; r++) out[r] = evalCondition(context, growthbookRules[r]);
  },
  'json-logic': (context, out) => {
    for (let r = 0; r < n; r++) out[r] = Boolean(jsonLogic.apply(jsonLogicRules[r], context));
  },
};
const names = Object.keys(evaluators);

// 1. Equivalence: every evaluator gives the same answer on every pair.
const answers = Object.fromEntries(names.map((name) => [name, new Array(n)]));
let matches = 0;
let mismatches = 0;
for (let c = 0; c < contexts.length; c++) {
  for (const name of names) evaluators[name](contexts[c], answers[name]);
  for (let r = 0; r < n; r++) {
    const expected = answers.growthbook[r];
    if (expected) matches++;
    const disagree = names.filter((name) => answers[name][r] !== expected);
    if (disagree.length > 0) {
      mismatches++;
      if (mismatches <= 5) {
        console.error(
          `MISMATCH rule ${r} context ${c}: ${names.map((name) => `${name}=${answers[name][r]}`).join(' ')}`,
        );
        console.error(`  rule: ${JSON.stringify(rules[r].tactful)}`);
        console.error(`  json-logic: ${JSON.stringify(rules[r].jsonLogic)}`);
        console.error(`  context: ${JSON.stringify(contexts[c])}`);
      }
    }
  }
}
const pairs = n * contexts.length;
if (mismatches > 0) {
  console.error(`FAILED: the evaluators disagree on ${mismatches} of ${pairs} (rule, context) pairs`);
  process.exit(1);
}
console.log(
  `workload: ${n} rules (${rules.reduce((k, r) => k + r.conditions, 0)} conditions), ${contexts.length} contexts, seed ${SEED}`,
);
console.log(
  `checked: all evaluators agree on ${pairs} pairs (${matches} matches, ${((100 * matches) / pairs).toFixed(1)}%)`,
);
console.log(`compile: ${n} rules in ${compileMs.toFixed(1)} ms`);

// 2. Timing: each evaluator walks every context through every rule. Time is this process's CPU
// time (user + system), so other processes competing for the machine do not inflate it.
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
function round(name) {
  const evaluate = evaluators[name];
  const out = new Array(n).fill(false);
  let count = 0;
  const start = cpuMs();
  for (let c = 0; c < contexts.length; c++) {
    evaluate(contexts[c], out);
    for (let r = 0; r < n; r++) if (out[r]) count++;
  }
  const ms = cpuMs() - start;
  if (count !== matches) throw new Error(`${name} counted ${count} matches, expected ${matches}`);
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Rounds are interleaved (a, b, c, d, a, b ...) so that load from other processes falls on all
// evaluators alike; each evaluator's figure is the median of its rounds.
const times = Object.fromEntries(names.map((name) => [name, []]));
for (const name of names) round(name); // warm-up (JIT)
for (let i = 0; i < ROUNDS; i++) for (const name of names) times[name].push(round(name));
const rate = {};
for (const name of names) {
  const ms = median(times[name]);
  rate[name] = pairs / (ms / 1000);
  console.log(
    `${name.padEnd(12)} ${(rate[name] / 1e6).toFixed(2).padStart(7)} M evaluations/s  (median of ${ROUNDS} rounds: ${ms.toFixed(1)} ms per ${pairs} evaluations; best ${Math.min(...times[name]).toFixed(1)} ms)`,
  );
}

const ratio = (a, b) => (rate[a] / rate[b]).toFixed(1);
console.log(
  `tactful is ${ratio('tactful', 'growthbook')}x growthbook, ${ratio('tactful', 'json-logic')}x json-logic`,
);
console.log(
  `tactful-set is ${ratio('tactful-set', 'growthbook')}x growthbook, ${ratio('tactful-set', 'json-logic')}x json-logic`,
);
const met = (name) => rate[name] / rate.growthbook >= 10 && rate[name] / rate['json-logic'] >= 15;
console.log(
  `targets (>= 10x growthbook, >= 15x json-logic): tactful ${met('tactful') ? 'met' : 'NOT met'}, tactful-set ${met('tactful-set') ? 'met' : 'NOT met'}`,
);
