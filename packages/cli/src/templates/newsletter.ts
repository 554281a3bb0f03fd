import type { TactfulConfigInput } from '@tactful/config';

/**
 * A weekly newsletter: one email template whose blocks change with the reader's declared
 * interests and segment (email channel, `marketing.email` consent), with no tracking of the
 * reader's session and no contextual rules.
 */
export const newsletterTemplate: TactfulConfigInput = {
  controller: { name: 'Shop ABC', contact: 'privacy@shop.example' },
  rightsUrl: 'https://shop.example/privacy',
  jurisdictions: ['VN', 'EU'],
  storage: { driver: 'sqlite', directory: '.tactful-data' },
  strategies: {
    segments: {
      segments: [
        {
          name: 'runner',
          description: {
            en: 'Readers who told us they like running',
            vi: 'Người đọc cho biết họ thích chạy bộ',
          },
          condition: { 'profile.preferences.interests': 'running' },
        },
        {
          name: 'lapsed-customer',
          description: {
            en: 'Customers who have not bought anything for 90 days',
            vi: 'Khách hàng chưa mua hàng trong 90 ngày',
          },
          condition: { 'stats.purchases.daysSinceLast': { $gt: 90 } },
        },
      ],
    },
    dynamicContent: [
      {
        name: 'newsletter',
        channel: 'email',
        catalog: {
          version: 1,
          slots: [
            {
              id: 'email.hero',
              default: {
                content: { title: 'This week at Shop ABC', href: 'https://shop.example/new' },
                locales: { vi: { title: 'Tuần này tại Shop ABC', href: 'https://shop.example/new' } },
              },
              variants: [
                {
                  id: 'running',
                  when: { segments: 'runner' },
                  priority: 10,
                  content: { title: 'New trail shoes are in', href: 'https://shop.example/running' },
                  locales: {
                    vi: { title: 'Giày chạy địa hình mới về', href: 'https://shop.example/running' },
                  },
                },
              ],
            },
            {
              id: 'email.offer',
              default: { content: { offer: 'none' } },
              variants: [
                {
                  id: 'come-back',
                  when: { segments: 'lapsed-customer' },
                  content: { offer: 'come-back-10', text: '10% off your next order' },
                  locales: { vi: { offer: 'come-back-10', text: 'Giảm 10% cho đơn hàng tiếp theo' } },
                },
              ],
            },
          ],
        },
        fallback: 'default',
      },
    ],
  },
  audit: { enabled: true, sampling: 0.1, retentionDays: 90 },
};
