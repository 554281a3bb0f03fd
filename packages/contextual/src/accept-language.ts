/** One language range of an `Accept-Language` header, with its quality value. */
export interface LanguagePreference {
  /** The language tag as sent, in canonical case (`vi`, `en-US`, `zh-Hant-TW`), or `*`. */
  tag: string;
  /** The quality value in [0, 1]; 1 when the header gives none. */
  q: number;
}

const TAG = /^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
/** Most ranges read from one header: a longer list is cut, never a reason to fail. */
const MAX_RANGES = 32;

/**
 * Parses an `Accept-Language` header (RFC 9110 §12.5.4) into language preferences, best first.
 * Ranges with `q=0` (explicitly not acceptable) and malformed ranges are left out; equal quality
 * values keep the header's order. Never throws: a malformed header yields what could be read.
 *
 * @example
 * ```ts
 * parseAcceptLanguage('vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7');
 * // [{ tag: 'vi-VN', q: 1 }, { tag: 'vi', q: 0.9 }, { tag: 'en-US', q: 0.8 }, { tag: 'en', q: 0.7 }]
 * ```
 */
export function parseAcceptLanguage(header: string | undefined | null): LanguagePreference[] {
  if (typeof header !== 'string' || header.length === 0) return [];
  const out: Array<LanguagePreference & { index: number }> = [];
  const parts = header.split(',');
  for (let index = 0; index < parts.length && out.length < MAX_RANGES; index++) {
    const [rawTag, ...params] = (parts[index] ?? '').split(';');
    const tag = (rawTag ?? '').trim();
    if (!TAG.test(tag)) continue;
    let q = 1;
    let valid = true;
    for (const param of params) {
      const [name, value] = param.split('=').map((s) => s.trim());
      if (name?.toLowerCase() !== 'q') continue;
      if (value === undefined || !QVALUE.test(value)) {
        valid = false;
        break;
      }
      q = Number(value);
    }
    if (!valid || q <= 0) continue;
    out.push({ tag: canonicalTag(tag), q, index });
  }
  out.sort((a, b) => b.q - a.q || a.index - b.index);
  return out.map(({ tag, q }) => ({ tag, q }));
}

/**
 * Canonical case of a BCP 47 tag: language lower-case, script title-case, region upper-case
 * (`EN-us` → `en-US`, `zh-hant-tw` → `zh-Hant-TW`).
 */
export function canonicalTag(tag: string): string {
  if (tag === '*') return tag;
  return tag
    .split('-')
    .map((part, i) => {
      if (i === 0) return part.toLowerCase();
      if (part.length === 2 && /^[A-Za-z]{2}$/.test(part)) return part.toUpperCase();
      if (part.length === 4 && /^[A-Za-z]{4}$/.test(part))
        return part[0]!.toUpperCase() + part.slice(1).toLowerCase();
      return part.toLowerCase();
    })
    .join('-');
}

/** True for a syntactically valid language tag (not `*`). */
export function isLanguageTag(value: string): boolean {
  return value !== '*' && value.length <= 35 && TAG.test(value);
}

/**
 * Chooses the locale to use: an explicit `locale` (the person's own choice) wins; otherwise the
 * best range of `Accept-Language`. With `supported` locales, the result is negotiated against them
 * (exact tag first, then the same language), and undefined when nothing fits.
 */
export function negotiateLocale(
  acceptLanguage: string | undefined,
  options: { locale?: string | undefined; supported?: ReadonlyArray<string> | undefined } = {},
): string | undefined {
  // A bounded memo per list of supported locales (a strategy passes the same list every time), so
  // no key is built from the list on every call.
  const supported = options.supported;
  let memo = supported === undefined ? anySupported : negotiated.get(supported);
  if (memo === undefined) {
    memo = { plain: new Map(), withLocale: new Map() };
    negotiated.set(supported!, memo);
  }
  const map = options.locale === undefined ? memo.plain : memo.withLocale;
  const key =
    options.locale === undefined ? (acceptLanguage ?? '') : `${options.locale}\u0000${acceptLanguage ?? ''}`;
  const known = map.get(key);
  if (known !== undefined || map.has(key)) return known;
  const result = negotiate(acceptLanguage, options);
  if (map.size >= 1024) map.clear();
  map.set(key, result);
  return result;
}

interface NegotiationMemo {
  readonly plain: Map<string, string | undefined>;
  readonly withLocale: Map<string, string | undefined>;
}
const anySupported: NegotiationMemo = { plain: new Map(), withLocale: new Map() };
const negotiated = new WeakMap<ReadonlyArray<string>, NegotiationMemo>();

function negotiate(
  acceptLanguage: string | undefined,
  options: { locale?: string | undefined; supported?: ReadonlyArray<string> | undefined },
): string | undefined {
  const wanted: string[] = [];
  if (options.locale !== undefined && isLanguageTag(options.locale))
    wanted.push(canonicalTag(options.locale));
  for (const pref of parseAcceptLanguage(acceptLanguage)) if (pref.tag !== '*') wanted.push(pref.tag);
  const supported = options.supported?.map(canonicalTag);
  if (supported === undefined || supported.length === 0) return wanted[0];
  for (const tag of wanted) {
    if (supported.includes(tag)) return tag;
    const language = tag.split('-')[0];
    const sameLanguage = supported.find((s) => s === language || s.startsWith(`${language}-`));
    if (sameLanguage !== undefined) return sameLanguage;
  }
  return undefined;
}
