import type { Tactful } from '@tactful/config';
import type { Decision, DecisionRequestInput } from '@tactful/core';
import {
  type ConsentSnapshot,
  Slot,
  TactfulProvider,
  WhyAmISeeingThis,
  requestKey,
  useDecision,
} from '@tactful/react';
import {
  type InitialDecision,
  createPageCache,
  decideForPage,
  initialDecisionScript,
} from '@tactful/react/server';
import fc from 'fast-check';
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GARDEN_HERO, HERO_DEFAULT, PROFILE, gardener, grantedOf, shop } from '@tactful/test-fixtures';

function Page(props: {
  initial: InitialDecision | undefined;
  consent: ConsentSnapshot;
  subject?: string;
  request?: DecisionRequestInput extends infer R ? Omit<R, 'slots'> : never;
}) {
  const request = props.request ?? (props.subject === undefined ? {} : { subject: { id: props.subject } });
  return (
    <TactfulProvider
      decider={{ decide: () => Promise.reject(new Error('the server render never decides')) }}
      consent={props.consent}
      request={request}
      {...(props.initial === undefined ? {} : { initial: props.initial })}
    >
      <Slot id="home.hero" default={HERO_DEFAULT}>
        {(hero) => <h1>{hero.title}</h1>}
      </Slot>
      <WhyAmISeeingThis slot="home.hero" locale="vi" />
    </TactfulProvider>
  );
}

let tactful: Tactful;
beforeAll(async () => {
  tactful = await shop();
  await gardener(tactful, 'alice'); // declared gardening, granted the profile purpose
  await gardener(tactful, 'bob', false); // declared gardening, granted nothing
});
afterAll(() => tactful.close());

function renderFor(subject: string) {
  return (initial: InitialDecision | undefined, consent: ConsentSnapshot) =>
    renderToString(<Page initial={initial} consent={consent} subject={subject} />);
}

const SLOTS = [{ id: 'home.hero', default: HERO_DEFAULT }];

describe('server-side rendering', () => {
  it('renders the decided content on the first render, with its explanation in Vietnamese', async () => {
    const consent = await grantedOf(tactful, 'alice');
    const initial = await decideForPage({
      decider: tactful.engine,
      consent,
      request: { subject: { id: 'alice' } },
      slots: SLOTS,
    });
    const html = renderToString(<Page initial={initial} consent={consent} subject="alice" />);
    expect(html).toContain(GARDEN_HERO.title);
    expect(html).toContain('data-tactful-default="false"');
    expect(html).toContain('Tại sao tôi thấy nội dung này?');
    expect(html).not.toContain(HERO_DEFAULT.title);
  });

  it('renders the default when the initial decision was made for another consent (no flash of it)', async () => {
    const granted = await grantedOf(tactful, 'alice');
    const initial = await decideForPage({
      decider: tactful.engine,
      consent: granted,
      request: { subject: { id: 'alice' } },
      slots: SLOTS,
    });
    const html = renderToString(<Page initial={initial} consent={{ granted: [] }} subject="alice" />);
    expect(html).toContain(HERO_DEFAULT.title);
    expect(html).not.toContain(GARDEN_HERO.title);
    expect(html).toContain('data-tactful-status="loading"');
  });

  it('escapes the initial decision so content cannot close its script tag', () => {
    const script = initialDecisionScript({
      key: 'k',
      decision: { slots: [{ content: '</script><script>alert(1)</script>' }] } as unknown as Decision,
    });
    expect(script.match(/<\/script>/g)).toHaveLength(1);
    expect(JSON.parse(script.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, ''))).toMatchObject({
      decision: { slots: [{ content: '</script><script>alert(1)</script>' }] },
    });
  });
});

describe('the consent-aware page cache', () => {
  it('renders two people behind the same cache: each gets only their own page, and a withdrawal changes the key', async () => {
    const cache = createPageCache({ ttlMs: 60_000 });
    const visit = (subject: string) =>
      cache.render({
        page: '/',
        decider: tactful.engine,
        consent: () => grantedOf(tactful, subject),
        request: { subject: { id: subject } },
        slots: SLOTS,
        render: renderFor(subject),
      });

    const alice1 = await visit('alice');
    expect(alice1).toMatchObject({ hit: false, personalized: true });
    expect(alice1.html).toContain(GARDEN_HERO.title);
    expect(alice1.headers['cache-control']).toBe('private, no-store');

    // Bob asks for the same page right after: Alice's page is in the cache, he never gets it.
    const bob1 = await visit('bob');
    expect(bob1.hit).toBe(false);
    expect(bob1.personalized).toBe(false);
    expect(bob1.html).toContain(HERO_DEFAULT.title);
    expect(bob1.html).not.toContain(GARDEN_HERO.title);
    expect(bob1.key).not.toBe(alice1.key);

    // Each is served their own page from the cache the second time.
    const alice2 = await visit('alice');
    const bob2 = await visit('bob');
    expect(alice2).toMatchObject({ hit: true, html: alice1.html });
    expect(bob2).toMatchObject({ hit: true, html: bob1.html });

    // Alice withdraws: the very next request has another key and is not personalized.
    await tactful.consent.withdraw({ subject: 'alice', purpose: PROFILE });
    const alice3 = await visit('alice');
    expect(alice3.hit).toBe(false);
    expect(alice3.key).not.toBe(alice1.key);
    expect(alice3.html).not.toContain(GARDEN_HERO.title);
    // Bob grants: his page is personalized now, under a new key.
    await gardener(tactful, 'bob');
    const bob3 = await visit('bob');
    expect(bob3).toMatchObject({ hit: false, personalized: true });
    expect(bob3.html).toContain(GARDEN_HERO.title);
    // Alice grants again (a fresh consent record) and gets hers back.
    await gardener(tactful, 'alice');
  });

  it('never stores a personalized page for a request with no person, nor a failed or over-consented decision', async () => {
    const cache = createPageCache();
    const personalized = (purposesUsed: string[]): Decision =>
      ({
        traceId: 't',
        decidedAt: new Date().toISOString(),
        slots: [
          {
            slot: 'home.hero',
            content: GARDEN_HERO,
            strategy: 'x',
            isDefault: false,
            explanation: {
              strategy: 'x',
              summary: { en: 'because' },
              signals: [],
              purposes: [PROFILE],
              categories: [],
            },
          },
        ],
        purposesUsed,
        categoriesUsed: [],
        dropped: [],
        consent: { purposes: {} },
      }) as Decision;
    const render = (initial: InitialDecision | undefined, consent: ConsentSnapshot) =>
      renderToString(<Page initial={initial} consent={consent} />);
    const base = { page: '/', slots: SLOTS, render };
    // Anonymous and personalized: rendered, not stored.
    const anon = await cache.render({
      ...base,
      decider: { decide: async () => personalized([PROFILE]) },
      consent: { granted: [PROFILE] },
    });
    expect(anon.personalized).toBe(true);
    expect(cache.size).toBe(0);
    // The decision relied on a purpose the key's consent does not grant: not stored.
    await cache.render({
      ...base,
      request: { subject: { id: 'carol' } },
      decider: { decide: async () => personalized([PROFILE, 'personalization.session']) },
      consent: { granted: [PROFILE] },
    });
    expect(cache.size).toBe(0);
    // A decider that fails: the default page, not stored.
    const failed = await cache.render({
      ...base,
      request: { subject: { id: 'carol' } },
      decider: { decide: async () => Promise.reject(new Error('down')) },
      consent: { granted: [PROFILE] },
    });
    expect(failed.html).toContain(HERO_DEFAULT.title);
    expect(cache.size).toBe(0);
  });

  it('for every sequence of visits by several people whose consent changes, each page served equals a fresh render for that person and consent', async () => {
    // A decider whose answer depends on who asks and what they granted.
    const decider = {
      async decide(request: DecisionRequestInput): Promise<Decision> {
        const who = request.subject?.id ?? 'nobody';
        const granted = request.context?.attributes?.granted === 'yes';
        return {
          traceId: 'trace-id-1',
          decidedAt: '2026-01-01T00:00:00.000Z',
          slots: [
            {
              slot: 'home.hero',
              content: granted ? { title: `for ${who}` } : HERO_DEFAULT,
              strategy: granted ? 'x' : 'default',
              isDefault: !granted,
              explanation: {
                strategy: granted ? 'x' : 'default',
                summary: { en: granted ? `chosen for ${who}` : 'default' },
                signals: [],
                purposes: granted ? [PROFILE] : [],
                categories: [],
              },
            },
          ],
          purposesUsed: granted ? [PROFILE] : [],
          categoriesUsed: [],
          dropped: [],
          consent: { purposes: {} },
        };
      },
    };
    const people = ['p1', 'p2', 'p3', undefined] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ who: fc.constantFrom(...people), granted: fc.boolean() }), {
          minLength: 1,
          maxLength: 25,
        }),
        async (visits) => {
          const cache = createPageCache({ maxEntries: 3 });
          for (const { who, granted } of visits) {
            const consent = { granted: granted ? [PROFILE] : [] };
            const request = {
              ...(who === undefined ? {} : { subject: { id: who } }),
              context: { attributes: { granted: granted ? 'yes' : 'no' } },
            };
            const render = (initial: InitialDecision | undefined, c: ConsentSnapshot) =>
              renderToString(<Page initial={initial} consent={c} request={request} />);
            const served = await cache.render({ page: '/', decider, consent, request, slots: SLOTS, render });
            const fresh = render(await decideForPage({ decider, consent, request, slots: SLOTS }), consent);
            expect(served.html).toBe(fresh);
            // The page shows what was decided for this person, never someone else's.
            if (granted) expect(served.html).toContain(`for ${who ?? 'nobody'}`);
            else expect(served.html).toContain(HERO_DEFAULT.title);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('forgets every page of a person', async () => {
    const cache = createPageCache();
    const consent = await grantedOf(tactful, 'alice');
    await cache.render({
      page: '/',
      decider: tactful.engine,
      consent,
      request: { subject: { id: 'alice' } },
      slots: SLOTS,
      render: renderFor('alice'),
    });
    expect(cache.size).toBe(1);
    expect(cache.forget('alice')).toBe(1);
    expect(cache.size).toBe(0);
  });
});

describe('decideForPage with a hostile decider', () => {
  it.each([
    ['null', null],
    ['a string', 'decision'],
    ['slots that are not a list', { slots: {} }],
    ['a slot that is null', { slots: [null] }],
  ])('renders the defaults when the decider answers %s', async (_name, answer) => {
    const cache = createPageCache();
    const page = await cache.render({
      page: '/',
      decider: { decide: async () => answer as never },
      consent: { granted: [PROFILE] },
      request: { subject: { id: 'dave' } },
      slots: SLOTS,
      render: (initial, consent) =>
        renderToString(<Page initial={initial} consent={consent} subject="dave" />),
    });
    expect(page.html).toContain(HERO_DEFAULT.title);
    expect(page.personalized).toBe(false);
    expect(cache.size).toBe(0);
  });
});

function State(props: { consent: ConsentSnapshot; initial: InitialDecision }) {
  return (
    <TactfulProvider
      decider={{ decide: () => Promise.reject(new Error('unused')) }}
      consent={props.consent}
      initial={props.initial}
    >
      <Probe />
    </TactfulProvider>
  );
}
function Probe() {
  const s = useDecision('home.hero', HERO_DEFAULT);
  return (
    <pre>
      {JSON.stringify({
        status: s.status,
        isDefault: s.isDefault,
        withheld: s.withheld,
        degraded: s.degraded,
        title: s.content?.title,
      })}
    </pre>
  );
}
describe('useDecision', () => {
  const decision = (over: Partial<Decision>, slot: Partial<Decision['slots'][number]> = {}): Decision =>
    ({
      traceId: 't',
      decidedAt: '2026-01-01T00:00:00.000Z',
      slots: [
        {
          slot: 'home.hero',
          content: GARDEN_HERO,
          strategy: 'x',
          isDefault: false,
          variant: 'garden',
          explanation: {
            strategy: 'x',
            summary: { en: 'because' },
            signals: [],
            purposes: [PROFILE],
            categories: [],
          },
          ...slot,
        },
      ],
      purposesUsed: [PROFILE],
      categoriesUsed: [],
      dropped: [],
      consent: { purposes: {} },
      ...over,
    }) as Decision;
  const render = (consent: ConsentSnapshot, d: Decision) =>
    JSON.parse(
      renderToString(<State consent={consent} initial={{ decision: d, key: requestKey(consent, {}) }} />)
        .replace(/^<pre>/, '')
        .replace(/<\/pre>$/, '')
        .replace(/&quot;/g, '"'),
    );

  it('is ready and personalized when permitted; withheld (the default) when the consent does not cover its purposes', () => {
    expect(render({ granted: [PROFILE] }, decision({}))).toEqual({
      status: 'ready',
      isDefault: false,
      withheld: false,
      degraded: false,
      title: GARDEN_HERO.title,
    });
    expect(render({ granted: ['personalization.session'] }, decision({}))).toEqual({
      status: 'ready',
      isDefault: true,
      withheld: true,
      degraded: false,
      title: HERO_DEFAULT.title,
    });
  });

  it('is degraded, with the default, when a plugin failed or the server could not read consent', () => {
    const failed = decision(
      {
        dropped: [
          { plugin: 'p', kind: 'strategy', outcome: 'failed', code: 'PLUGIN_TIMEOUT', reason: 'slow' },
        ],
      },
      { isDefault: true, content: HERO_DEFAULT, strategy: 'default' },
    );
    expect(render({ granted: [PROFILE] }, failed)).toMatchObject({
      status: 'degraded',
      isDefault: true,
      degraded: true,
      title: HERO_DEFAULT.title,
    });
    const unreadable = {
      ...decision({}, { isDefault: true, content: HERO_DEFAULT, strategy: 'default' }),
      degraded: { reason: 'consent-unavailable' },
    } as Decision;
    expect(render({ granted: [PROFILE] }, unreadable)).toMatchObject({ status: 'degraded', degraded: true });
  });

  it('throws a clear INVALID_OPTIONS error outside a provider', () => {
    expect(() => renderToString(<Probe />)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringMatching(/no <TactfulProvider>/),
      }),
    );
  });
});
