// IPv4/IPv6 parsing and CIDR matching for the trusted-proxy check, on ipaddr.js (the usual,
// well-kept library for it). One stricter rule on top: an IPv4 address must be four decimal parts
// (`10.0.0.1`), as a socket reports it — ipaddr.js also reads `10.1`, `0x0a.0.0.1` and `012.0.0.1`
// (octal), forms no proxy sends and an operator never means in a list of trusted addresses.
// Every address is compared as IPv6 (IPv4 as IPv4-mapped), so `::ffff:10.0.0.1` is `10.0.0.1`.
import ipaddr from 'ipaddr.js';

function address(input: unknown): ipaddr.IPv6 | undefined {
  if (typeof input !== 'string' || input.length === 0 || input.length > 64) return undefined;
  let s = input.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s).toIPv4MappedAddress();
  if (!s.includes(':') || !ipaddr.IPv6.isValid(s)) return undefined;
  return ipaddr.IPv6.parse(s);
}

/**
 * Parses an IPv4 or IPv6 address into 16 bytes (IPv4 as an IPv4-mapped IPv6 address), or
 * undefined when it is not an address. Zone ids (`%eth0`) and brackets are accepted and ignored.
 */
export function parseIp(input: string): Uint8Array | undefined {
  const parsed = address(input);
  return parsed ? Uint8Array.from(parsed.toByteArray()) : undefined;
}

/** A set of addresses and CIDR ranges (`203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`). */
export interface AddressMatcher {
  /** True when `address` is in one of the ranges. False for anything that is not an address. */
  has(address: string | undefined): boolean;
}

/**
 * Compiles addresses and CIDR ranges into a matcher. Returns the entries that are not valid
 * addresses or ranges in `invalid`, so a configuration error can name them.
 *
 * @example
 * ```ts
 * const { matcher } = addressMatcher(['127.0.0.1', '10.0.0.0/8', '::1']);
 * matcher.has('10.1.2.3'); // true
 * ```
 */
export function addressMatcher(entries: ReadonlyArray<string>): {
  matcher: AddressMatcher;
  invalid: string[];
} {
  const ranges: Array<[ipaddr.IPv6, number]> = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const [addr, prefix, extra] = String(entry).split('/');
    const network = address(addr);
    const isV4 = addr !== undefined && ipaddr.IPv4.isValidFourPartDecimal(addr.trim());
    const max = isV4 ? 32 : 128;
    const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    if (!network || extra !== undefined || !(bits >= 0 && bits <= max)) {
      invalid.push(entry);
      continue;
    }
    ranges.push([network, isV4 ? bits + 96 : bits]);
  }
  return {
    invalid,
    matcher: {
      has(input) {
        const parsed = address(input);
        return parsed !== undefined && ranges.some(([network, bits]) => parsed.match(network, bits));
      },
    },
  };
}
