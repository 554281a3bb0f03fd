// Segment evaluation as the number of segments grows: 100, 300, 600 and 1,000 segments from core's
// seeded workload (bench/workload.mjs), each size the first N rules of one list, over the same
// contexts, so only N changes. Three groups: all rules, rules with an `$or`, rules without. For each
// size it reports the cost per segment (CPU time of one `evaluate` over the request's data, divided
// by N) and the marginal cost per segment (the slope between two sizes): evaluation is linear when
// the slope from 600 to 1,000 is the slope from 100 to 300. GrowthBook's `evalCondition` on the same
// rules is the peer, measured in the same run; both sides must agree on every (segment, context)
// pair at 1,000 segments first. Rounds interleave the sizes, so load from other processes falls on
// all alike; figures are medians of rounds.
// Run after a build: `pnpm --filter @tactful/segments bench` (after run.mjs), or `node bench/scaling.mjs`.
import { evalCondition } from '@growthbook/growthbook';
import { generateWorkload } from '../../core/bench/workload.mjs';
import { re2Regex } from '@tactful/core/regex';
import { segments } from '../dist/index.js';

const SEED = Number(process.env.BENCH_SEED ?? 20260101);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONTEXTS = Number(process.env.BENCH_CONTEXTS ?? 2000);
const PEER_CONTEXTS = Math.min(CONTEXTS, 300);
const SIZES = [100, 300, 600, 1000];
const LARGEST = SIZES[SIZES.length - 1];
/** The most the marginal cost per segment may grow from the small sizes to the large ones. */
const MAX_SLOPE_RATIO = 1.5;
const CATEGORY = 'crm.profile';

// Enough rules for 1,000 of each group; the contexts come after them in the seeded stream.
const { rules, contexts } = generateWorkload({ seed: SEED, rules: 4 * LARGEST, contexts: CONTEXTS });
const hasOr = (r) => Object.hasOwn(r.tactful, '$or');
const groups = {
  all: rules.slice(0, LARGEST),
  $or: rules.filter(hasOr).slice(0, LARGEST),
  'no $or': rules.filter((r) => !hasOr(r)).slice(0, LARGEST),
};
for (const [name, list] of Object.entries(groups)) {
  if (list.length < LARGEST) throw new Error(`the workload has only ${list.length} rules in group ${name}`);
}

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

const now = Date.parse('2026-11-29T12:00:00Z');
const requests = contexts.map((context) => ({ [CATEGORY]: context }));
const strategyOf = (list) =>
  segments({
    regex: re2Regex,
    taxonomy: { categories: [{ id: CATEGORY, label: { en: 'CRM profile' }, origin: 'observed' }] },
    segments: list.map((r, i) => ({
      name: `segment-${i}`,
      description: { en: `Benchmark segment ${i}` },
      condition: underCategory(r.tactful),
    })),
  });
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// The cases: every group at every size, and the GrowthBook peer on all rules at every size.
const cases = [];
for (const [group, list] of Object.entries(groups)) {
  for (const n of SIZES) {
    const strategy = strategyOf(list.slice(0, n));
    cases.push({
      group,
      n,
      side: 'tactful',
      contexts: CONTEXTS,
      // Each case owns its loop, so no call site in the timing is shared between cases.
      pass: () => {
        let k = 0;
        for (let c = 0; c < CONTEXTS; c++) k += strategy.compiled.evaluate(requests[c], now).length;
        return k;
      },
      strategy,
    });
  }
}
for (const n of SIZES) {
  const conditions = groups.all.slice(0, n).map((r) => r.growthbook);
  cases.push({
    group: 'all',
    n,
    side: 'growthbook',
    contexts: PEER_CONTEXTS,
    pass: () => {
      let k = 0;
      for (let c = 0; c < PEER_CONTEXTS; c++)
        for (let r = 0; r < n; r++) if (evalCondition(contexts[c], conditions[r])) k++;
      return k;
    },
  });
}

// 1. Equivalence at the largest size, on the peer's contexts.
const largest = cases.find((x) => x.side === 'tactful' && x.group === 'all' && x.n === LARGEST).strategy;
const conditions = groups.all.map((r) => r.growthbook);
for (let c = 0; c < PEER_CONTEXTS; c++) {
  const t = largest.compiled.evaluate(requests[c], now).join();
  const g = [];
  for (let r = 0; r < LARGEST; r++) if (evalCondition(contexts[c], conditions[r])) g.push(`segment-${r}`);
  if (t !== g.join()) {
    console.error(
      `MISMATCH on context ${c} with ${LARGEST} segments:\n  tactful:    ${t}\n  growthbook: ${g}`,
    );
    process.exit(1);
  }
}
console.log(
  `scaling: ${SIZES.join(', ')} segments, ${CONTEXTS} contexts (GrowthBook: ${PEER_CONTEXTS}), seed ${SEED}; Tactful and GrowthBook agree on all ${LARGEST * PEER_CONTEXTS} pairs at ${LARGEST}`,
);

// 2. Timing: a warm-up pass of every case, then rounds each running every case once.
let sink = 0;
const time = (x) => {
  const start = cpuMs();
  sink += x.pass();
  return cpuMs() - start;
};
for (const x of cases) time(x);
for (const x of cases) x.samples = [];
for (let round = 0; round < ROUNDS; round++) for (const x of cases) x.samples.push(time(x));
if (sink < 0) console.log(sink);

/** Nanoseconds per context for a case (median round). */
const perContext = (x) => (median(x.samples) * 1e6) / x.contexts;
const lines = [];
let failed = false;
const rowsOf = (group, side) => cases.filter((x) => x.group === group && x.side === side);
for (const [group, side] of [
  ['all', 'tactful'],
  ['$or', 'tactful'],
  ['no $or', 'tactful'],
  ['all', 'growthbook'],
]) {
  const rows = rowsOf(group, side);
  const t = Object.fromEntries(rows.map((x) => [x.n, perContext(x)]));
  const perSegment = SIZES.map((n) => t[n] / n);
  const slope = (a, b) => (t[b] - t[a]) / (b - a);
  const low = slope(SIZES[0], SIZES[1]);
  const high = slope(SIZES[2], SIZES[3]);
  const label = `${side} ${group}`.padEnd(20);
  lines.push(
    `${label} per segment: ${SIZES.map((n, i) => `${n}: ${perSegment[i].toFixed(1)} ns`).join(', ')}; at ${LARGEST} / at ${SIZES[0]}: ${(perSegment[3] / perSegment[0]).toFixed(2)}; marginal ${SIZES[2]}→${SIZES[3]} / ${SIZES[0]}→${SIZES[1]}: ${(high / low).toFixed(2)}`,
  );
  if (side === 'tactful') {
    const peer = rowsOf('all', 'growthbook').find((x) => x.n === LARGEST);
    const peerPerSegment = perContext(peer) / LARGEST;
    lines.push(
      `${''.padEnd(20)} at ${LARGEST} segments: ${(peerPerSegment / perSegment[3]).toFixed(1)}x faster per segment than GrowthBook`,
    );
    if (high / low > MAX_SLOPE_RATIO) failed = true;
  }
}
for (const line of lines) console.log(line);
console.log(
  `linearity (marginal cost per segment from ${SIZES[2]}→${SIZES[3]} within ${MAX_SLOPE_RATIO}x of ${SIZES[0]}→${SIZES[1]}, every group): ${failed ? 'NOT met' : 'met'}`,
);
if (failed) process.exitCode = 1;
