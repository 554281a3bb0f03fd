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
