import { type StrategyInput, isTactfulError, TactfulError } from '@tactful/core';
import { callContext, strategyInput } from '@tactful/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapingCatalog, profileCatalog } from '../test/catalogs.js';
import { shopCatalog } from '../test/shop-catalog.js';
import { compileCatalog, PREBUILT_CATALOG_FORMAT, prebuiltStamp } from './compile.js';
import { defineCatalog, dynamicContent as compiledDynamicContent } from './index.js';
import { dynamicContent, loadCatalog } from './prebuilt.js';

/** Through JSON, as a page gets it. */
const shipped = (catalog: Parameters<typeof compileCatalog>[0]) =>
  JSON.parse(JSON.stringify(compileCatalog(catalog)));

const catalogs = { shop: shopCatalog, profile: profileCatalog, escaping: escapingCatalog };

const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '<script>alert(1)</script>',
    'javascript:alert(1)',
    ' JaVa\tscript:x',
    '/relative/path?x=1',
    'https://shop.example/a b?c="d"&e=<f>',
    'mailto:a@b.example',
    '',
    '"\' onmouseover=x',
    'data:text/html,x',
    '\u0000\u0007ctl',
  ),
);
const inputs = fc.record({
  slots: fc.subarray([
    'home.hero',
    'home.rail',
    'email.block',
    'home.offer',
    'page.card',
    'page.split',
    'none',
  ]),
  city: fc.option(hostile, { nil: undefined }),
  link: fc.option(hostile, { nil: undefined }),
  page: fc.option(fc.oneof(hostile, fc.integer()), { nil: undefined }),
  kids: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  segments: fc.subarray(['loyal', 'mail', 'other']),
  holidays: fc.option(fc.constantFrom('tet', 'none'), { nil: undefined }),
  tier: fc.option(fc.constantFrom('gold', 'silver', 'bronze', '<b>x</b>'), { nil: undefined }),
  purchases: fc.option(fc.array(fc.constant({ at: '2026-01-01T00:00:00Z' }), { maxLength: 2 }), {
    nil: undefined,
  }),
  latitude: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  granted: fc.subarray([
    'personalization.contextual',
    'personalization.profile',
    'personalization.precise-location',
    'measurement',
  ]),
  locale: fc.option(fc.constantFrom('vi', 'en', 'vi-VN', 'fr'), { nil: undefined }),
  session: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
  subject: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
  now: fc.constantFrom('2026-02-15T00:00:00+07:00', '2026-03-15T00:00:00Z', '2026-05-01T00:00:00Z'),
});

type InputCase = typeof inputs extends fc.Arbitrary<infer T> ? T : never;

function toInput(v: InputCase): StrategyInput {
  const context: Record<string, unknown> = {};
  if (v.city !== undefined) context['city'] = v.city;
  if (v.link !== undefined) context['link'] = v.link;
  if (v.page !== undefined) context['page'] = v.page;
  if (v.holidays !== undefined) context['holidays'] = v.holidays;
  const data: Record<string, unknown> = {};
  if (v.tier !== undefined) data['profile.attributes'] = { tier: v.tier };
  if (v.purchases !== undefined) data['behavior.purchases'] = v.purchases;
  if (v.latitude !== undefined) data['location.precise'] = { latitude: v.latitude };
  if (v.session !== undefined) data['session.id'] = v.session;
  if (v.subject !== undefined) data['subject.id'] = v.subject;
  return strategyInput({
    slots: v.slots,
    signals: {
      'contextual.context': context,
      'segments.memberships': v.segments,
      ...(v.kids === undefined ? {} : { 'session.interests': { kids: v.kids } }),
    },
    data,
    granted: v.granted,
    now: v.now,
    ...(v.locale === undefined ? {} : { locale: v.locale }),
  });
}

describe('prebuilt catalogs: the same strategy as today, without the parser in the page', () => {
  for (const [name, make] of Object.entries(catalogs)) {
    for (const fallback of ['none', 'default'] as const) {
      it(`${name} (fallback ${fallback}): same manifest, proposals, content and explanations for any facts`, async () => {
        const today = compiledDynamicContent({ catalog: make(), fallback });
        const prebuilt = dynamicContent({ catalog: shipped(make()), fallback });
        expect(prebuilt.manifest).toEqual(today.manifest);
        expect(prebuilt.catalog.namespaces).toEqual(today.catalog.namespaces);
        expect(prebuilt.catalog.categories).toEqual(today.catalog.categories);
        expect(prebuilt.catalog.localized).toBe(today.catalog.localized);
        await fc.assert(
          fc.asyncProperty(inputs, async (v) => {
            const input = toInput(v);
            const a = await today.decide(input, callContext());
            const b = await prebuilt.decide(input, callContext());
            expect(b).toEqual(a);
            for (const slot of v.slots)
              expect(prebuilt.catalog.defaultContent(slot, v.locale)).toEqual(
                today.catalog.defaultContent(slot, v.locale),
              );
          }),
          { numRuns: 150 },
        );
      });
    }
  }

  it('renders the hostile values of the escaping catalog escaped for where they sit', async () => {
    const strategy = dynamicContent({ catalog: shipped(escapingCatalog()) });
    const out = await strategy.decide(
      strategyInput({
        slots: ['page.card'],
        signals: { 'contextual.context': { city: '<b>"x"</b>', link: 'javascript:alert(1)', page: 'a&b' } },
        granted: ['personalization.contextual'],
      }),
      callContext(),
    );
    const content = out.proposals[0]?.content as Record<string, string>;
    expect(content['html']).toBe(
      '<a href="about:invalid#tactful-unsafe-url" title="&lt;b&gt;&quot;x&quot;&lt;/b&gt;">&lt;b&gt;&quot;x&quot;&lt;/b&gt;</a> <a href="/s?q=%3Cb%3E%22x%22%3C%2Fb%3E&amp;p=a%26b">x</a>',
    );
    expect(content['url']).toBe('about:invalid#tactful-unsafe-url');
    // Static text is kept as written; a value's control characters would be removed.
    expect(content['text']).toBe('Hi <b>"x"</b>\u0007!');
    expect(content['fixed']).toBe('<b>static</b>');
  });

  it('compileCatalog refuses what defineCatalog refuses, with the same error and issues', () => {
    const bad = {
      slots: [
        {
          id: 'x',
          default: { content: { $template: '<script>{{ a }}</script>', as: 'html' } },
          variants: [{ id: 'v', when: { 'data.health.x': true }, content: 1 }],
        },
      ],
    };
    const caught = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error;
      }
      throw new Error('expected a refusal');
    };
    const a = caught(() => defineCatalog(bad as never)) as TactfulError;
    const b = caught(() => compileCatalog(bad)) as TactfulError;
    expect(isTactfulError(b)).toBe(true);
    expect([b.code, b.message, b.issues]).toEqual([a.code, a.message, a.issues]);
  });

  it('writes plain JSON stamped with its format', () => {
    const prebuilt = compileCatalog(shopCatalog());
    expect(prebuilt.format).toBe(PREBUILT_CATALOG_FORMAT);
    expect(JSON.parse(JSON.stringify(prebuilt))).toEqual(prebuilt);
    expect(prebuilt.stamp).toBe(prebuiltStamp(prebuilt.body));
  });
});

describe('the page refuses a prebuilt catalog that is not one, naming the field', () => {
  const refusal = (catalog: unknown) => {
    try {
      loadCatalog(catalog);
    } catch (error) {
      if (!isTactfulError(error)) throw error;
      return { code: error.code, path: error.path };
    }
    throw new Error('expected a refusal');
  };
  /** An edit of the body, re-stamped (a forged catalog): the shape check must still catch it. */
  // biome-ignore lint/suspicious/noExplicitAny: the test edits the JSON by hand, as a forger would
  const forged = (edit: (body: any) => void) => {
    const c = shipped(escapingCatalog());
    edit(c.body);
    c.stamp = prebuiltStamp(c.body);
    return c;
  };

  it('refuses another format, a missing body and an edit after the build', () => {
    expect(refusal(null)).toEqual({ code: 'INVALID_CONFIG', path: ['catalog'] });
    expect(refusal(escapingCatalog())).toEqual({ code: 'INVALID_CONFIG', path: ['catalog', 'format'] });
    expect(refusal({ format: PREBUILT_CATALOG_FORMAT })).toEqual({
      code: 'INVALID_CONFIG',
      path: ['catalog', 'body'],
    });
    const edited = shipped(escapingCatalog());
    edited.body.slots[0].variants[0].purpose = undefined;
    edited.body.slots[0].variants[0].when = {};
    expect(refusal(edited)).toEqual({ code: 'INVALID_CONFIG', path: ['catalog', 'stamp'] });
  });

  it('refuses a forged body whose shape is wrong, naming the field', () => {
    const card = ['catalog', 'body', 'slots', 0];
    const html = [...card, 'variants', 0, 'content', 'templates', 0];
    expect(refusal(forged((b) => (b.slots[0].variants[0].content.templates[0].parts[0][2] = 0)))).toEqual({
      code: 'INVALID_CONFIG',
      path: [...html, 'parts', 0, 2],
    });
    expect(refusal(forged((b) => (b.slots[0].variants[0].content.templates[0].context = 'raw')))).toEqual({
      code: 'INVALID_CONFIG',
      path: [...html, 'context'],
    });
    expect(refusal(forged((b) => b.slots[0].variants[0].content.templates[0].texts.pop()))).toEqual({
      code: 'INVALID_CONFIG',
      path: [...html, 'texts'],
    });
    expect(
      refusal(forged((b) => (b.slots[0].variants[0].content.templates[0].parts[0][0] = ['__proto__']))),
    ).toEqual({ code: 'INVALID_CONFIG', path: [...html, 'parts', 0, 0, 0] });
    expect(refusal(forged((b) => (b.slots[0].variants[0].content.value.html = { $template: 99 })))).toEqual({
      code: 'INVALID_CONFIG',
      path: [...card, 'variants', 0, 'content', 'value', 'html', '$template'],
    });
    expect(refusal(forged((b) => (b.slots[0].format = 'script')))).toEqual({
      code: 'INVALID_CONFIG',
      path: [...card, 'format'],
    });
    expect(refusal(forged((b) => (b.slots[0].variants[1].priority = 'high')))).toEqual({
      code: 'INVALID_CONFIG',
      path: [...card, 'variants', 1, 'priority'],
    });
    expect(refusal(forged((b) => (b.slots[0].variants[0].paths = ['window.location'])))).toEqual({
      code: 'INVALID_CONFIG',
      path: [...card, 'variants', 0, 'paths', 0],
    });
    expect(refusal(forged((b) => (b.slots[1].experiment.bucketBy = 'cookie')))).toEqual({
      code: 'INVALID_CONFIG',
      path: ['catalog', 'body', 'slots', 1, 'experiment', 'bucketBy'],
    });
    expect(refusal(forged((b) => (b.slots[1].id = b.slots[0].id)))).toEqual({
      code: 'INVALID_CONFIG',
      path: ['catalog', 'body', 'slots', 1, 'id'],
    });
    expect(refusal(forged((b) => (b.slots = [])))).toEqual({
      code: 'INVALID_CONFIG',
      path: ['catalog', 'body', 'slots'],
    });
    expect(
      refusal(forged((b) => (b.slots[0].variants[0].when = { 'context.city': { $nope: 1 } }))),
    ).toMatchObject({
      code: 'INVALID_CONDITION',
    });
  });

  it('what the page loaded does not change when the JSON it came from is edited afterwards', () => {
    const json = shipped(escapingCatalog());
    const loaded = loadCatalog(json);
    const values = { context: { city: '<i>', link: 'javascript:x' } };
    const card = loaded.slots.get('page.card')?.variants[0];
    const before = card?.content.render(values);
    const template = json.body.slots[0].variants[0].content.templates[0];
    template.parts[0][2] = 0;
    template.parts[0][0][0] = 'locale';
    template.texts[0] = '<script>';
    json.body.slots[0].variants[0].paths.push('data.x');
    expect(card?.content.render(values)).toEqual(before);
    expect(card?.paths).not.toContain('data.x');
  });

  it('dynamicContent from the prebuilt entry refuses bad options and unknown purposes as today', () => {
    const catalog = shipped(shopCatalog());
    expect(() => dynamicContent({ catalog, priority: 5000 })).toThrow(TactfulError);
    expect(() => dynamicContent({ catalog, purposes: ['no.such-purpose'] })).toThrow(/unknown purpose/);
  });
});
