import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../test/memory-storage.js';
import { createStorageSessionStore } from './storage-store.js';

describe('createStorageSessionStore', () => {
  it('keeps the session in storage and reads it back', () => {
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage });
    const { id } = store.open();
    store.record(id, { type: 'product_view', target: 'p1', topics: ['kids'] });
    const again = createStorageSessionStore({ storage });
    expect(again.open(id)).toEqual({ id, created: false });
    expect(again.events(id)?.map((e) => e.target)).toEqual(['p1']);
  });

  it('replaces a tampered or malformed stored session instead of trusting it', () => {
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage });
    const { id } = store.open();
    storage.setItem(`tactful.session.${id}`, '{"v":1,"createdAt":"yesterday"}');
    expect(store.open(id).created).toBe(true);
    const forged = 'AAAAAAAAAAAAAAAAAAAAAAAA';
    storage.setItem(`tactful.session.${forged}`, 'not json');
    expect(store.open(forged).id).not.toBe(forged);
    expect(storage.getItem(`tactful.session.${forged}`)).toBeNull();
  });

  it('drops invalid stored events but keeps valid ones', () => {
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage });
    const { id } = store.open();
    store.record(id, { type: 'page_view', target: '/a' });
    const raw = JSON.parse(storage.getItem(`tactful.session.${id}`)!);
    raw.events.push({ type: 'page_view', at: 'never', target: '<script>' });
    storage.setItem(`tactful.session.${id}`, JSON.stringify(raw));
    expect(store.events(id)?.map((e) => e.target)).toEqual(['/a']);
  });

  it('expires idle sessions', () => {
    let t = 0;
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage, ttlMs: 1000, now: () => t });
    const { id } = store.open();
    t = 1000;
    expect(store.open(id).created).toBe(true);
    expect(storage.getItem(`tactful.session.${id}`)).toBeNull();
  });

  it('stays within the storage quota by dropping the oldest events', () => {
    const storage = memoryStorage(4000);
    const store = createStorageSessionStore({ storage, maxEventsPerSession: 500 });
    const { id } = store.open();
    for (let i = 0; i < 200; i++)
      store.record(id, { type: 'product_view', target: `product-${i}`, topics: ['kids'] });
    const events = store.events(id)!;
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(200);
    expect(events.at(-1)?.target).toBe('product-199');
  });

  it('rotates and ends', () => {
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage });
    const { id } = store.open();
    const next = store.rotate(id);
    expect(storage.getItem(`tactful.session.${id}`)).toBeNull();
    store.end(next);
    expect(storage.map.size).toBe(0);
  });

  it('requires a storage object', () => {
    expect(() => createStorageSessionStore({ storage: {} as never })).toThrow(
      /getItem, setItem and removeItem/,
    );
  });
});
