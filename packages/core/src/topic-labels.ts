import * as z from 'zod/mini';
import { TopicSchema } from './subject-store.js';
import { type LocalizedText, LocalizedTextSchema } from './taxonomy.js';

/**
 * What people call each topic, by topic key (`{ "rain": { "en": "rain gear", "vi": "đồ đi mưa" } }`):
 * the words explanations use instead of the key, e.g. "You told us you are not interested in rain gear."
 */
export const TopicLabelsSchema = z
  .record(TopicSchema, LocalizedTextSchema)
  .check(z.refine((labels) => Object.keys(labels).length <= 500, 'label at most 500 topics'));
/** What people call each topic, by topic key. */
export type TopicLabels = z.infer<typeof TopicLabelsSchema>;

/**
 * A topic in words a person reads: its label when one is given, else the key with its dashes and
 * dots read as spaces (`running-shoes` → "running shoes").
 */
export function topicLabel(topic: string, labels?: TopicLabels): LocalizedText {
  const own = labels !== undefined && Object.hasOwn(labels, topic) ? labels[topic] : undefined;
  if (own !== undefined) return own;
  const plain = topic.replace(/[-_.]+/g, ' ').trim() || topic;
  return { en: plain, vi: plain };
}

/** The sentence an explanation gives for a declared "not interested" in `topic`, in the topic's own words. */
export function notInterestedSentence(topic: string, labels?: TopicLabels): LocalizedText {
  const label = topicLabel(topic, labels);
  return {
    en: `You told us you are not interested in ${label.en}.`,
    vi: `Bạn đã cho biết bạn không quan tâm đến ${label.vi ?? label.en}.`,
  };
}
