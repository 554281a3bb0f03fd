import { describe, expect, it } from 'vitest';
import { TopicLabelsSchema } from './topic-labels.js';
import { notInterestedSentence, topicLabel } from './topic-sentence.js';

describe('topic labels', () => {
  it('uses the label given, in both languages, falling back to English for Vietnamese', () => {
    const labels = { rain: { en: 'rain gear', vi: 'đồ đi mưa' }, kids: { en: "kids' products" } };
    expect(notInterestedSentence('rain', labels)).toEqual({
      en: 'You told us you are not interested in rain gear.',
      vi: 'Bạn đã cho biết bạn không quan tâm đến đồ đi mưa.',
    });
    expect(notInterestedSentence('kids', labels).vi).toBe(
      "Bạn đã cho biết bạn không quan tâm đến kids' products.",
    );
  });

  it('reads an unlabelled key as words, and never takes a label from the prototype', () => {
    expect(topicLabel('running-shoes')).toEqual({ en: 'running shoes', vi: 'running shoes' });
    expect(topicLabel('constructor', {})).toEqual({ en: 'constructor', vi: 'constructor' });
    expect(topicLabel('to-string', {}).en).toBe('to string');
  });

  it('refuses labels for keys that are not topics, naming the key', () => {
    const bad = TopicLabelsSchema.safeParse({ 'Rain Gear': { en: 'x' } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('Rain Gear');
    expect(TopicLabelsSchema.safeParse({ rain: { en: '' } }).success).toBe(false);
  });
});
