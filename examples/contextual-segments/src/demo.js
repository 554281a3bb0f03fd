import { createConsentManager, memoryConsentStore, optInConsent } from '@tactful/consent';
import { contextual, weatherSource } from '@tactful/contextual';
import { createOrchestrator } from '@tactful/orchestrator';
import { builtins, segments } from '@tactful/segments';
import { memorySubjectStore, subjectSource } from '@tactful/subject';
import { startWeatherStub } from './weather-stub.js';

const DAY = 86_400_000;
const NOTICE = { version: '2026-11', hash: 'sha256-demo-notice-2026-11' };
const SLOTS = [
  { id: 'home.hero', default: { title: 'Welcome to the shop' } },
  { id: 'home.offer', default: { title: 'Free delivery over 500,000 VND' } },
];

/** The contextual rules of the page: the moment decides the hero. */
const rules = [
  {
    id: 'rain-gear',
    slot: 'home.hero',
    priority: 10,
    when: { 'weather.raining': true },
    content: { title: 'Rain jackets and umbrellas', image: 'rain-gear.jpg' },
    reason: { en: 'It is raining where you are.', vi: 'Trời đang mưa ở nơi bạn ở.' },
  },
  {
    id: 'evening-mobile-video',
    slot: 'home.hero',
    when: { daypart: 'evening', 'device.class': 'mobile' },
    content: { title: 'Our new collection in 30 seconds', video: 'short.mp4' },
    reason: {
      en: 'A short video for your evening on the phone.',
      vi: 'Một video ngắn cho buổi tối trên điện thoại.',
    },
  },
  {
    id: 'sunny-morning-desktop',
    slot: 'home.hero',
    when: { daypart: 'morning', 'weather.condition': 'clear', 'device.class': 'desktop' },
    content: { title: 'Sunny morning: the winter lookbook', article: 'lookbook' },
    reason: {
      en: 'A sunny morning, and time to browse on a big screen.',
      vi: 'Một buổi sáng nắng đẹp, thời gian để xem trên màn hình lớn.',
    },
  },
];

/** The segments of the shop: who the offer is for. */
const shopSegments = [
  builtins.loyalCustomer(
    { purchases: 3, withinDays: 365 },
    { proposals: [{ slot: 'home.offer', content: { title: 'Thank you: 15% off your next order' } }] },
  ),
  builtins.newCustomer(
    { withinDays: 30 },
    {
      proposals: [
        { slot: 'home.offer', content: { title: 'Welcome back: free delivery on your second order' } },
      ],
    },
  ),
  builtins.newVisitor(),
];

/** The visitors: raw request headers as the trusted edge proxy forwards them, and their history. */
const visitors = [
  {
    id: 'visitor-hanoi',
    label: 'rainy evening, phone, Hanoi, loyal customer',
    now: '2026-11-29T12:30:00Z',
    headers: {
      'user-agent':
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      'accept-language': 'vi-VN,vi;q=0.9,en;q=0.6',
      'cf-ipcountry': 'VN',
      'cf-region': 'Hanoi',
      'cf-ipcity': 'Hà Nội',
      'cf-timezone': 'Asia/Ho_Chi_Minh',
    },
    purchases: [300, 120, 45, 10],
  },
  {
    id: 'visitor-berlin',
    label: 'sunny morning, desktop, Berlin, new customer',
    now: '2026-11-29T08:30:00Z',
    headers: {
      'user-agent':
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
      'accept-language': 'de-DE,de;q=0.9,en;q=0.7',
      'cf-ipcountry': 'DE',
      'cf-region': 'BE',
      'cf-ipcity': 'Berlin',
      'cf-timezone': 'Europe/Berlin',
    },
    purchases: [5],
  },
];

/**
 * Runs the example: starts the weather stub, records consent and purchase history, then decides
 * the home page for each visitor. Returns the decisions; `log` receives a printable summary.
 */
export async function runDemo({ log = () => {} } = {}) {
  const weather = await startWeatherStub();
  try {
    const consentStore = memoryConsentStore();
    const consent = createConsentManager({ store: consentStore });
    const subjects = memorySubjectStore();
    const strategy = contextual({
      rules,
      // Our edge proxy connects from 127.0.0.1 in this example; location headers from anyone else are ignored.
      trustedProxy: { preset: 'cloudflare', addresses: ['127.0.0.1/32'] },
    });
    const orchestrator = createOrchestrator({
      consent: [optInConsent({ store: consentStore })],
      sources: [weatherSource({ baseUrl: weather.url, timeoutMs: 1000 }), subjectSource({ store: subjects })],
      strategies: [strategy, segments({ segments: shopSegments })],
      // Generous deadlines: the example must also run on a busy laptop or CI machine.
      timeouts: { consentMs: 1000, sourceMs: 1500, strategyMs: 1000, decisionMs: 4000 },
    });

    const results = [];
    for (const visitor of visitors) {
      const now = Date.parse(visitor.now);
      await consent.grant({
        subject: visitor.id,
        purposes: ['personalization.contextual', 'personalization.profile'],
        method: 'banner',
        notice: NOTICE,
      });
      await subjects.recordEvents(
        visitor.id,
        visitor.purchases.map((days, i) => ({
          category: 'behavior.purchases',
          data: {
            at: new Date(now - days * DAY).toISOString(),
            orderId: `${visitor.id}-order-${i}`,
            amount: 250_000,
            currency: 'VND',
          },
        })),
      );
      const context = strategy.contextFromHeaders(visitor.headers, { remoteAddress: '127.0.0.1' });
      const decision = await orchestrator.decide({
        subject: { id: visitor.id },
        context: { ...context, now: visitor.now },
        slots: SLOTS,
      });
      results.push({ visitor: visitor.id, label: visitor.label, decision });
      log(`\n${visitor.label}`);
      for (const d of decision.dropped) log(`  dropped ${d.plugin} (${d.outcome}, ${d.code}): ${d.reason}`);
      for (const slot of decision.slots) {
        log(
          `  ${slot.slot.padEnd(11)} ${slot.isDefault ? '(default)' : slot.strategy}: ${JSON.stringify(slot.content)}`,
        );
        log(`    why: ${slot.explanation.summary.en}`);
        log(`    vì sao: ${slot.explanation.summary.vi ?? slot.explanation.summary.en}`);
        log(
          `    signals: ${slot.explanation.signals.join(', ') || '-'}; categories: ${slot.explanation.categories.join(', ') || '-'}`,
        );
      }
    }
    return { results, weatherRequests: [...weather.requests] };
  } finally {
    await weather.close();
  }
}
