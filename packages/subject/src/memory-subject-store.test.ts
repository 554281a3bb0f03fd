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
