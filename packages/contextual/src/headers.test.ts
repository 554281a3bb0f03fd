import { isTactfulError } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextFromHeaders, headerReader } from './headers.js';
import { addressMatcher, parseIp } from './ip-address.js';

const cloudflare = {
  trustedProxy: { preset: 'cloudflare' as const, addresses: ['173.245.48.0/20', '2400:cb00::/32'] },
};
const edgeHeaders = {
  'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148',
  'accept-language': 'vi-VN,vi;q=0.9',
  'cf-ipcountry': 'VN',
  'cf-region': 'Hanoi',
  'cf-ipcity': 'Hà Nội',
  'cf-timezone': 'Asia/Ho_Chi_Minh',
  'sec-gpc': '1',
  'sec-ch-ua-mobile': '?1',
};

describe('contextFromHeaders', () => {
  it('reads location from a trusted proxy address', () => {
    expect(contextFromHeaders(edgeHeaders, { ...cloudflare, remoteAddress: '173.245.50.9' })).toEqual({
      userAgent: edgeHeaders['user-agent'],
      acceptLanguage: 'vi-VN,vi;q=0.9',
      clientHints: { 'sec-ch-ua-mobile': '?1' },
      gpc: true,
      geo: { country: 'VN', region: 'Hanoi', city: 'Hà Nội' },
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(
      contextFromHeaders(edgeHeaders, { ...cloudflare, remoteAddress: '2400:cb00:2049::1' }).geo,
    ).toEqual({
      country: 'VN',
      region: 'Hanoi',
      city: 'Hà Nội',
    });
  });

  it('ignores location headers sent by anyone else', () => {
    const spoofed = contextFromHeaders(edgeHeaders, { ...cloudflare, remoteAddress: '198.51.100.23' });
    expect(spoofed.geo).toBeUndefined();
    expect(spoofed.timeZone).toBeUndefined();
    expect(spoofed.userAgent).toBe(edgeHeaders['user-agent']);
    expect(contextFromHeaders(edgeHeaders, { remoteAddress: '173.245.50.9' }).geo).toBeUndefined();
    expect(contextFromHeaders(edgeHeaders, cloudflare).geo).toBeUndefined();
  });

  it('never yields a location for a request from outside the proxy ranges, whatever its headers', () => {
    const read = headerReader(cloudflare);
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('cf-ipcountry', 'cf-ipcity', 'cf-region', 'cf-timezone', 'x-forwarded-for'),
          fc.string({ maxLength: 40 }),
        ),
        fc.ipV4().filter((ip) => !ip.startsWith('173.245.')),
        (headers, remoteAddress) => {
          const context = read(headers, { remoteAddress });
          expect(context.geo).toBeUndefined();
          expect(context.timeZone).toBeUndefined();
        },
      ),
    );
  });

  it('recognises the proxy by a shared secret header, and by both when both are configured', () => {
    const secret = { header: 'x-edge-secret', value: 's3cret-s3cret-s3cret' };
    const vercel = { trustedProxy: { preset: 'vercel' as const, secret } };
    const headers = new Headers({
      'x-vercel-ip-country': 'de',
      'x-vercel-ip-country-region': 'BE',
      'x-vercel-ip-city': 'M%C3%BCnchen',
      'x-edge-secret': secret.value,
    });
    expect(contextFromHeaders(headers, vercel).geo).toEqual({ country: 'DE', region: 'BE', city: 'München' });
    headers.set('x-edge-secret', 'wrong-wrong-wrong-wrong');
    expect(contextFromHeaders(headers, vercel).geo).toBeUndefined();
    const both = headerReader({ trustedProxy: { preset: 'vercel', secret, addresses: ['10.0.0.0/8'] } });
    headers.set('x-edge-secret', secret.value);
    expect(both(headers, { remoteAddress: '10.2.3.4' }).geo).toBeDefined();
    expect(both(headers, { remoteAddress: '11.2.3.4' }).geo).toBeUndefined();
  });

  it('drops malformed values: unknown country, bad encoding, bad zone, control characters', () => {
    const context = contextFromHeaders(
      {
        'cf-ipcountry': 'XX',
        'cf-ipcity': '%E0%A4%A',
        'cf-timezone': 'Nowhere/Land',
        'cf-region': 'Bad\u0000Region',
        'accept-language': 'x'.repeat(600),
      },
      { ...cloudflare, remoteAddress: '173.245.48.1' },
    );
    expect(context).toEqual({ geo: { region: 'BadRegion' } });
  });

  it('accepts custom header names and Node-style array values', () => {
    const read = headerReader({
      trustedProxy: { headers: { country: 'X-Geo-Country', city: 'x-geo-city' }, addresses: ['127.0.0.1'] },
    });
    expect(
      read({ 'x-geo-country': ['vn'], 'x-geo-city': 'Da Nang' }, { remoteAddress: '::ffff:127.0.0.1' }).geo,
    ).toEqual({
      country: 'VN',
      city: 'Da Nang',
    });
  });

  it('rejects a trusted proxy with no way to recognise it, or a bad address, at configuration time', () => {
    expect(() => headerReader({ trustedProxy: { preset: 'cloudflare' } })).toThrow(/secret.*addresses/);
    try {
      headerReader({ trustedProxy: { preset: 'cloudflare', addresses: ['10.0.0.0/33', 'nonsense'] } });
      expect.unreachable();
    } catch (error) {
      expect(isTactfulError(error) && error.code).toBe('INVALID_OPTIONS');
      expect((error as Error).message).toContain('"10.0.0.0/33", "nonsense"');
    }
  });
});

describe('addresses', () => {
  it('parses IPv4, IPv6 and IPv4-mapped addresses', () => {
    expect(parseIp('::ffff:10.0.0.1')).toEqual(parseIp('10.0.0.1'));
    expect(parseIp('2001:db8::1')).toBeDefined();
    expect(parseIp('[2001:db8::1]')).toEqual(parseIp('2001:db8:0:0:0:0:0:1'));
    for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', '2001:db8:::1', '1:2:3:4:5:6:7:8:9', 'abc', '']) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });

  it('matches CIDR ranges bit by bit', () => {
    const { matcher } = addressMatcher(['192.168.0.0/23', '2001:db8:8000::/33']);
    expect(matcher.has('192.168.1.255')).toBe(true);
    expect(matcher.has('192.168.2.0')).toBe(false);
    expect(matcher.has('2001:db8:8000::5')).toBe(true);
    expect(matcher.has('2001:db8:7fff::5')).toBe(false);
    expect(matcher.has(undefined)).toBe(false);
  });
});
