import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { ReadCache, cacheSize, noteWrite } from './read-cache.js';

describe('ReadCache', () => {
  it('keeps at most its size, dropping the least recently used first', () => {
    const db = openDatabase(':memory:');
    const cache = new ReadCache<string>(db, 2);
    const reads: string[] = [];
    const get = (key: string) =>
      cache.get(key, () => {
        reads.push(key);
        return key.toUpperCase();
      });
    expect([get('a'), get('b'), get('a')]).toEqual(['A', 'B', 'A']);
    get('c'); // evicts b, the least recently used
    get('a');
    get('b');
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
    db.close();
  });

  it('drops everything after a write of this package on the connection', () => {
    const db = openDatabase(':memory:');
    const cache = new ReadCache<number>(db, 10);
    let reads = 0;
    const get = () => cache.get('k', () => ++reads);
    get();
    get();
    expect(reads).toBe(1);
    noteWrite(db);
    get();
    expect(reads).toBe(2);
    db.close();
  });

  it('checks its size option', () => {
    expect(cacheSize(undefined, 'store', 'cacheSize')).toBe(10_000);
    expect(cacheSize(0, 'store', 'cacheSize')).toBe(0);
    expect(() => cacheSize(-3, 'store', 'cacheSize')).toThrow(/cacheSize must be a whole number/);
  });
});
