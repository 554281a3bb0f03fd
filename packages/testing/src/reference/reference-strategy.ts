import {
  defineStrategy,
  parseOrThrow,
  PluginNameSchema,
  SlotRequestSchema,
  type StrategyOutput,
} from '@tactful/core';
import { z } from 'zod';

const PreferencesSchema = z.object({
  interests: z.array(z.string()),
  notInterested: z.array(z.string()),
  answers: z.record(z.string(), z.unknown()).optional(),
});

/** One piece of content the reference strategy can choose: for a slot, about a topic. */
export const ReferenceVariantSchema = z.object({
  slot: SlotRequestSchema.shape.id,
  variant: z.string().min(1).max(128),
  topic: z.string().min(1).max(64),
  content: z.json(),
});

const DEFAULT_CATALOG: z.input<typeof ReferenceVariantSchema>[] = [
  {
    slot: 'home.hero',
    variant: 'hero-kids',
    topic: 'kids',
    content: { headline: { en: 'New toys for little explorers', vi: 'Đồ chơi mới cho bé khám phá' } },
  },
  {
    slot: 'home.hero',
    variant: 'hero-coffee',
    topic: 'coffee',
    content: { headline: { en: 'Fresh roasts this week', vi: 'Cà phê mới rang trong tuần' } },
  },
  {
    slot: 'home.hero',
    variant: 'hero-books',
    topic: 'books',
    content: { headline: { en: 'Stories for every evening', vi: 'Sách hay cho mỗi buổi tối' } },
  },
  {
    slot: 'email.header',
    variant: 'email-kids',
    topic: 'kids',
    content: { subject: { en: 'Picked for your family', vi: 'Gợi ý cho gia đình bạn' } },
  },
];

/** Options of {@link referenceStrategy}. */
export const ReferenceStrategyOptionsSchema = z.object({
  /** The plugin name (default `tactful-reference-strategy`). */
  name: z._default(PluginNameSchema, 'tactful-reference-strategy'),
  /** What it can propose; the default catalog fills `home.hero` and `email.header`. */
  catalog: z.array(ReferenceVariantSchema).min(1).default(DEFAULT_CATALOG),
});
/** Options of {@link referenceStrategy}, as written. */
export type ReferenceStrategyOptions = z.input<typeof ReferenceStrategyOptionsSchema>;

/**
 * The in-memory reference strategy: proposes, for each requested slot, the catalog variant about
 * the topic a person declared first among their interests (zero-party data, P4), never one about a
 * topic they declared "not interested" (those become vetoes). Reads `profile.preferences` only,
 * publishes `reference.matched-topics`, honours its abort signal, and passes the strategy suite.
 *
 * @example
 * ```ts
 * const strategy = referenceStrategy({
 *   catalog: [{ slot: 'home.hero', variant: 'kids', topic: 'kids', content: { headline: 'Toys' } }],
 * });
 * ```
 */
export function referenceStrategy(options: ReferenceStrategyOptions = {}) {
  const { name, catalog } = parseOrThrow(ReferenceStrategyOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'tactful-reference-strategy',
  });
  return defineStrategy({
    manifest: {
      name,
      version: '0.1.0',
      core: '^0.1.0',
      description: {
        en: 'Content matching the interests you told us',
        vi: 'Nội dung theo sở thích bạn chủ động chia sẻ',
      },
      purposes: ['personalization.profile'],
      reads: [
        {
          category: 'profile.preferences',
          purpose: 'personalization.profile',
          why: {
            en: 'To show content about the topics you said interest you',
            vi: 'Để hiển thị nội dung về những chủ đề bạn cho biết là quan tâm',
          },
        },
      ],
      signals: { publishes: [{ name: 'reference.matched-topics' }], reads: [] },
    },
    decide(input, { signal }): StrategyOutput {
      signal.throwIfAborted();
      const prefs = PreferencesSchema.safeParse(input.data['profile.preferences']);
      if (!prefs.success) return { proposals: [], signals: { 'reference.matched-topics': [] } };
      const refused = new Set(prefs.data.notInterested);
      const interests = prefs.data.interests.filter((t) => !refused.has(t));
      const proposals: StrategyOutput['proposals'] = [];
      const matched = new Set<string>();
      for (const { id } of input.slots) {
        let best: { rank: number; variant: (typeof catalog)[number] } | undefined;
        for (const variant of catalog) {
          if (variant.slot !== id) continue;
          const rank = interests.indexOf(variant.topic);
          if (rank >= 0 && (best === undefined || rank < best.rank)) best = { rank, variant };
        }
        if (!best) continue;
        const { topic } = best.variant;
        matched.add(topic);
        proposals.push({
          slot: id,
          content: structuredClone(best.variant.content),
          variant: best.variant.variant,
          score: 1 - best.rank / interests.length,
          origin: 'declared',
          topics: [topic],
          reason: {
            en: `Because you told us you are interested in "${topic}".`,
            vi: `Vì bạn đã cho biết bạn quan tâm đến "${topic}".`,
          },
          signals: [`interest:${topic}`],
          categories: ['profile.preferences'],
        });
      }
      return {
        proposals,
        signals: { 'reference.matched-topics': [...matched].sort() },
        vetoes: [...refused].sort().map((topic) => ({
          topic,
          reason: { en: 'You told us you are not interested', vi: 'Bạn đã cho biết bạn không quan tâm' },
        })),
      };
    },
  });
}
