import { describe, expect, it } from 'vitest';
import { randomHex } from './crypto.js';

describe('randomHex', () => {
  it('hands out fresh random bytes across pool refills: right length, hex, never repeated', () => {
    const salts = Array.from({ length: 1000 }, () => randomHex(16));
    for (const salt of salts) expect(salt).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(salts).size).toBe(salts.length);
    expect(randomHex(5000)).toMatch(/^[0-9a-f]{10000}$/);
  });
});
