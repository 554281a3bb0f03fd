import type { PluginCallContext, SubjectStore } from '@tactful/core';
import { isThenable } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { memorySubjectStore, subjectSource } from '@tactful/subject';

const ctx = { aborted: false, traceId: 'trace-sync' } as PluginCallContext;
const NOW = Date.parse('2026-03-01T08:00:00.000Z');
const query = (categories: string[]) => ({ subject: { id: 'u-1' }, categories, context: {}, now: NOW });

describe('subjectSource answers synchronously when its store does', () => {
  it('loads preferences from the memory store as a value (no promise), and sees a change at once', async () => {
    const store = memorySubjectStore();
    await store.declarePreferences('u-1', { interests: ['kids'] });
    const source = subjectSource({ store });
    const first = source.load(query(['profile.preferences']), ctx);
    expect(isThenable(first)).toBe(false);
    expect(first).toEqual({ 'profile.preferences': { interests: ['kids'], notInterested: [], answers: {} } });
    await store.declarePreferences('u-1', { notInterested: ['kids'] });
    const next = source.load(query(['profile.preferences']), ctx) as Record<string, unknown>;
    expect(next['profile.preferences']).toMatchObject({ interests: [], notInterested: ['kids'] });
  });

  it('awaits a store that answers with promises, and fails when one of its reads fails', async () => {
    const inner = memorySubjectStore();
    await inner.declarePreferences('u-1', { interests: ['kids'] });
    const slow: SubjectStore = { ...inner, getPreferences: async (id) => inner.getPreferences(id) };
    const answer = subjectSource({ store: slow }).load(query(['profile.preferences', 'behavior.cart']), ctx);
    expect(isThenable(answer)).toBe(true);
    expect(await answer).toEqual({
      'profile.preferences': { interests: ['kids'], notInterested: [], answers: {} },
    });
    const broken: SubjectStore = { ...inner, getCart: () => Promise.reject(new Error('disk gone')) };
    await expect(
      Promise.resolve(
        subjectSource({ store: broken }).load(query(['profile.preferences', 'behavior.cart']), ctx),
      ),
    ).rejects.toThrow('disk gone');
  });
});
