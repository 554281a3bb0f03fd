import type { LocalizedText } from './taxonomy-schema.js';
import type { TopicLabels } from './topic-labels.js';

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
