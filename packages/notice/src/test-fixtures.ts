import {
  type ConsentProvider,
  type DataSource,
  type Strategy,
  defineConsentProvider,
  defineDataSource,
  defineStrategy,
} from '@tactful/core';

/** Plugins of a small shop configuration, used by this package's tests. */
export function shopPlugins(): { strategies: Strategy[]; sources: DataSource[]; consent: ConsentProvider[] } {
  const contextual = defineStrategy({
    manifest: {
      name: 'contextual',
      version: '1.0.0',
      core: '>=0.1.0',
      description: { en: 'adapts content to the moment', vi: 'điều chỉnh nội dung theo thời điểm' },
      purposes: ['personalization.contextual'],
      reads: [
        { category: 'context.time', purpose: 'personalization.contextual' },
        { category: 'context.device', purpose: 'personalization.contextual' },
        {
          category: 'context.weather',
          purpose: 'personalization.contextual',
          why: { en: 'To suggest umbrellas when it rains.', vi: 'Để gợi ý ô khi trời mưa.' },
        },
      ],
    },
    decide: () => ({ proposals: [] }),
  });
  const segments = defineStrategy({
    manifest: {
      name: 'segments',
      version: '1.0.0',
      core: '>=0.1.0',
      purposes: ['personalization.profile'],
      reads: [
        {
          category: 'profile.preferences',
          purpose: 'personalization.profile',
          why: { en: 'To show what you said you like.', vi: 'Để hiển thị những gì bạn nói rằng bạn thích.' },
        },
        {
          category: 'behavior.purchases',
          purpose: 'personalization.profile',
          why: {
            en: 'To tell new customers from loyal ones.',
            vi: 'Để phân biệt khách hàng mới và khách hàng trung thành.',
          },
        },
      ],
      signals: { publishes: [{ name: 'segments.memberships' }] },
    },
    decide: () => ({ proposals: [] }),
  });
  const session = defineStrategy({
    manifest: {
      name: 'anonymous-session',
      version: '1.0.0',
      core: '>=0.1.0',
      purposes: ['personalization.session'],
      reads: [{ category: 'session.events', purpose: 'personalization.session' }],
    },
    decide: () => ({ proposals: [] }),
  });
  const profile = defineDataSource({
    manifest: {
      name: 'profile-store',
      version: '1.0.0',
      core: '>=0.1.0',
      provides: [
        { category: 'profile.preferences', retentionDays: 730 },
        { category: 'behavior.purchases', retentionDays: 365 },
      ],
      rights: { export: true, erase: true, rectify: true },
    },
    load: () => ({}),
    export: async () => ({}),
    erase: async () => ({ erased: 0 }),
    rectify: async () => {},
  });
  const weather = defineDataSource({
    manifest: {
      name: 'weather',
      version: '1.0.0',
      core: '>=0.1.0',
      requiresSubject: false,
      provides: [{ category: 'context.weather' }],
    },
    load: () => ({}),
  });
  const optIn = defineConsentProvider({
    manifest: {
      name: 'opt-in',
      version: '1.0.0',
      core: '>=0.1.0',
      description: {
        en: 'the choices you make in our consent banner',
        vi: 'lựa chọn của bạn trên banner đồng ý',
      },
    },
    resolve: () => ({ purposes: {} }),
  });
  const gpc = defineConsentProvider({
    manifest: { name: 'gpc', version: '1.0.0', core: '>=0.1.0', canGrant: false },
    resolve: () => ({ purposes: {} }),
  });
  return { strategies: [contextual, segments, session], sources: [profile, weather], consent: [optIn, gpc] };
}

/** The controller used by the tests. */
export const CONTROLLER = {
  name: 'Shop ABC',
  contact: 'privacy@shop.example',
  address: '1 Lê Lợi, Quận 1, TP. Hồ Chí Minh',
};
