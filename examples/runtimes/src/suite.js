// The decision suite every runtime runs: only the packages' public API and the web platform (no
// Node APIs). Bundled once by runtimes.test.ts and run on Node, Chromium, workerd, Deno and Bun.
import { anonymousSession, createSessionStore } from '@tactful/anonymous-session';
import { gpcConsent } from '@tactful/consent';
import { contextual } from '@tactful/contextual';
import { defineConsentProvider, defineDataSource, defineStrategy, plainRegex } from '@tactful/core';
import { defineCatalog, dynamicContent } from '@tactful/dynamic-content';
import { createOrchestrator } from '@tactful/orchestrator';
import { compilePlan } from '@tactful/orchestrator/compile';
import { createCompiledOrchestrator } from '@tactful/orchestrator/compiled';
import { segments } from '@tactful/segments';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

/** A banner's answer: grants the purposes in `granted`, denies the rest. */
const banner = (granted) =>
  defineConsentProvider({
    manifest: { name: 'banner', version: '1.0.0', core: '^0.1.0' },
    resolve: ({ purposes }) => ({
      purposes: Object.fromEntries(
        purposes.map((p) => [p, { status: granted.includes(p) ? 'granted' : 'denied', provider: 'banner' }]),
      ),
    }),
  });

/** A profile source that counts its calls. */
function profiles() {
  const calls = { load: 0 };
  const source = defineDataSource({
    manifest: {
      name: 'profiles',
      version: '1.0.0',
      core: '^0.1.0',
      provides: [{ category: 'profile.attributes' }],
      rights: { export: true, erase: true },
    },
    load: () => {
      calls.load += 1;
      return { 'profile.attributes': { tier: 'gold' } };
    },
    export: async () => ({ 'profile.attributes': { tier: 'gold' } }),
    erase: async () => ({ erased: 1 }),
  });
  return { source, calls };
}

const gold = () =>
  segments({
    segments: [
      {
        name: 'gold',
        description: { en: 'Gold members' },
        condition: { 'profile.attributes.tier': 'gold' },
        proposals: [{ slot: 'home.offer', content: 'gold-offer' }],
      },
    ],
  });

const heroCatalog = () =>
  dynamicContent({
    purposes: ['personalization.contextual'],
    catalog: defineCatalog(
      {
        slots: [
          {
            id: 'home.banner',
            default: { content: 'banner-default' },
            variants: [
              {
                id: 'vi',
                when: { locale: { $regex: '^vi' } },
                content: { $template: 'Xin chào {{ locale }}' },
              },
            ],
          },
        ],
      },
      { regex: plainRegex },
    ),
  });

const mobileRules = () =>
  contextual({
    rules: [
      {
        id: 'mobile-video',
        slot: 'home.hero',
        when: { 'device.class': 'mobile' },
        content: 'short-video',
        reason: { en: 'A short video on your phone.' },
      },
    ],
  });

const slot = (decision, id) => decision.slots.find((s) => s.slot === id);

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const SLOTS = [
  { id: 'home.hero', default: 'hero-default' },
  { id: 'home.offer', default: 'offer-default' },
  { id: 'home.banner', default: 'banner-default' },
];

/** The cases, by name: each throws when the runtime does not behave as promised. */
export const cases = {
  async 'consent gating: nothing granted serves every default and calls no source'() {
    const { source, calls } = profiles();
    const t = engine({
      consent: [banner([])],
      sources: [source],
      strategies: [gold(), mobileRules()],
    });
    const d = await t.decide({ subject: { id: 'p-1' }, context: { userAgent: IPHONE }, slots: SLOTS });
    check(
      d.slots.every((s) => s.isDefault),
      'a slot was personalized without consent',
    );
    check(calls.load === 0, 'the profile source was called without consent');
    check(
      d.dropped.every((p) => p.outcome === 'skipped'),
      'a plugin was not skipped',
    );
  },

  async 'consent gating: a GPC signal denies what the banner granted'() {
    const { source } = profiles();
    const t = engine({
      consent: [banner(['personalization.profile']), gpcConsent()],
      sources: [source],
      strategies: [gold()],
    });
    const granted = await t.decide({ subject: { id: 'p-1' }, slots: SLOTS });
    check(slot(granted, 'home.offer').content === 'gold-offer', 'the granted decision was not personalized');
    const denied = await t.decide({ subject: { id: 'p-1' }, context: { gpc: true }, slots: SLOTS });
    check(slot(denied, 'home.offer').isDefault, 'GPC did not deny the profile purpose');
  },

  async 'projection: a strategy sees only the categories it declared, frozen'() {
    const { source } = profiles();
    const seen = {};
    const peek = (name, reads) =>
      defineStrategy({
        manifest: { name, version: '1.0.0', core: '^0.1.0', purposes: ['personalization.profile'], reads },
        decide: (input) => {
          seen[name] = { keys: Object.keys(input.data), frozen: Object.isFrozen(input.data) };
          return { proposals: [] };
        },
      });
    const t = engine({
      consent: [banner(['personalization.profile'])],
      sources: [source],
      strategies: [
        peek('reader', [{ category: 'profile.attributes', purpose: 'personalization.profile' }]),
        peek('blind', []),
      ],
    });
    await t.decide({ subject: { id: 'p-1' }, slots: SLOTS });
    check(seen.reader?.keys.join() === 'profile.attributes', `reader saw ${seen.reader?.keys}`);
    check(seen.blind?.keys.length === 0, `blind saw ${seen.blind?.keys}`);
    check(seen.reader.frozen && seen.blind.frozen, 'a projection was not frozen');
  },

  async 'deadline: a strategy that hangs is dropped with PLUGIN_TIMEOUT and defaults are served'() {
    const hang = defineStrategy({
      manifest: {
        name: 'hangs',
        version: '1.0.0',
        core: '^0.1.0',
        purposes: ['personalization.contextual'],
        timeoutMs: 30,
      },
      decide: () => new Promise(() => {}),
    });
    const t = engine({ consent: [banner(['personalization.contextual'])], strategies: [hang] });
    const d = await t.decide({ slots: SLOTS });
    const dropped = d.dropped.find((p) => p.plugin === 'hangs');
    check(
      dropped?.code === 'PLUGIN_TIMEOUT' && dropped.outcome === 'failed',
      `dropped: ${JSON.stringify(d.dropped)}`,
    );
    check(
      d.slots.every((s) => s.isDefault),
      'a slot was filled by the hung strategy',
    );
  },

  async 'explanations: each slot says which strategy, purposes and categories chose it'() {
    const { source } = profiles();
    const t = engine({
      consent: [banner(['personalization.profile'])],
      sources: [source],
      strategies: [gold()],
    });
    const d = await t.decide({ subject: { id: 'p-1' }, slots: SLOTS });
    const offer = slot(d, 'home.offer');
    check(offer.strategy === '@tactful/segments', `strategy ${offer.strategy}`);
    check(offer.explanation.purposes.includes('personalization.profile'), 'no purpose in the explanation');
    check(offer.explanation.categories.includes('profile.attributes'), 'no category in the explanation');
    check(offer.explanation.summary.en.length > 0, 'no summary');
    check(slot(d, 'home.hero').explanation.strategy === 'default', 'the default slot is not explained');
  },

  async 'strategies: contextual picks the mobile video from the User-Agent'() {
    const t = engine({
      consent: [banner(['personalization.contextual'])],
      strategies: [mobileRules()],
    });
    const d = await t.decide({ context: { userAgent: IPHONE }, slots: SLOTS });
    check(slot(d, 'home.hero').content === 'short-video', `hero ${JSON.stringify(slot(d, 'home.hero'))}`);
  },

  async 'strategies: segments offers gold members their offer'() {
    const { source } = profiles();
    const t = engine({
      consent: [banner(['personalization.profile'])],
      sources: [source],
      strategies: [gold()],
    });
    const d = await t.decide({ subject: { id: 'p-1' }, slots: SLOTS });
    check(slot(d, 'home.offer').content === 'gold-offer', `offer ${JSON.stringify(slot(d, 'home.offer'))}`);
  },

  async 'strategies: dynamic content renders the Vietnamese variant'() {
    const t = engine({
      consent: [banner(['personalization.contextual'])],
      strategies: [mobileRules(), heroCatalog()],
    });
    const d = await t.decide({ context: { acceptLanguage: 'vi-VN,vi;q=0.9' }, slots: SLOTS });
    const b = slot(d, 'home.banner');
    check(b.variant === 'vi' && String(b.content).startsWith('Xin chào'), `banner ${JSON.stringify(b)}`);
  },

  async 'strategies: anonymous session ranks the categories the visit browsed'() {
    const store = createSessionStore();
    const { id } = store.open(undefined);
    const at = new Date().toISOString();
    store.record(id, { type: 'product_view', target: 'train', topics: ['kids'], at });
    store.record(id, { type: 'add_to_cart', target: 'train', topics: ['kids'], at });
    const t = engine({
      consent: [banner(['personalization.session'])],
      strategies: [
        anonymousSession({ slots: { categories: 'home.categories' }, categories: ['women', 'kids'] }),
      ],
    });
    const d = await t.decide({ session: store.session(id), slots: [{ id: 'home.categories', default: [] }] });
    const c = slot(d, 'home.categories');
    check(c.content?.order?.[0] === 'kids' && !c.isDefault, `categories ${JSON.stringify(c)}`);
  },
};

/**
 * The engines every case runs on: `createOrchestrator`, and the compiled path — the same options
 * checked by `compilePlan`, the plan sent through JSON as a build step writes it, and the page
 * engine started from it with the same plugin instances.
 */
export const ENGINES = {
  '': createOrchestrator,
  'compiled: ': (options) =>
    createCompiledOrchestrator({ ...options, plan: JSON.parse(JSON.stringify(compilePlan(options))) }),
};

let engine = createOrchestrator;

/** The name of every case on every engine, in the order {@link runSuite} reports them. */
export const caseNames = Object.keys(ENGINES).flatMap((prefix) =>
  Object.keys(cases).map((n) => `${prefix}${n}`),
);

/** Runs every case on every engine; never throws. */
export async function runSuite() {
  const results = [];
  for (const [prefix, make] of Object.entries(ENGINES)) {
    engine = make;
    for (const [name, run] of Object.entries(cases)) {
      try {
        await run();
        results.push({ name: `${prefix}${name}`, ok: true });
      } catch (error) {
        results.push({
          name: `${prefix}${name}`,
          ok: false,
          error: error instanceof Error ? `${error.message}` : String(error),
        });
      }
    }
  }
  engine = createOrchestrator;
  return results;
}
