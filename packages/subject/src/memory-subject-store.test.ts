import { describeSubjectStoreConformance } from '@tactful/testing';
import { describe, expect, it } from 'vitest';
import { memorySubjectStore } from './memory-subject-store.js';

describeSubjectStoreConformance('memorySubjectStore', { create: ({ now }) => memorySubjectStore({ now }) });

describe('memorySubjectStore options', () => {
  it('rejects bad options with INVALID_OPTIONS naming the field', () => {
    expect(() => memorySubjectStore({ retention: { 'behavior.pageviews': -1 } })).toThrow(
      /retention\.behavior\.pageviews/,
    );
    expect(() => memorySubjectStore({ tombstoneKey: 'short' })).toThrow(/tombstoneKey/);
  });

  it('hashes tombstones with the key, so two stores with one key agree', async () => {
    const a = memorySubjectStore({ tombstoneKey: 'k'.repeat(32) });
    await a.erase('u-1');
    expect(await a.isErased('u-1')).toBe(true);
    expect(await a.isErased('u-2')).toBe(false);
  });
});

describe('memorySubjectStore reads', () => {
  it('hands out frozen values: a write to one throws and the next read is unchanged', async () => {
    const store = memorySubjectStore();
    const declared = await store.declarePreferences('u-1', {
      interests: ['kids'],
      answers: { sizes: ['s', 'm'] },
    });
    const attributes = await store.setAttributes('u-1', { city: 'Hue' });
    const prefs = await store.getPreferences('u-1');
    const attrs = await store.getAttributes('u-1');
    for (const value of [declared, prefs]) {
      expect(() => (value!.interests as string[]).push('golf')).toThrow(TypeError);
      expect(() => {
        (value!.answers as Record<string, unknown>).sizes = ['xl'];
      }).toThrow(TypeError);
      expect(() => ((value!.answers as Record<string, string[]>).sizes as string[]).push('xl')).toThrow(
        TypeError,
      );
    }
    for (const value of [attributes, attrs]) {
      expect(() => {
        (value as Record<string, unknown>).city = 'Hanoi';
      }).toThrow(TypeError);
    }
    expect(await store.getPreferences('u-1')).toEqual({
      interests: ['kids'],
      notInterested: [],
      answers: { sizes: ['s', 'm'] },
    });
    expect(await store.getAttributes('u-1')).toEqual({ city: 'Hue' });
  });

  it("keeps its own copy of what it is given: changing the caller's object later changes nothing stored", async () => {
    const store = memorySubjectStore();
    const sizes = ['s'];
    const patch = { interests: ['kids'], answers: { sizes } };
    await store.declarePreferences('u-1', patch);
    const attributes: Record<string, string> = { city: 'Hue' };
    await store.setAttributes('u-1', attributes, { replace: true });
    sizes.push('xl');
    patch.interests.push('golf');
    attributes.city = 'Hanoi';
    expect(Object.isFrozen(sizes)).toBe(false);
    expect(Object.isFrozen(attributes)).toBe(false);
    expect((await store.getPreferences('u-1'))?.answers).toEqual({ sizes: ['s'] });
    expect((await store.getPreferences('u-1'))?.interests).toEqual(['kids']);
    expect(await store.getAttributes('u-1')).toEqual({ city: 'Hue' });
  });

  it('answers a held subject at once and still refuses a bad id with a typed error', async () => {
    const store = memorySubjectStore();
    await store.declarePreferences('u-1', { interests: ['kids'] });
    await store.setAttributes('u-1', { city: 'Hue' });
    const prefs = store.getPreferences('u-1');
    const attrs = store.getAttributes('u-1');
    expect(prefs).not.toBeInstanceOf(Promise);
    expect(attrs).not.toBeInstanceOf(Promise);
    for (const bad of ['not an id!', '', 'x'.repeat(129), 42, undefined, { id: 'u-1' }]) {
      for (const read of [store.getPreferences, store.getAttributes]) {
        const answer = read(bad as string);
        expect(answer).toBeInstanceOf(Promise);
        await expect(answer).rejects.toMatchObject({ code: 'INVALID_INPUT', path: ['subjectId'] });
      }
    }
  });
});
