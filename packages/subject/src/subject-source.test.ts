import { describeDataSourceConformance } from '@tactful/testing';
import { describe, expect, it } from 'vitest';
import { memorySubjectStore } from './memory-subject-store.js';
import { subjectSource } from './subject-source.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const ctx = { signal: new AbortController().signal, traceId: 'trace-subject-source' };
const query = (id: string | undefined, categories: string[]) => ({
  ...(id === undefined ? {} : { subject: { id } }),
  categories,
  context: {},
  now: NOW,
});

describeDataSourceConformance('subjectSource', {
  create: () => subjectSource({ store: memorySubjectStore({ now: () => NOW }) }),
  seed: async (source, subject) => {
    await source.store.declarePreferences(subject.id, { interests: ['kids'], notInterested: ['golf'] });
    await source.store.recordEvents(subject.id, [
      { category: 'behavior.purchases', data: { at: new Date(NOW - 86_400_000).toISOString(), amount: 10 } },
    ]);
  },
});

describe('subjectSource', () => {
  it('loads only the categories asked for, in the shapes the data-category agreements give', async () => {
    const store = memorySubjectStore({ now: () => NOW });
    await store.declarePreferences('u-1', {
      interests: ['kids'],
      notInterested: ['golf'],
      answers: { q1: 'yes' },
    });
    await store.setAttributes('u-1', { city: 'Hanoi' });
    await store.recordEvents('u-1', [
      {
        category: 'behavior.purchases',
        data: {
          at: '2026-02-20T10:00:00Z',
          productId: 'p-1',
          amount: 120_000,
          currency: 'VND',
          topics: ['kids'],
        },
      },
      {
        category: 'behavior.pageviews',
        data: { at: '2026-02-28T10:00:00Z', url: '/toys', durationMs: 30_000 },
      },
    ]);
    await store.setCart('u-1', {
      items: [{ productId: 'p-2', addedAt: '2026-02-28T10:00:00Z' }],
      updatedAt: '2026-02-28T10:00:00Z',
    });
    await store.setSegments('u-1', ['parents'], { now: NOW });
    const source = subjectSource({ store });
    const all = await source.load(query('u-1', [...source.manifest.provides.map((p) => p.category)]), ctx);
    expect(all).toEqual({
      'profile.preferences': { interests: ['kids'], notInterested: ['golf'], answers: { q1: 'yes' } },
      'profile.attributes': { city: 'Hanoi' },
      'behavior.purchases': [
        { at: '2026-02-20T10:00:00Z', productId: 'p-1', amount: 120_000, currency: 'VND', topics: ['kids'] },
      ],
      'behavior.pageviews': [{ at: '2026-02-28T10:00:00Z', url: '/toys', durationMs: 30_000 }],
      'behavior.cart': {
        items: [{ productId: 'p-2', addedAt: '2026-02-28T10:00:00Z' }],
        updatedAt: '2026-02-28T10:00:00Z',
      },
      'derived.segments': ['parents'],
    });
    expect(Object.keys(await source.load(query('u-1', ['behavior.cart', 'health']), ctx))).toEqual([
      'behavior.cart',
    ]);
    expect(await source.load(query(undefined, ['profile.preferences']), ctx)).toEqual({});
  });

  it('declares retention per category from its store, and every right', () => {
    const source = subjectSource({ store: memorySubjectStore({ retention: { 'behavior.pageviews': 14 } }) });
    expect(source.manifest.provides).toContainEqual({ category: 'behavior.pageviews', retentionDays: 14 });
    expect(source.manifest.provides).toContainEqual({ category: 'profile.preferences' });
    expect(source.manifest.rights).toEqual({ export: true, erase: true, rectify: true });
  });

  it('serves a rectification to the very next load', async () => {
    const store = memorySubjectStore({ now: () => NOW });
    const source = subjectSource({ store });
    await store.declarePreferences('u-1', { interests: ['golf'] });
    await source.rectify(
      { id: 'u-1' },
      'profile.preferences',
      { interests: ['tea'], notInterested: ['golf'] },
      ctx,
    );
    expect((await source.load(query('u-1', ['profile.preferences']), ctx))['profile.preferences']).toEqual({
      interests: ['tea'],
      notInterested: ['golf'],
      answers: {},
    });
    await expect(source.rectify({ id: 'u-1' }, 'health', {}, ctx)).rejects.toMatchObject({
      code: 'UNKNOWN_CATEGORY',
    });
  });

  it('rejects options that are not a subject store', () => {
    expect(() => subjectSource({ store: {} as never })).toThrow(/store/);
    expect(() => subjectSource({ store: memorySubjectStore(), categories: ['health' as never] })).toThrow(
      /categories/,
    );
  });
});
