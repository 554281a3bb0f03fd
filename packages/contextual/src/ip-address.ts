/**
 * Parses an IPv4 or IPv6 address into 16 bytes (IPv4 as an IPv4-mapped IPv6 address), or
 * undefined when it is not an address. Zone ids (`%eth0`) and brackets are accepted and ignored.
 */
export function parseIp(input: string): Uint8Array | undefined {
  if (typeof input !== 'string' || input.length === 0 || input.length > 64) return undefined;
  let s = input.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const v4 = parseIpv4(s);
  if (v4) return mapped(v4);
  return parseIpv6(s);
}

function mapped(v4: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

function parseIpv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIpv6(s: string): Uint8Array | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4(item);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(item)) return undefined;
        out.push(Number.parseInt(item, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
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
  const ranges: Array<{ bytes: Uint8Array; bits: number }> = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const [addr, prefix, extra] = entry.split('/');
    const bytes = addr === undefined ? undefined : parseIp(addr);
    const isV4 = addr !== undefined && parseIpv4(addr.trim()) !== undefined;
    const max = isV4 ? 32 : 128;
    const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    if (!bytes || extra !== undefined || !(bits >= 0 && bits <= max)) {
      invalid.push(entry);
      continue;
    }
    ranges.push({ bytes, bits: isV4 ? bits + 96 : bits });
  }
  return {
    invalid,
    matcher: {
      has(address) {
        if (address === undefined) return false;
        const bytes = parseIp(address);
        if (!bytes) return false;
        return ranges.some((r) => inRange(bytes, r.bytes, r.bits));
      },
    },
  };
}

function inRange(address: Uint8Array, network: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  for (let i = 0; i < full; i++) if (address[i] !== network[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[full]! & mask) === (network[full]! & mask);
}
