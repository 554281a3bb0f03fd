/**
 * A small shop wired with Tactful: an opt-in consent store, a Global Privacy Control signal, a
 * profile store, and five strategies. Every plugin is written against `@tactful/core` alone.
 */
import {
  compileCondition,
  defineConsentProvider,
  defineDataSource,
  defineStrategy,
  nestCategories,
} from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';

const CORE = '^0.1.0';
const PROFILE = 'personalization.profile';
const CONTEXTUAL = 'personalization.contextual';
const SESSION = 'personalization.session';

/** Opt-in consent records, by subject: what each person agreed to, and when. */
export function createConsentStore() {
  const records = new Map();
  return {
    records,
    grant(subject, purposes) {
      records.set(subject, { id: `consent-${subject}-${records.size + 1}`, purposes: new Set(purposes) });
    },
    /** "Reject all": withdrawing is as easy as agreeing (P6). */
    withdrawAll(subject) {
      records.set(subject, { id: `withdrawal-${subject}`, purposes: new Set(), withdrawn: true });
    },
    provider: defineConsentProvider({
      manifest: { name: 'shop-opt-in', version: '1.0.0', core: CORE },
      resolve: ({ subject, purposes }) => {
        const record = subject ? records.get(subject.id) : undefined;
        const out = {};
        for (const purpose of purposes) {
          if (record?.purposes.has(purpose)) {
            out[purpose] = { status: 'granted', provider: 'shop-opt-in', recordId: record.id };
          } else if (record?.withdrawn) {
            out[purpose] = {
              status: 'denied',
              provider: 'shop-opt-in',
              recordId: record.id,
              reason: 'withdrawn',
            };
          }
        }
        return { purposes: out };
      },
    }),
  };
}

/** Global Privacy Control: denies every purpose when the browser says so, whatever a record says. */
export const gpc = defineConsentProvider({
  manifest: { name: 'gpc', version: '1.0.0', core: CORE, canGrant: false },
  resolve: ({ context, purposes }) => ({
    purposes: context.gpc
      ? Object.fromEntries(purposes.map((p) => [p, { status: 'denied', provider: 'gpc', reason: 'gpc' }]))
      : {},
  }),
});

/** What the shop holds about its customers. */
export const customers = {
  u_1024: {
    'profile.preferences': {
      interests: ['kids', 'books'],
      notInterested: ['wine'],
      answers: { budget: 'mid' },
    },
    'profile.attributes': { firstName: 'Lan', tier: 'gold' },
    'behavior.purchases': [
      { at: '2025-11-02T10:00:00Z', amount: 42, topics: ['wine'] },
      { at: '2025-12-12T10:00:00Z', amount: 18, topics: ['books'] },
      { at: '2026-01-03T10:00:00Z', amount: 65, topics: ['wine'] },
      { at: '2026-01-10T10:00:00Z', amount: 30, topics: ['kids'] },
    ],
  },
};

export function createProfileStore() {
  const calls = [];
  const source = defineDataSource({
    manifest: {
      name: 'shop-profiles',
      version: '1.0.0',
      core: CORE,
      provides: [
        { category: 'profile.preferences', retentionDays: 730 },
        { category: 'profile.attributes', retentionDays: 730 },
        { category: 'behavior.purchases', retentionDays: 365 },
      ],
      rights: { export: true, erase: true },
    },
    load: ({ subject, categories }) => {
      calls.push({ subject: subject?.id, categories: [...categories] });
      const held = subject ? customers[subject.id] : undefined;
      return held ? Object.fromEntries(categories.map((c) => [c, structuredClone(held[c])])) : {};
    },
    export: async (subject) => structuredClone(customers[subject.id] ?? {}),
    erase: async (subject) => {
      const had = subject.id in customers;
      delete customers[subject.id];
      return { erased: had ? 1 : 0 };
    },
  });
  return { source, calls };
}

/** Zero-party data first (P4): what the person told us, and what they said no to. */
const preferences = defineStrategy({
  manifest: {
    name: 'preferences',
    version: '1.0.0',
    core: CORE,
    purposes: [PROFILE],
    reads: [{ category: 'profile.preferences', purpose: PROFILE }],
  },
  decide: ({ data }) => {
    const prefs = data['profile.preferences'];
    if (!prefs) return { proposals: [] };
    const topic = prefs.interests[0];
    return {
      proposals: topic
        ? [
            {
              slot: 'home.hero',
              content: { title: `New in ${topic}: picked for you` },
              variant: `interest-${topic}`,
              topics: [topic],
              signals: [`interest:${topic}`],
              reason: {
                en: `You told us you are interested in ${topic}.`,
                vi: `Bạn đã cho chúng tôi biết bạn quan tâm đến ${topic}.`,
              },
            },
          ]
        : [],
      vetoes: prefs.notInterested.map((t) => ({ topic: t })),
    };
  },
});

const rules = [
  { name: 'loyal', when: { 'behavior.purchases.2': { $exists: true } } }, // 3 orders or more
  { name: 'wine-lover', when: { 'behavior.purchases.topics': 'wine' } },
  { name: 'gold', when: { 'profile.attributes.tier': 'gold' } },
].map((r) => ({ ...r, test: compileCondition(r.when) }));

/** Segments from observed behaviour, published for the content strategy. */
const segments = defineStrategy({
  manifest: {
    name: 'segments',
    version: '1.0.0',
    core: CORE,
    purposes: [PROFILE],
    reads: [
      { category: 'behavior.purchases', purpose: PROFILE },
      { category: 'profile.attributes', purpose: PROFILE },
    ],
    signals: { publishes: [{ name: 'segments.memberships' }] },
  },
  decide: ({ data }) => {
    const facts = nestCategories(data);
    return {
      proposals: [],
      signals: { 'segments.memberships': rules.filter((r) => r.test(facts)).map((r) => r.name) },
    };
  },
});

/** Offers per segment: the wine offer is inferred, so a declared "not interested in wine" removes it. */
const offers = defineStrategy({
  manifest: {
    name: 'offers',
    version: '1.0.0',
    core: CORE,
    purposes: [PROFILE],
    signals: { reads: ['segments.memberships'] },
    priority: 10,
  },
  decide: ({ signals }) => {
    const members = signals['segments.memberships'] ?? [];
    const proposals = [];
    if (members.includes('wine-lover')) {
      proposals.push({
        slot: 'home.banner',
        content: { banner: '20% off red wine this weekend' },
        variant: 'wine-20',
        score: 0.9,
        topics: ['wine'],
        signals: ['wine-lover'],
        reason: { en: 'You bought wine before.', vi: 'Bạn đã từng mua rượu vang.' },
      });
    }
    if (members.includes('loyal')) {
      proposals.push({
        slot: 'home.banner',
        content: { banner: 'Thank you: free delivery on your next order' },
        variant: 'loyal-delivery',
        score: 0.7,
        signals: ['loyal'],
        reason: {
          en: 'You are a loyal customer (3 orders or more).',
          vi: 'Bạn là khách hàng trung thành (từ 3 đơn hàng trở lên).',
        },
      });
    }
    return { proposals };
  },
});

/** The moment, without knowing who you are. */
const moment = defineStrategy({
  manifest: {
    name: 'moment',
    version: '1.0.0',
    core: CORE,
    purposes: [CONTEXTUAL],
    reads: [{ category: 'context.time', purpose: CONTEXTUAL }],
    priority: -10,
  },
  decide: ({ now }) => {
    const hour = (new Date(now).getUTCHours() + 7) % 24; // the shop's time zone, UTC+7
    const evening = hour >= 18 || hour < 5;
    return {
      proposals: [
        {
          slot: 'home.banner',
          content: { banner: evening ? 'Evening deals until midnight' : 'Fresh morning arrivals' },
          variant: evening ? 'evening' : 'morning',
          signals: [evening ? 'evening' : 'morning'],
          reason: {
            en: `It is ${evening ? 'evening' : 'morning'} where the shop is.`,
            vi: `Bây giờ đang là buổi ${evening ? 'tối' : 'sáng'} tại cửa hàng.`,
          },
        },
      ],
    };
  },
});

/** Anonymous, this visit only (P7): what was looked at in the last minutes. */
const sessionInterests = defineStrategy({
  manifest: {
    name: 'session-interests',
    version: '1.0.0',
    core: CORE,
    purposes: [SESSION],
    reads: [{ category: 'session.events', purpose: SESSION }],
  },
  decide: ({ data }) => {
    const counts = {};
    for (const e of data['session.events'] ?? [])
      for (const t of e.topics ?? []) counts[t] = (counts[t] ?? 0) + 1;
    const top = Object.keys(counts).sort((a, b) => counts[b] - counts[a] || a.localeCompare(b))[0];
    if (!top) return { proposals: [] };
    return {
      proposals: [
        {
          slot: 'home.recs',
          content: { shelf: `More ${top}` },
          variant: `recs-${top}`,
          topics: [top],
          signals: [`viewed:${top}`],
          reason: {
            en: `You looked at ${top} during this visit.`,
            vi: `Bạn đã xem ${top} trong phiên truy cập này.`,
          },
        },
      ],
    };
  },
});

/** The whole shop: consent store, profile store and a running orchestrator. */
export function createShop() {
  const consent = createConsentStore();
  const profiles = createProfileStore();
  const tactful = createOrchestrator({
    consent: [consent.provider, gpc],
    sources: [profiles.source],
    strategies: [preferences, segments, offers, moment, sessionInterests],
    merge: 'priority',
  });
  return { tactful, consent, profiles };
}

/** The page both visitors ask for. */
export const pageRequest = {
  subject: { id: 'u_1024' },
  context: {
    now: '2026-01-15T12:30:00Z',
    timeZone: 'Asia/Ho_Chi_Minh',
    locale: 'vi-VN',
    url: 'https://shop.example/',
  },
  session: {
    id: 'sess_7f3a9c21d4e8b6a0',
    events: [
      { type: 'product_view', at: '2026-01-15T12:25:00Z', target: 'lego-city', topics: ['toys', 'kids'] },
      { type: 'product_view', at: '2026-01-15T12:27:00Z', target: 'puzzle-500', topics: ['toys'] },
    ],
  },
  slots: [
    { id: 'home.hero', default: { title: 'Welcome to the shop' } },
    { id: 'home.banner', default: { banner: 'Free returns within 30 days' } },
    { id: 'home.recs', default: { shelf: 'Bestsellers' } },
  ],
};
