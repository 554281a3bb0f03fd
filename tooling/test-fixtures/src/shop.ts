// A small shop for the tests: a segment of declared gardeners, a catalog whose hero has a variant
// for them (and a banner with only a default), memory stores. Consent is granted through the
// assembly's consent manager, as the server's consent route does.
import { type Tactful, TactfulConfigSchema, createTactful } from '@tactful/config';
import { noticeReference } from '@tactful/notice';

export const PROFILE = 'personalization.profile';
export const CONTEXTUAL = 'personalization.contextual';
export const HERO_DEFAULT = { title: 'Welcome to the shop' };
export const GARDEN_HERO = { title: 'New seeds for your garden' };

export const SHOP_CONFIG = {
  controller: { name: 'Shop ABC', contact: 'privacy@shop.example' },
  storage: { driver: 'memory' },
  audit: { enabled: false },
  strategies: {
    segments: {
      segments: [
        {
          name: 'gardener',
          description: { en: 'People who said they like gardening', vi: 'Người thích làm vườn' },
          condition: { 'profile.preferences.interests': 'garden' },
        },
      ],
    },
    dynamicContent: [
      {
        catalog: {
          slots: [
            {
              id: 'home.hero',
              default: { content: HERO_DEFAULT },
              variants: [{ id: 'garden', when: { segments: 'gardener' }, content: GARDEN_HERO }],
            },
            { id: 'home.banner', default: { content: { banner: 'none' } } },
          ],
        },
      },
    ],
  },
};

/** The shop, assembled with memory stores; `patch` replaces top-level sections (e.g. `server`). */
export async function shop(patch: Record<string, unknown> = {}): Promise<Tactful> {
  return createTactful(TactfulConfigSchema.parse({ ...SHOP_CONFIG, ...patch }), {
    memory: true,
    secret: 's'.repeat(40),
  });
}

/** Records a person's declared interests and their grants of the profile and contextual purposes. */
export async function gardener(tactful: Tactful, subject: string, grant = true): Promise<void> {
  await tactful.subjects.declarePreferences(subject, { interests: ['garden'] });
  if (grant) {
    for (const purpose of [PROFILE, CONTEXTUAL]) {
      await tactful.consent.grant({
        subject,
        purpose,
        method: 'banner',
        notice: noticeReference(tactful.notice, purpose),
      });
    }
  }
}

/** The purposes granted to a person now, from the consent store (the source of truth). */
export async function grantedOf(tactful: Tactful, subject: string): Promise<{ granted: string[] }> {
  const state = await tactful.consent.state(subject);
  return {
    granted: Object.entries(state.purposes)
      .filter(([, p]) => p.status === 'granted')
      .map(([purpose]) => purpose),
  };
}
