import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressMatcher, parseIp } from './ip-address.js';

const v4 = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
const maskV4 = (n: number, bits: number) => (bits === 0 ? 0 : (n >>> (32 - bits)) << (32 - bits)) >>> 0;

describe('trusted-proxy addresses (ipaddr.js)', () => {
  it('for every IPv4 address and prefix: its network contains it (plain and IPv4-mapped), and flipping a bit inside the prefix leaves it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (n, bits) => {
        const { matcher, invalid } = addressMatcher([`${v4(maskV4(n, bits))}/${bits}`]);
        expect(invalid).toEqual([]);
        expect(matcher.has(v4(n))).toBe(true);
        expect(matcher.has(`::ffff:${v4(n)}`)).toBe(true);
        if (bits > 0) {
          const flipped = (n ^ (1 << (32 - bits))) >>> 0;
          expect(matcher.has(v4(flipped))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('for every IPv6 address and prefix: its network contains it, and flipping a bit inside the prefix leaves it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 1, max: 128 }),
        (groups, bits) => {
          const text = (g: number[]) => g.map((x) => x.toString(16)).join(':');
          const net = groups.map((g, i) => {
            const keep = Math.max(0, Math.min(16, bits - i * 16));
            return keep === 0 ? 0 : (g >> (16 - keep)) << (16 - keep);
          });
          const { matcher } = addressMatcher([`${text(net)}/${bits}`]);
          expect(matcher.has(text(groups))).toBe(true);
          const at = bits - 1;
          const flipped = groups.slice();
          flipped[at >> 4] = (flipped[at >> 4] ?? 0) ^ (1 << (15 - (at & 15)));
          expect(matcher.has(text(flipped))).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses the lenient IPv4 forms no proxy sends (short, hex, octal) in the list and as a peer address', () => {
    for (const lenient of ['10.1', '0x0a.0.0.1', '012.0.0.1', '10.0.0.1.', ' ']) {
      expect(parseIp(lenient), lenient).toBeUndefined();
      expect(addressMatcher([lenient]).invalid, lenient).toEqual([lenient]);
    }
    const { matcher } = addressMatcher(['10.0.0.0/8']);
    expect(matcher.has('10.1')).toBe(false);
    expect(matcher.has('fe80::1%eth0')).toBe(false);
    expect(addressMatcher(['fe80::/10']).matcher.has('fe80::1%eth0')).toBe(true);
  });
});
