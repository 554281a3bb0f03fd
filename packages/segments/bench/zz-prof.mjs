import { evalCondition } from '@growthbook/growthbook';
import { generateWorkload } from '../../core/bench/workload.mjs';
import { compileConditionSet, nestCategories } from '../../core/dist/index.js';
import { segments } from '../dist/index.js';
const CATEGORY = 'crm.profile';
const { rules, contexts } = generateWorkload({ seed: 20260101, rules: 100, contexts: 10_000 });
function underCategory(rule) {
  const out = {};
  for (const [k, v] of Object.entries(rule)) {
    if (k === '$or' || k === '$and' || k === '$nor') out[k] = v.map(underCategory);
    else if (k.startsWith('$')) out[k] = v;
    else out[`${CATEGORY}.${k}`] = v;
  }
  return out;
}
const conds = rules.map((r) => underCategory(r.tactful));
const strategy = segments({
  taxonomy: { categories: [{ id: CATEGORY, label: { en: 'CRM' }, origin: 'observed' }] },
  segments: conds.map((c, i) => ({ name: `s-${i}`, description: { en: 'x' }, condition: c })),
});
const set = compileConditionSet(conds);
const now = Date.parse('2026-11-29T12:00:00Z');
const requests = contexts.map((c) => ({ [CATEGORY]: c }));
const prebuilt = requests.map((r) => nestCategories(r));
const S = strategy.compiled;
const fns = {
  clauses: (c) => {
    const m = S.matcher(prebuilt[c]);
    let n = 0;
    for (const s of S.segments) if (m.matches(s)) n++;
    return n;
  },
  set: (c) => set.matching(prebuilt[c]).length,
  whole: (c) => {
    let n = 0;
    for (const s of S.segments) if (s.test(prebuilt[c])) n++;
    return n;
  },
  growthbook: (c) => {
    let n = 0;
    for (const r of rules) if (evalCondition(contexts[c], r.growthbook)) n++;
    return n;
  },
};
const best = {};
for (const [k, f] of Object.entries(fns)) {
  for (let c = 0; c < 2000; c++) f(c);
  best[k] = 1e9;
}
for (let round = 0; round < 5; round++)
  for (const [k, f] of Object.entries(fns)) {
    const st = performance.now();
    for (let c = 0; c < contexts.length; c++) f(c);
    best[k] = Math.min(best[k], performance.now() - st);
  }
for (const [k, v] of Object.entries(best))
  console.log(k.padEnd(12), v.toFixed(1), 'ms', (best.growthbook / v).toFixed(1) + 'x');
