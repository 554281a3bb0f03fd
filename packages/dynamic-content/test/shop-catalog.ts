import { defineCatalog } from '../src/catalog.js';

/** A shop's catalog used across the tests: hero (conditions + locales), rail (split), email blocks. */
export const shopCatalog = () =>
  defineCatalog({
    slots: [
      {
        id: 'home.hero',
        default: {
          content: { title: 'New this week', href: '/new' },
          locales: { vi: { title: 'Hàng mới tuần này', href: '/new' } },
        },
        variants: [
          {
            id: 'kids',
            when: { 'interests.kids': { $gte: 0.5 } },
            priority: 10,
            topics: ['kids'],
            content: { title: 'For little explorers', href: '/kids' },
            locales: { vi: { title: 'Dành cho bé khám phá', href: '/kids' } },
          },
          {
            id: 'loyal',
            when: { segments: 'loyal' },
            priority: 5,
            content: { title: { $template: 'Welcome back{{ context.city ?? "" }}!' }, href: '/members' },
          },
          {
            id: 'tet',
            when: { 'context.holidays': 'tet' },
            schedule: { start: '2026-02-10T00:00:00+07:00', end: '2026-02-20T00:00:00+07:00' },
            priority: 20,
            content: { title: 'Chúc mừng năm mới', href: '/tet' },
          },
        ],
      },
      {
        id: 'home.rail',
        format: 'html',
        default: { content: { heading: 'Popular' } },
        experiment: { id: 'rail-test', version: 1 },
        variants: [
          { id: 'a', weight: 50, content: { heading: 'Popular now' } },
          { id: 'b', weight: 30, content: { heading: 'Trending' } },
          { id: 'c', weight: 20, content: { heading: 'Picked for today' } },
        ],
      },
      {
        id: 'email.block',
        default: { content: { headline: 'Our news' } },
        experiment: { bucketBy: 'subject' },
        variants: [
          { id: 'x', weight: 1, content: { headline: 'Spring picks' } },
          { id: 'y', weight: 1, content: { headline: 'Fresh arrivals' } },
        ],
      },
    ],
  });
