// Variant selection for 3 slots x 8 variants per decision, over the BUILT package.
// Run: pnpm build && pnpm bench   (from packages/dynamic-content)
import { performance } from 'node:perf_hooks';
import { callContext, strategyInput } from '@tactful/testing';
import { compileCatalog } from '../dist/compile.js';
import { compileTemplate, defineCatalog, dynamicContent } from '../dist/index.js';
import { dynamicContent as prebuiltDynamicContent } from '../dist/prebuilt.js';

function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(20260601);
const pick = (list) => list[Math.floor(random() * list.length)];

const segments = ['new', 'loyal', 'vip', 'lapsed', 'bargain', 'parents', 'gamers', 'readers'];
const topics = ['kids', 'toys', 'garden', 'books', 'tech', 'fashion', 'home', 'sport'];
const dayparts = ['morning', 'afternoon', 'evening', 'night'];
const devices = ['mobile', 'tablet', 'desktop'];

function variants(slot) {
  const out = [];
  for (let i = 0; i < 7; i++) {
    const kind = i % 4;
    const when =
      kind === 0
        ? { segments: { $in: [segments[i], segments[(i + 3) % 8]] } }
        : kind === 1
          ? { [`interests.${topics[i]}`]: { $gte: 0.4 }, 'context.device.class': { $ne: 'tv' } }
          : kind === 2
            ? {
                $or: [
                  { 'context.daypart': dayparts[i % 4] },
                  { 'context.weekend': true, segments: segments[i] },
                ],
              }
            : { 'context.device.class': devices[i % 3], 'context.season': { $in: ['summer', 'winter'] } };
    out.push({
      id: `${slot}-v${i}`,
      when,
      priority: 7 - i,
      content: { title: { $template: `Picked for you ${i}{{ context.city ?? "" }}` }, href: `/c/${i}` },
      locales: { vi: { title: { $template: `Dành cho bạn ${i}{{ context.city ?? "" }}` }, href: `/c/${i}` } },
    });
  }
  out.push({ id: `${slot}-always`, priority: -1, content: { title: 'For everyone', href: '/' } });
  return out;
}
const catalog = defineCatalog({
  slots: [
    { id: 'home.hero', default: { content: { title: 'New' } }, variants: variants('hero') },
    { id: 'home.rail', default: { content: { title: 'Popular' } }, variants: variants('rail') },
    {
      id: 'home.banner',
      default: { content: { title: 'Sale' } },
      experiment: { id: 'banner', version: 3 },
      variants: variants('banner').map((v, i) => ({ ...v, priority: 0, weight: i + 1 })),
    },
  ],
});
const strategy = dynamicContent({ catalog });
const prebuilt = prebuiltDynamicContent({ catalog: JSON.parse(JSON.stringify(compileCatalog(catalog))) });
const slots = ['home.hero', 'home.rail', 'home.banner'];

const inputs = Array.from({ length: 2000 }, (_, n) => {
  const interests = {};
  for (const t of topics) if (random() < 0.3) interests[t] = Math.round(random() * 1000) / 1000;
  return strategyInput({
    slots,
    signals: {
      'segments.memberships': segments.filter(() => random() < 0.25),
      'session.interests': interests,
      'contextual.context': {
        daypart: pick(dayparts),
        weekend: random() < 0.3,
        season: pick(['spring', 'summer', 'autumn', 'winter']),
        device: { class: pick(devices) },
        ...(random() < 0.5 ? { city: ', Huế' } : {}),
      },
    },
    data: { 'session.id': `bench-session-${n.toString().padStart(8, '0')}` },
    granted: ['personalization.contextual'],
    ...(random() < 0.5 ? { locale: 'vi' } : {}),
  });
});

const ctx = callContext();
function round(fn, iterations) {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return (performance.now() - start) / iterations;
}
function measure(label, fn, iterations) {
  for (let i = 0; i < 3; i++) round(fn, iterations); // warm-up
  const rounds = Array.from({ length: 9 }, () => round(fn, iterations)).sort((a, b) => a - b);
  const median = rounds[4];
  console.log(
    `${label}: ${(median * 1000).toFixed(2)} µs/op, ${Math.round(1000 / median).toLocaleString('en-US')} ops/s (median of 9 rounds x ${iterations})`,
  );
  return median;
}

let proposals = 0;
for (const input of inputs) proposals += strategy.decide(input, ctx).proposals.length;
console.log(
  `@tactful/dynamic-content bench — 3 slots x 8 variants, ${inputs.length} distinct inputs, ${(proposals / inputs.length).toFixed(2)} proposals/decision`,
);
measure(
  'variant selection (3 slots x 8 variants, conditions + split + locale + templates) per decision',
  (i) => strategy.decide(inputs[i % inputs.length], ctx),
  20_000,
);
measure(
  'the same on the prebuilt catalog (@tactful/dynamic-content/prebuilt) per decision',
  (i) => prebuilt.decide(inputs[i % inputs.length], ctx),
  20_000,
);

const email = compileTemplate(
  '<table><tr><td><h1>Hi {{ recipient.firstName ?? "there" }}</h1><p><a href="{{ slots.hero.href }}">{{ slots.hero.title }}</a></p><p><a href="{{ common.unsubscribe }}">Unsubscribe</a></p></td></tr></table>',
  'email-html',
);
const values = {
  recipient: { firstName: 'Lan <3' },
  slots: { hero: { title: 'Spring picks & more', href: 'https://shop.example/spring' } },
  common: { unsubscribe: 'https://shop.example/u?x=1' },
};
measure('email-html template render (5 placeholders, escaped)', () => email.render(values), 100_000);
