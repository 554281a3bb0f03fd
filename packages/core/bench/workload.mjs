/**
 * A seeded, reproducible workload of segment rules and contexts for condition benchmarks: rules of
 * 3–6 conditions over ~20 attributes (numbers, strings, booleans, arrays, an optional field and a
 * nested one), mixing comparisons, $in/$nin, $all, $exists, $ne, $size, a few $regex, and $or groups.
 *
 * Every rule comes in three equivalent forms: the Tactful rule (MongoDB-style JSON), the same rule
 * for GrowthBook's `evalCondition`, and a json-logic rule (json-logic has no regex operation, so
 * the caller registers one named `regex`; see `jsonLogicRegexOperation`). The generator only uses
 * constructs whose meaning is the same in the three languages on these contexts (attributes used
 * with comparisons are always present and typed; regexes are plain enough for RE2 and JS alike).
 *
 * @example
 * ```js
 * import { generateWorkload } from '@tactful/core/bench/workload.mjs';
 * const { rules, contexts } = generateWorkload({ seed: 42, rules: 100, contexts: 10_000 });
 * ```
 */

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same workload everywhere. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const sample = (list, n) => {
    const copy = list.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  };
  return { next, int, pick, sample, chance: (p) => next() < p };
}

const COUNTRIES = ['VN', 'TH', 'SG', 'US', 'DE', 'FR', 'JP', 'KR', 'ID', 'PH'];
const PLANS = ['free', 'basic', 'pro', 'enterprise'];
const DEVICES = ['mobile', 'desktop', 'tablet'];
const LANGUAGES = ['vi', 'en', 'th', 'ja', 'de', 'fr'];
const DOMAINS = ['gmail.com', 'yahoo.com', 'company.vn', 'outlook.com', 'fpt.vn'];
const REFERRERS = [
  'https://www.google.com/search',
  'https://google.com.vn/',
  'https://facebook.com/post',
  'https://zalo.me/x',
  'https://news.example/a',
];
const TAGS = [
  'vip',
  'new',
  'churn-risk',
  'wholesale',
  'beta',
  'staff',
  'student',
  'reseller',
  'returning',
  'promo',
];
const TOPICS = [
  'kids',
  'toys',
  'fashion',
  'beauty',
  'sports',
  'books',
  'electronics',
  'home',
  'garden',
  'food',
  'travel',
  'music',
];
const CITIES = ['Hanoi', 'Ho Chi Minh City', 'Da Nang', 'Bangkok', 'Singapore', 'Berlin', 'Paris', 'Tokyo'];
const COUPONS = ['TET2026', 'WELCOME', 'SUMMER', 'VIP10'];

/** Numeric attributes (always present) with their ranges. */
const NUMBERS = {
  age: [16, 80],
  visits: [0, 300],
  spend: [0, 5000],
  cartValue: [0, 1000],
  daysSinceLastVisit: [0, 365],
  sessions: [0, 50],
  score: [0, 100],
};
const STRINGS = { country: COUNTRIES, plan: PLANS, device: DEVICES, language: LANGUAGES };
const BOOLEANS = ['loggedIn', 'newsletter', 'hasApp'];

/** One random context: 21 attributes, `coupon` present about a third of the time. */
export function randomContext(random) {
  const context = {};
  for (const [name, [min, max]] of Object.entries(NUMBERS)) {
    context[name] = name === 'spend' ? Math.round(random.next() * max * 100) / 100 : random.int(min, max);
  }
  for (const [name, values] of Object.entries(STRINGS)) context[name] = random.pick(values);
  for (const name of BOOLEANS) context[name] = random.chance(0.5);
  context.email = `user${random.int(1, 99999)}@${random.pick(DOMAINS)}`;
  context.referrer = random.pick(REFERRERS);
  context.signupDate = `20${random.int(20, 26)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
  context.tags = random.sample(TAGS, random.int(0, 4));
  context.interests = random.sample(TOPICS, random.int(0, 5));
  if (random.chance(0.35)) context.coupon = random.pick(COUPONS);
  context.geo = { city: random.pick(CITIES), region: random.pick(['north', 'south', 'central']) };
  return context;
}

/**
 * One condition in the three languages: `{ tactful, growthbook, jsonLogic }` where `tactful` and
 * `growthbook` are `[path, expression]` pairs and `jsonLogic` is a json-logic expression.
 */
function randomCondition(random, allowRegex) {
  const kind = random.pick(
    allowRegex
      ? [
          'num',
          'num',
          'num',
          'range',
          'eq',
          'in',
          'nin',
          'bool',
          'any',
          'all',
          'exists',
          'ne',
          'date',
          'city',
          'size',
          'regex',
        ]
      : [
          'num',
          'num',
          'num',
          'range',
          'eq',
          'in',
          'nin',
          'bool',
          'any',
          'all',
          'exists',
          'ne',
          'date',
          'city',
          'size',
        ],
  );
  const v = (name) => ({ var: name });
  switch (kind) {
    case 'num': {
      const name = random.pick(Object.keys(NUMBERS));
      const [min, max] = NUMBERS[name];
      const op = random.pick(['$gt', '$gte', '$lt', '$lte']);
      const n = random.int(min, max);
      const jl = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op];
      return { path: name, expr: { [op]: n }, jsonLogic: { [jl]: [v(name), n] } };
    }
    case 'range': {
      const name = random.pick(Object.keys(NUMBERS));
      const [min, max] = NUMBERS[name];
      const a = random.int(min, max);
      const b = random.int(a, max);
      return {
        path: name,
        expr: { $gte: a, $lt: b },
        jsonLogic: { and: [{ '>=': [v(name), a] }, { '<': [v(name), b] }] },
      };
    }
    case 'eq': {
      const name = random.pick(Object.keys(STRINGS));
      const value = random.pick(STRINGS[name]);
      return { path: name, expr: value, jsonLogic: { '===': [v(name), value] } };
    }
    case 'in': {
      const name = random.pick(Object.keys(STRINGS));
      const values = random.sample(STRINGS[name], random.int(2, Math.min(5, STRINGS[name].length)));
      return { path: name, expr: { $in: values }, jsonLogic: { in: [v(name), values] } };
    }
    case 'nin': {
      const name = random.pick(Object.keys(STRINGS));
      const values = random.sample(STRINGS[name], random.int(1, 2));
      return { path: name, expr: { $nin: values }, jsonLogic: { '!': { in: [v(name), values] } } };
    }
    case 'bool': {
      const name = random.pick(BOOLEANS);
      const value = random.chance(0.5);
      return { path: name, expr: value, jsonLogic: { '===': [v(name), value] } };
    }
    case 'any': {
      const name = random.pick(['tags', 'interests']);
      const values = random.sample(name === 'tags' ? TAGS : TOPICS, random.int(1, 4));
      return {
        path: name,
        expr: { $in: values },
        jsonLogic: { some: [v(name), { in: [{ var: '' }, values] }] },
      };
    }
    case 'all': {
      const name = random.pick(['tags', 'interests']);
      const values = random.sample(name === 'tags' ? TAGS : TOPICS, random.int(1, 2));
      return {
        path: name,
        expr: { $all: values },
        jsonLogic: { and: values.map((x) => ({ in: [x, v(name)] })) },
      };
    }
    case 'exists': {
      const value = random.chance(0.5);
      return {
        path: 'coupon',
        expr: { $exists: value },
        jsonLogic: { [value ? '!=' : '==']: [v('coupon'), null] },
      };
    }
    case 'ne': {
      const name = random.pick(Object.keys(STRINGS));
      const value = random.pick(STRINGS[name]);
      return { path: name, expr: { $ne: value }, jsonLogic: { '!==': [v(name), value] } };
    }
    case 'date': {
      const date = `20${random.int(20, 26)}-${String(random.int(1, 12)).padStart(2, '0')}-01`;
      const op = random.pick(['$gte', '$lt']);
      return {
        path: 'signupDate',
        expr: { [op]: date },
        jsonLogic: { [op === '$gte' ? '>=' : '<']: [v('signupDate'), date] },
      };
    }
    case 'city': {
      const values = random.sample(CITIES, random.int(1, 3));
      return { path: 'geo.city', expr: { $in: values }, jsonLogic: { in: [v('geo.city'), values] } };
    }
    case 'size': {
      const n = random.int(0, 4);
      return {
        path: 'tags',
        expr: { $size: n },
        jsonLogic: { '===': [{ reduce: [v('tags'), { '+': [{ var: 'accumulator' }, 1] }, 0] }, n] },
      };
    }
    default: {
      const [path, pattern] = random.pick([
        ['email', '@gmail\\.com$'],
        ['email', '^user[0-9]{1,3}@'],
        ['referrer', '^https://(www\\.)?google\\.'],
        ['email', '\\.vn$'],
        ['referrer', 'facebook|zalo'],
      ]);
      return { path, expr: { $regex: pattern }, jsonLogic: { regex: [v(path), pattern] } };
    }
  }
}

/** One rule of 3–6 conditions, sometimes with two of them grouped under `$or`. */
export function randomRule(random, { regexRate = 0.08 } = {}) {
  const count = random.int(3, 6);
  const conditions = [];
  for (let i = 0; i < count; i++) conditions.push(randomCondition(random, random.chance(regexRate * 6)));
  const tactful = {};
  const jsonLogicParts = [];
  let grouped = 0;
  if (count >= 4 && random.chance(0.4)) {
    const [a, b] = conditions.splice(0, 2);
    tactful.$or = [{ [a.path]: a.expr }, { [b.path]: b.expr }];
    jsonLogicParts.push({ or: [a.jsonLogic, b.jsonLogic] });
    grouped = 2;
  }
  const rest = [];
  for (const c of conditions) {
    if (Object.hasOwn(tactful, c.path)) rest.push({ [c.path]: c.expr });
    else tactful[c.path] = c.expr;
    jsonLogicParts.push(c.jsonLogic);
  }
  if (rest.length > 0) tactful.$and = rest;
  return {
    tactful,
    // GrowthBook reads the same MongoDB-style JSON.
    growthbook: tactful,
    jsonLogic: { and: jsonLogicParts },
    conditions: count,
    grouped,
  };
}

/**
 * The workload: `rules` rules in three forms and `contexts` random contexts, from `seed`.
 * @returns {{ rules: Array<{ tactful: object, growthbook: object, jsonLogic: object, conditions: number }>, contexts: object[] }}
 */
export function generateWorkload({ seed = 20260101, rules = 100, contexts = 10_000, regexRate = 0.08 } = {}) {
  const random = createRandom(seed);
  const ruleList = [];
  for (let i = 0; i < rules; i++) ruleList.push(randomRule(random, { regexRate }));
  const contextList = [];
  for (let i = 0; i < contexts; i++) contextList.push(randomContext(random));
  return { rules: ruleList, contexts: contextList };
}

/**
 * A json-logic `regex` operation (json-logic-js has none): `{ "regex": [value, pattern] }`, with
 * patterns compiled once and cached, as GrowthBook does.
 */
export function jsonLogicRegexOperation() {
  const cache = new Map();
  return (value, pattern) => {
    let re = cache.get(pattern);
    if (re === undefined) {
      re = new RegExp(pattern);
      cache.set(pattern, re);
    }
    return typeof value === 'string' && re.test(value);
  };
}
