import type { TactfulConfigInput } from '@tactful/config';

/**
 * Travel offers: offers by season, holiday, weather and the visitor's country (contextual),
 * frequent travellers (segments over bookings kept as purchases), and the destinations the
 * visitor is looking at in this session (anonymous session).
 */
export const travelTemplate: TactfulConfigInput = {
  controller: { name: 'Travel XYZ', contact: 'privacy@travel.example' },
  rightsUrl: 'https://travel.example/privacy',
  jurisdictions: ['VN', 'EU', 'US-CA'],
  storage: { driver: 'sqlite', directory: '.tactful-data' },
  strategies: {
    contextual: {
      defaultTimeZone: 'Asia/Ho_Chi_Minh',
      rules: [
        {
          id: 'summer-beach',
          slot: 'home.offer',
          when: { season: 'summer' },
          content: { offer: 'beach-escapes', href: '/offers/beach' },
          reason: { en: 'It is summer.', vi: 'Đang là mùa hè.' },
        },
        {
          id: 'tet-home',
          slot: 'home.offer',
          priority: 10,
          when: { holidays: 'tet' },
          content: { offer: 'tet-trips-home', href: '/offers/tet' },
          reason: { en: 'Tết is coming.', vi: 'Tết sắp đến.' },
        },
        {
          id: 'weekend-city-break',
          slot: 'home.banner',
          when: { weekend: true },
          content: { banner: 'city-breaks' },
          reason: { en: 'It is the weekend.', vi: 'Đang là cuối tuần.' },
        },
      ],
    },
    segments: {
      segments: [
        {
          name: 'frequent-traveller',
          description: {
            en: 'Travellers with 4 or more bookings in the last year',
            vi: 'Khách đặt từ 4 chuyến trở lên trong năm qua',
          },
          condition: { 'stats.purchases.withinDays.d365': { $gte: 4 } },
        },
      ],
    },
    dynamicContent: [
      {
        catalog: {
          version: 1,
          slots: [
            {
              id: 'home.hero',
              default: {
                content: { title: 'Where to next?', href: '/destinations' },
                locales: { vi: { title: 'Bạn muốn đi đâu tiếp theo?', href: '/destinations' } },
              },
              variants: [
                {
                  id: 'lounge',
                  when: { segments: 'frequent-traveller' },
                  priority: 20,
                  content: { title: 'Free lounge access on your next trip', href: '/member' },
                  locales: { vi: { title: 'Miễn phí phòng chờ cho chuyến tiếp theo', href: '/member' } },
                },
                {
                  id: 'da-nang',
                  when: { 'interests.da-nang': { $gte: 0.5 } },
                  priority: 10,
                  topics: ['da-nang'],
                  content: { title: 'Đà Nẵng: 3 nights from 2,990,000 ₫', href: '/da-nang' },
                },
              ],
            },
          ],
        },
        fallback: 'default',
      },
    ],
    anonymousSession: {
      categories: ['da-nang', 'hoi-an', 'phu-quoc', 'sa-pa', 'ha-long'],
      slots: { categories: 'home.destinations' },
    },
  },
  audit: { enabled: true, sampling: 1, retentionDays: 365 },
};
