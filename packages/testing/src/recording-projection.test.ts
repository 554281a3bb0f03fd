import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecordingProjection } from './recording-projection.js';

const purchases = [{ at: '2026-01-02T10:00:00.000Z', amount: 120000, topics: ['kids'] }];

describe('createRecordingProjection', () => {
  it('records the categories read, and flags reads of undeclared ones (get, in, descriptor)', () => {
    const rec = createRecordingProjection(
      { 'behavior.purchases': purchases, health: { condition: 'x' } },
      { allowed: ['behavior.purchases'] },
    );
    const data = rec.projection as Record<string, unknown>;
    expect(data['behavior.purchases']).toEqual(purchases);
    expect(data['health']).toBeUndefined();
    expect('religion' in data).toBe(false);
    expect(Object.getOwnPropertyDescriptor(data, 'finances')).toBeUndefined();
    expect(rec.reads).toEqual(['behavior.purchases', 'health', 'religion', 'finances']);
    expect(rec.undeclared).toEqual(['health', 'religion', 'finances']);
    expect(rec.accesses.map((a) => a.kind)).toEqual(['get', 'get', 'has', 'describe']);
  });

  it('enumerates only allowed keys, so nothing undeclared can be reached by listing', () => {
    const rec = createRecordingProjection({ a: 1, secret: 2 }, { allowed: ['a', 'b'] });
    expect(Object.keys(rec.projection)).toEqual(['a']);
    expect({ ...rec.projection }).toEqual({ a: 1 });
    expect(rec.enumerated).toBe(true);
    expect(rec.undeclared).toEqual([]);
  });

  it('is deeply frozen: writes throw in strict mode at any depth and are recorded at the top', () => {
    const rec = createRecordingProjection({ 'behavior.purchases': purchases });
    const data = rec.projection as Record<string, unknown>;
    expect(() => {
      data['behavior.purchases'] = [];
    }).toThrow(TypeError);
    expect(() => {
      delete data['behavior.purchases'];
    }).toThrow(TypeError);
    expect(() => (data['behavior.purchases'] as unknown[]).push({})).toThrow(TypeError);
    expect(() => {
      ((data['behavior.purchases'] as Array<{ topics: string[] }>)[0] as { topics: string[] }).topics[0] =
        'x';
    }).toThrow(TypeError);
    expect(Object.isFrozen(data)).toBe(true);
    expect(rec.mutations).toEqual([
      { key: 'behavior.purchases', operation: 'set' },
      { key: 'behavior.purchases', operation: 'delete' },
    ]);
  });

  it("copies the data: the caller's objects are neither frozen nor shared", () => {
    const mine = { interests: ['kids'] };
    const rec = createRecordingProjection({ 'profile.preferences': mine });
    mine.interests.push('coffee');
    expect(Object.isFrozen(mine)).toBe(false);
    expect(
      (rec.projection as Record<string, { interests: string[] }>)['profile.preferences']?.interests,
    ).toEqual(['kids']);
  });

  it('does not count incidental lookups (then, toJSON, object methods) as reads', async () => {
    const rec = createRecordingProjection({ a: 1 });
    JSON.stringify(rec.projection);
    await Promise.resolve(rec.projection);
    String(Object.hasOwn(rec.projection, 'a'));
    expect(rec.undeclared).toEqual([]);
  });

  it('clear() forgets what was recorded', () => {
    const rec = createRecordingProjection({ a: 1 }, { allowed: [] });
    void (rec.projection as Record<string, unknown>)['a'];
    rec.clear();
    expect(rec.reads).toEqual([]);
    expect(rec.undeclared).toEqual([]);
  });

  it('for all data and allowances: holds exactly the allowed keys, with equal values, and flags exactly the disallowed reads', () => {
    const key: fc.Arbitrary<string> = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.jsonValue({ maxDepth: 2 })),
        fc.uniqueArray(key),
        fc.array(key),
        (data, allowed, toRead) => {
          const rec = createRecordingProjection(data, { allowed });
          const view = rec.projection as Record<string, unknown>;
          const expectedKeys = Object.keys(data).filter((k) => allowed.includes(k));
          expect(Object.keys(view).sort()).toEqual(expectedKeys.sort());
          rec.clear();
          for (const k of toRead) {
            const value = view[k];
            if (allowed.includes(k) && k in data) expect(value).toEqual(data[k]);
            else expect(value).toBeUndefined();
          }
          expect([...rec.undeclared].sort()).toEqual(
            [...new Set(toRead.filter((k) => !allowed.includes(k)))].sort(),
          );
        },
      ),
    );
  });
});
