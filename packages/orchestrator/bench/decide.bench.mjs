/**
 * Benchmark of one whole decision against its parts, measured side by side in one process.
 *
 * Workload (issue 3): 4 strategies — segments (100 rules compiled with core's compileCondition),
 * contextual, session interests and dynamic content (3 slots x 8 variants chosen by segment) —
 * with in-memory sources for a known subject, and everything consented.
 *
 * Prints decisions/second and three ratios, each with its target:
 *   - full decide() / evaluating the 100 rules alone   (≤ 2x)
 *   - request validation / JSON.parse of the same body (≤ 1x)
 *   - decide() with 5 listeners and hooks / without    (≤ 1.10x)
 *
 * Runs over the BUILT packages: `pnpm bench` builds first.
 */
import {
  DecisionRequestSchema,
  compileCondition,
  deepFreeze,
  defineConsentProvider,
  defineDataSource,
  defineStrategy,
  nestCategories,
} from '@tactful/core';
import { createOrchestrator, parseRequest } from '../dist/index.js';

// --- A seeded workload -------------------------------------------------------------------------

function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}
const random = createRandom(20260115);
const TOPICS = [
  'kids',
  'toys',
  'fashion',
  'beauty',
  'sports',
  'books',
  'electronics',
  'home',
  'food',
  'travel',
];
const PLANS = ['free', 'basic', 'pro', 'vip'];
const COUNTRIES = ['VN', 'TH', 'SG', 'US', 'JP'];

/** One condition over the category shapes of the contracts (profile, purchases, pageviews, cart). */
function condition() {
  switch (random.int(0, 9)) {
    case 0:
      return {
        'profile.attributes.age': { [random.pick(['$gt', '$gte', '$lt', '$lte'])]: random.int(18, 70) },
      };
    case 1:
      return { 'profile.attributes.plan': { $in: [random.pick(PLANS), random.pick(PLANS)] } };
    case 2:
      return { 'profile.attributes.country': random.pick(COUNTRIES) };
    case 3:
      return { 'profile.attributes.loyaltyPoints': { $gte: random.int(0, 5000) } };
    case 4:
      return { 'profile.preferences.interests': random.pick(TOPICS) };
    case 5:
      return { 'behavior.purchases': { $elemMatch: { amount: { $gt: random.int(10, 400) } } } };
    case 6:
      return { 'behavior.pageviews.topics': { $in: [random.pick(TOPICS), random.pick(TOPICS)] } };
    case 7:
      return { 'behavior.cart.items': { $size: random.int(0, 4) } };
    case 8:
      return { 'profile.attributes.newsletter': random.next() < 0.5 };
    default:
      return { $or: [condition(), condition()] };
  }
}
const rules = Array.from({ length: 100 }, (_, i) => ({
  name: `segment-${i}`,
  when: Object.assign({}, ...Array.from({ length: random.int(2, 4) }, condition)),
}));
const categories = [
  'profile.attributes',
  'profile.preferences',
  'behavior.purchases',
  'behavior.pageviews',
  'behavior.cart',
];
const compiled = rules.map((r) => ({ name: r.name, test: compileCondition(r.when, { categories }) }));

const profile = {
  'profile.attributes': { age: 34, plan: 'pro', country: 'VN', loyaltyPoints: 2400, newsletter: true },
  'profile.preferences': { interests: ['kids', 'books'], notInterested: ['travel'], answers: {} },
  'behavior.purchases': Array.from({ length: 20 }, (_, i) => ({
    at: `2025-12-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`,
    amount: 20 + i * 17,
    topics: [TOPICS[i % TOPICS.length]],
  })),
  'behavior.pageviews': Array.from({ length: 30 }, (_, i) => ({
    at: '2026-01-14T10:00:00Z',
    topics: [TOPICS[(i * 3) % TOPICS.length]],
  })),
  'behavior.cart': {
    items: [{ productId: 'p1', addedAt: '2026-01-15T09:00:00Z' }],
    updatedAt: '2026-01-15T09:00:00Z',
  },
};

// --- Plugins -----------------------------------------------------------------------------------

const PROFILE = 'personalization.profile';
const CONTEXTUAL = 'personalization.contextual';
const SESSION = 'personalization.session';

const consent = defineConsentProvider({
  manifest: { name: 'bench-consent', version: '1.0.0', core: '^0.1.0' },
  resolve: ({ purposes }) => {
    const out = {};
    for (const p of purposes) out[p] = { status: 'granted', provider: 'bench-consent', recordId: `r-${p}` };
    return { purposes: out };
  },
});
const profileSource = defineDataSource({
  manifest: {
    name: 'bench-profile',
    version: '1.0.0',
    core: '^0.1.0',
    provides: categories.map((category) => ({ category, retentionDays: 365 })),
    rights: { erase: true },
  },
  load: ({ categories: asked }) => {
    const out = {};
    for (const c of asked) out[c] = profile[c];
    return out;
  },
  erase: async () => ({ erased: 0 }),
});
const segments = defineStrategy({
  manifest: {
    name: 'bench-segments',
    version: '1.0.0',
    core: '^0.1.0',
    purposes: [PROFILE],
    reads: categories.map((category) => ({ category, purpose: PROFILE })),
    signals: { publishes: [{ name: 'segments.memberships' }] },
  },
  decide: (input) => {
    const facts = nestCategories(input.data);
    const members = [];
    for (const rule of compiled) if (rule.test(facts)) members.push(rule.name);
    return { proposals: [], signals: { 'segments.memberships': members } };
  },
});
const contextual = defineStrategy({
  manifest: {
    name: 'bench-contextual',
    version: '1.0.0',
    core: '^0.1.0',
    purposes: [CONTEXTUAL],
    reads: ['context.time', 'context.device', 'context.locale'].map((category) => ({
      category,
      purpose: CONTEXTUAL,
    })),
    priority: -1,
  },
  decide: (input) => {
    const hour = new Date(input.now).getUTCHours();
    const daypart = hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
    return {
      proposals: [
        {
          slot: 'home.banner',
          content: { banner: daypart },
          variant: daypart,
          score: 0.4,
          reason: { en: `It is ${daypart}.`, vi: 'Theo thời điểm trong ngày.' },
        },
      ],
    };
  },
});
const session = defineStrategy({
  manifest: {
    name: 'bench-session',
    version: '1.0.0',
    core: '^0.1.0',
    purposes: [SESSION],
    reads: [{ category: 'session.events', purpose: SESSION }],
  },
  decide: (input) => {
    const scores = {};
    for (const e of input.data['session.events'] ?? [])
      for (const t of e.topics ?? []) scores[t] = (scores[t] ?? 0) + 1;
    const top = Object.keys(scores).sort((a, b) => scores[b] - scores[a])[0];
    if (!top) return { proposals: [] };
    return {
      proposals: [
        {
          slot: 'home.recs',
          content: { topic: top },
          score: 0.6,
          topics: [top],
          reason: { en: `You looked at ${top}.` },
        },
      ],
    };
  },
});
const SLOTS = ['home.hero', 'home.banner', 'home.recs'];
const variants = SLOTS.map((slot) =>
  Array.from({ length: 8 }, (_, v) => ({
    id: `${slot}-v${v}`,
    segment: `segment-${(v * 13 + slot.length) % 100}`,
    content: { slot, v },
  })),
);
const content = defineStrategy({
  manifest: {
    name: 'bench-content',
    version: '1.0.0',
    core: '^0.1.0',
    purposes: [PROFILE],
    signals: { reads: ['segments.memberships'] },
    priority: 1,
  },
  decide: (input) => {
    const members = new Set(input.signals['segments.memberships'] ?? []);
    const proposals = [];
    SLOTS.forEach((slot, i) => {
      const variant = variants[i].find((v) => members.has(v.segment));
      if (variant) {
        proposals.push({
          slot,
          content: variant.content,
          variant: variant.id,
          score: 0.8,
          reason: {
            en: `For customers in ${variant.segment}.`,
            vi: `Dành cho khách hàng thuộc ${variant.segment}.`,
          },
          signals: [variant.segment],
        });
      }
    });
    return { proposals };
  },
});

const plugins = {
  consent: [consent],
  sources: [profileSource],
  strategies: [segments, contextual, session, content],
};
const plain = createOrchestrator(plugins);
const observed = createOrchestrator(plugins);
let observedCount = 0;
for (let i = 0; i < 3; i++) observed.on('decision', () => observedCount++);
observed.on('strategy:dropped', () => observedCount++);
observed.addHooks({ afterDecision: () => observedCount++ });

const body = JSON.stringify({
  subject: { id: 'u_8f3a2c' },
  context: {
    now: '2026-01-15T10:00:00+07:00',
    timeZone: 'Asia/Ho_Chi_Minh',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
    acceptLanguage: 'vi-VN,vi;q=0.9,en;q=0.8',
    locale: 'vi-VN',
    geo: { country: 'VN', region: 'HN', city: 'Hanoi' },
    url: 'https://shop.example/',
    referrer: 'https://www.google.com/',
    gpc: false,
    attributes: { campaign: 'tet-2026', pageType: 'home' },
  },
  session: {
    id: 'sess_0123456789abcdef',
    events: [
      { type: 'page_view', at: '2026-01-15T02:58:00Z', target: '/', topics: ['kids'] },
      { type: 'product_view', at: '2026-01-15T02:59:00Z', target: 'p1', topics: ['kids', 'toys'] },
    ],
  },
  slots: SLOTS.map((id) => ({ id, default: { slot: id, default: true } })),
  traceId: 'bench-trace-0001',
});
const parsedBody = JSON.parse(body);
const trusted = DecisionRequestSchema.parse(parsedBody);

const projection = deepFreeze(Object.fromEntries(categories.map((c) => [c, profile[c]])));

// --- Measurement -------------------------------------------------------------------------------

let sink = 0;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
/** Microseconds per call of a synchronous function, over one batch. */
function batchSync(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink ^= fn() ? 1 : 0;
  return ((performance.now() - t0) * 1000) / n;
}
/** Microseconds per call of an async function, over one batch (each call awaited). */
async function batchAsync(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink ^= (await fn()).slots.length;
  return ((performance.now() - t0) * 1000) / n;
}

const cases = {
  // The rules alone, as an application would run them without Tactful: nest the person's data
  // into facts, then test the 100 compiled rules. (`projection` holds the same data in the same
  // frozen form a strategy gets, so both sides run the rules on identically shaped facts.)
  rules: () =>
    batchSync(() => {
      const facts = nestCategories(profile);
      let m = 0;
      for (const rule of compiled) if (rule.test(facts)) m++;
      return m;
    }, 2000),
  decide: () => batchAsync(() => plain.decide(parsedBody), 1000),
  decideTrusted: () => batchAsync(() => plain.decide(trusted, { trusted: true }), 1000),
  decideObserved: () => batchAsync(() => observed.decide(parsedBody), 1000),
  jsonParse: () => batchSync(() => JSON.parse(body), 5000),
  validate: () => batchSync(() => parseRequest(parsedBody), 5000),
  zod: () => batchSync(() => DecisionRequestSchema.safeParse(parsedBody).success, 2000),
};

// Sanity: the workload does what it says before it is timed.
const check = await plain.decide(parsedBody);
if (check.dropped.length > 0 || check.slots.some((s) => s.isDefault)) {
  console.error('bench workload is broken:', JSON.stringify(check, null, 2));
  process.exit(1);
}
const memberships = compiled.filter((r) => r.test(nestCategories(projection))).length;

// Warm-up, then rounds in which every case runs once, side by side; medians of the rounds.
for (let i = 0; i < 3; i++) for (const run of Object.values(cases)) await run();
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);
for (let r = 0; r < ROUNDS; r++)
  for (const [name, run] of Object.entries(cases)) samples[name].push(await run());
const us = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));

const fmt = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const verdict = (ok) => (ok ? 'ok' : 'OVER TARGET');
const ratioRules = us.decide / us.rules;
const ratioValidate = us.validate / us.jsonParse;
const ratioListeners = us.decideObserved / us.decide;
console.log(`@tactful/orchestrator decide() benchmark — node ${process.version}, ${ROUNDS} rounds, medians`);
console.log(
  `workload: 4 strategies, ${compiled.length} segment rules (${memberships} match), 3 slots x 8 variants, in-memory sources`,
);
console.log('');
console.log(
  `decide()                          ${fmt(us.decide).padStart(8)} µs   ${Math.round(1e6 / us.decide).toLocaleString('en')} decisions/s`,
);
console.log(
  `decide(trusted)                   ${fmt(us.decideTrusted).padStart(8)} µs   ${Math.round(1e6 / us.decideTrusted).toLocaleString('en')} decisions/s`,
);
console.log(`100 rules alone                   ${fmt(us.rules).padStart(8)} µs`);
console.log(`request validation (fast parser)  ${fmt(us.validate).padStart(8)} µs`);
console.log(`JSON.parse of the same body       ${fmt(us.jsonParse).padStart(8)} µs   (${body.length} bytes)`);
console.log(`zod safeParse of the same body    ${fmt(us.zod).padStart(8)} µs   (reference)`);
console.log(`decide() with 5 listeners/hooks   ${fmt(us.decideObserved).padStart(8)} µs`);
console.log('');
console.log(
  `ratio decide() / 100 rules alone          ${ratioRules.toFixed(2)}x   target ≤ 2x     ${verdict(ratioRules <= 2)}`,
);
console.log(
  `ratio validation / JSON.parse             ${ratioValidate.toFixed(2)}x   target ≤ 1x     ${verdict(ratioValidate <= 1)}`,
);
console.log(
  `ratio with 5 listeners / without          ${ratioListeners.toFixed(2)}x   target ≤ 1.10x  ${verdict(ratioListeners <= 1.1)}`,
);
if (sink === 0.5 || observedCount < 0) console.log(sink);
