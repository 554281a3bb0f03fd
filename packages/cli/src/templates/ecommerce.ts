import type { TactfulConfigInput } from '@tactful/config';

/**
 * The e-commerce home page: an evening banner for phones and a Tết banner (contextual), new and
 * loyal customers (segments over purchase history), a hero that changes with segment and the
 * session's interests (dynamic content), and the categories the visitor is browsing first
 * (anonymous session, no identity).
 */
export const ecommerceTemplate: TactfulConfigInput = {
  controller: { name: 'Shop ABC', contact: 'privacy@shop.example' },
  rightsUrl: 'https://shop.example/privacy',
  jurisdictions: ['VN'],
  storage: { driver: 'sqlite', directory: '.tactful-data' },
  strategies: {
    contextual: {
      defaultTimeZone: 'Asia/Ho_Chi_Minh',
      supportedLocales: ['vi-VN', 'en-US'],
      rules: [
        {
          id: 'evening-mobile',
          slot: 'home.banner',
          when: { daypart: 'evening', 'device.class': 'mobile' },
          content: { banner: 'evening-deals', layout: 'compact' },
          reason: {
            en: 'It is evening and you are on a phone.',
            vi: 'Buổi tối và bạn đang dùng điện thoại.',
          },
        },
        {
          id: 'tet',
          slot: 'home.banner',
          priority: 10,
          when: { holidays: 'tet' },
          content: { banner: 'tet-sale' },
          reason: { en: 'It is Tết.', vi: 'Đang dịp Tết.' },
        },
      ],
    },
    segments: {
      segments: [
        {
          name: 'new-customer',
          description: {
            en: 'Customers whose first purchase was in the last 30 days',
            vi: 'Khách hàng mới mua lần đầu trong 30 ngày qua',
          },
          condition: { 'stats.purchases.daysSinceFirst': { $lte: 30 } },
        },
        {
          name: 'loyal-customer',
          description: {
            en: 'Customers with 3 or more purchases in the last year',
            vi: 'Khách hàng trung thành: từ 3 lần mua trong năm qua',
          },
          condition: { 'stats.purchases.withinDays.d365': { $gte: 3 } },
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
                content: { title: 'New this week', href: '/new' },
                locales: { vi: { title: 'Hàng mới tuần này', href: '/new' } },
              },
              variants: [
                {
                  id: 'loyal',
                  when: { segments: 'loyal-customer' },
                  priority: 20,
                  content: { title: 'Thank you: early access to the sale', href: '/sale' },
                  locales: { vi: { title: 'Cảm ơn bạn: mua sớm đợt giảm giá', href: '/sale' } },
                },
                {
                  id: 'welcome-back',
                  when: { segments: 'new-customer' },
                  priority: 10,
                  content: { title: 'Complete your first look', href: '/bestsellers' },
                  locales: { vi: { title: 'Hoàn thiện phong cách của bạn', href: '/bestsellers' } },
                },
                {
                  id: 'kids',
                  when: { 'interests.kids': { $gte: 0.5 } },
                  priority: 5,
                  topics: ['kids'],
                  content: { title: 'For little explorers', href: '/kids' },
                  locales: { vi: { title: 'Dành cho bé khám phá', href: '/kids' } },
                },
              ],
            },
          ],
        },
        fallback: 'default',
      },
    ],
    anonymousSession: {
      categories: ['women', 'men', 'kids', 'home', 'sale'],
      slots: { categories: 'home.categories' },
    },
  },
  audit: { enabled: true, sampling: 1, retentionDays: 180 },
};
