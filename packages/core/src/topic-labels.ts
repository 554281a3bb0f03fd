import * as z from 'zod/mini';
import { TopicSchema } from './subject-store.js';
import { LocalizedTextSchema } from './taxonomy-schema.js';

/**
 * What people call each topic, by topic key (`{ "rain": { "en": "rain gear", "vi": "đồ đi mưa" } }`):
 * the words explanations use instead of the key, e.g. "You told us you are not interested in rain gear."
 */
export const TopicLabelsSchema = z
  .record(TopicSchema, LocalizedTextSchema)
  .check(z.refine((labels) => Object.keys(labels).length <= 500, 'label at most 500 topics'));
/** What people call each topic, by topic key. */
export type TopicLabels = z.infer<typeof TopicLabelsSchema>;
