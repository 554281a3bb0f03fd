import {
  PluginNameSchema,
  type Strategy,
  TaxonomyIdSchema,
  TopicLabelsSchema,
  defineStrategy,
  notInterestedSentence,
  parseOrThrow,
} from '@tactful/core';
import { z } from 'zod';
import { version } from '../package.json';

/** Options of {@link notInterested}. */
export const NotInterestedOptionsSchema = z.strictObject({
  /** The plugin name. Default `tactful-not-interested`. */
  name: z.optional(PluginNameSchema),
  /** The purpose under which the declared preferences are read. Default `personalization.profile`. */
  purpose: z.optional(TaxonomyIdSchema),
  /** What people call each topic (`{ "rain": { "en": "rain gear", "vi": "đồ đi mưa" } }`), for the explanation's sentence. */
  topics: z.optional(TopicLabelsSchema),
});
/** Options of {@link notInterested}. */
export type NotInterestedOptions = z.input<typeof NotInterestedOptionsSchema>;

/**
 * A strategy that turns the person's declared "not interested" topics (`profile.preferences`) into
 * vetoes (P4): the orchestrator then removes every inferred proposal about those topics, whatever
 * strategy made it. It proposes no content itself. Register it next to your inference strategies.
 *
 * @example
 * ```ts
 * createOrchestrator({ consent, sources: [subjectSource({ store })], strategies: [notInterested(), anonymousSession(), segments(...)] });
 * ```
 */
export function notInterested(options: NotInterestedOptions = {}): Strategy {
  const opts = parseOrThrow(NotInterestedOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'notInterested',
  });
  const purpose = opts.purpose ?? 'personalization.profile';
  return defineStrategy({
    manifest: {
      name: opts.name ?? 'tactful-not-interested',
      version,
      core: '^0.1.0',
      description: {
        en: 'Never shows content about topics you said you are not interested in.',
        vi: 'Không bao giờ hiển thị nội dung về chủ đề bạn đã nói là không quan tâm.',
      },
      purposes: [purpose],
      reads: [
        {
          category: 'profile.preferences',
          purpose,
          why: {
            en: 'To respect the topics you said you are not interested in.',
            vi: 'Để tôn trọng các chủ đề bạn đã nói là không quan tâm.',
          },
        },
      ],
    },
    decide(input) {
      const prefs = input.data['profile.preferences'] as { notInterested?: unknown } | undefined;
      const topics = Array.isArray(prefs?.notInterested)
        ? prefs.notInterested.filter((t): t is string => typeof t === 'string')
        : [];
      return {
        proposals: [],
        vetoes: topics.map((topic) => ({
          topic,
          reason: notInterestedSentence(topic, opts.topics),
        })),
      };
    },
  });
}
