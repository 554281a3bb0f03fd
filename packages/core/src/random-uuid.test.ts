import { describe, expect, it, vi } from 'vitest';
import { randomUuid } from './random-uuid.js';

describe('randomUuid', () => {
  it('gives distinct version-4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 500 }, () => randomUuid()));
    expect(ids.size).toBe(500);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('works where crypto.randomUUID is missing (a page over plain HTTP is not a secure context)', () => {
    const spy = vi.spyOn(globalThis.crypto, 'randomUUID').mockImplementation(() => {
      throw new TypeError('crypto.randomUUID is not a function');
    });
    try {
      expect(randomUuid()).toHaveLength(36);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('randomUuid from a pool of random bytes', () => {
  it('never repeats across refills of the pool and keeps the version and variant bits', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      const ids = new Set(Array.from({ length: 1000 }, () => randomUuid()));
      expect(ids.size).toBe(1000);
      // 1,000 ids from 1 KiB pools of 64 ids each: about 16 draws, not 1,000.
      expect(spy.mock.calls.length).toBeGreaterThan(0);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(17);
      for (const id of ids)
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      spy.mockRestore();
    }
  });
});
