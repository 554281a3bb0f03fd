// A Cloudflare Worker (module syntax) that personalizes a page's hero and banner at the edge: from
// the request's headers (User-Agent, Accept-Language, Sec-GPC) and the consent cookie the site's
// banner writes. Web platform only: no Node APIs, no `nodejs_compat`.
import { gpcConsent } from '@tactful/consent';
import { contextFromHeaders, contextual } from '@tactful/contextual';
import { defineConsentProvider, plainRegex } from '@tactful/core';
import { defineCatalog, dynamicContent } from '@tactful/dynamic-content';
import { createOrchestrator } from '@tactful/orchestrator';

/** The purposes the site's banner may grant; the cookie holds the ones the visitor ticked. */
const BANNER_PURPOSES = ['personalization.contextual'];
const COOKIE = 'tactful_consent';

/**
 * The purposes granted by the consent cookie (`tactful_consent=personalization.contextual`), as a
 * space-separated list. Anything unknown, malformed or oversized grants nothing (P1).
 */
export function purposesFromCookie(header) {
  if (typeof header !== 'string' || header.length > 4096) return [];
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== COOKIE) continue;
    let value;
    try {
      value = decodeURIComponent(rest.join('='));
    } catch {
      return [];
    }
    return value.split(/[ ,]+/).filter((p) => BANNER_PURPOSES.includes(p));
  }
  return [];
}

/** The banner's answer, carried in the request context by the Worker (never by the page's body). */
const cookieConsent = defineConsentProvider({
  manifest: { name: 'cookie-consent', version: '1.0.0', core: '^0.1.0' },
  resolve: ({ context, purposes }) => {
    const granted = String(context.attributes?.['consent.purposes'] ?? '').split(' ');
    return {
      purposes: Object.fromEntries(
        purposes.map((p) => [
          p,
          granted.includes(p)
            ? { status: 'granted', provider: 'cookie-consent' }
            : { status: 'denied', provider: 'cookie-consent', reason: 'no consent in the cookie' },
        ]),
      ),
    };
  },
});

const tactful = createOrchestrator({
  consent: [cookieConsent, gpcConsent()],
  strategies: [
    contextual({
      rules: [
        {
          id: 'mobile-video',
          slot: 'home.hero',
          when: { 'device.class': 'mobile' },
          content: { title: 'Our new collection in 30 seconds', video: 'short.mp4' },
          reason: { en: 'A short video for your phone.', vi: 'Một video ngắn cho điện thoại của bạn.' },
        },
      ],
    }),
    dynamicContent({
      purposes: ['personalization.contextual'],
      catalog: defineCatalog(
        {
          slots: [
            {
              id: 'home.banner',
              default: { content: 'Free delivery over 500,000 VND' },
              variants: [
                {
                  id: 'vi',
                  when: { locale: { $regex: '^vi' } },
                  content: 'Miễn phí giao hàng cho đơn từ 500.000 ₫',
                },
              ],
            },
          ],
        },
        { regex: plainRegex },
      ),
    }),
  ],
});

const SLOTS = [
  { id: 'home.hero', default: { title: 'Welcome to the shop' } },
  { id: 'home.banner', default: 'Free delivery over 500,000 VND' },
];

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== '/decide') return new Response('not found', { status: 404 });
    const context = contextFromHeaders(request.headers);
    const purposes = purposesFromCookie(request.headers.get('cookie'));
    const decision = await tactful.decide({
      context: { ...context, attributes: { 'consent.purposes': purposes.join(' ') } },
      slots: SLOTS,
    });
    return Response.json(
      Object.fromEntries(
        decision.slots.map((s) => [
          s.slot,
          { content: s.content, isDefault: s.isDefault, why: s.explanation.summary },
        ]),
      ),
      {
        headers: {
          'cache-control': 'private, no-store',
          vary: 'cookie, user-agent, accept-language, sec-gpc',
        },
      },
    );
  },
};
