/** The value that replaces a URL whose scheme is not allowed. Inert in every browser and mail client. */
export const UNSAFE_URL_REPLACEMENT = 'about:invalid#tactful-unsafe-url';

/** Schemes allowed in rendered URLs. */
export const SAFE_URL_SCHEMES: readonly string[] = Object.freeze(['http', 'https', 'mailto']);

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
// Browsers ignore ASCII tab and newlines anywhere in a URL and strip leading/trailing C0 + space.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const IGNORED = /[\u0000-\u001F\u007F\s]/g;

/** How a URL may look: `relative` allows paths such as `/shop`; `absolute` (email) requires a scheme. */
export type UrlPolicy = 'relative' | 'absolute';

/**
 * True when `url` is safe to put in an `href`/`src`: its scheme (after removing the characters
 * browsers ignore) is http, https or mailto, or, under the `relative` policy, it has no scheme.
 *
 * @example
 * ```ts
 * isSafeUrl('https://shop.example/kids'); // true
 * isSafeUrl(' java\tscript:alert(1)');     // false
 * isSafeUrl('/kids', 'absolute');          // false (emails need absolute URLs)
 * ```
 */
export function isSafeUrl(url: string, policy: UrlPolicy = 'relative'): boolean {
  const cleaned = url.replace(IGNORED, '');
  const m = SCHEME.exec(cleaned);
  if (m) return SAFE_URL_SCHEMES.includes(m[1]!.toLowerCase());
  if (policy === 'absolute') return false;
  // No scheme: a relative reference. A colon before the first slash would be read as a scheme.
  const firstColon = cleaned.indexOf(':');
  if (firstColon === -1) return true;
  const firstSlash = cleaned.search(/[/?#]/);
  return firstSlash !== -1 && firstSlash < firstColon;
}

/** `url` when {@link isSafeUrl}, else {@link UNSAFE_URL_REPLACEMENT}. */
export function sanitizeUrl(url: string, policy: UrlPolicy = 'relative'): string {
  return isSafeUrl(url, policy) ? url : UNSAFE_URL_REPLACEMENT;
}

const NAMED: Record<string, string> = {
  colon: ':',
  tab: '\t',
  newline: '\n',
  sol: '/',
  lpar: '(',
  rpar: ')',
  amp: '&',
};

/** Decodes the character references an attacker would use to hide a scheme (`&#58;`, `&colon;` ...). */
export function decodeCharacterReferences(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);?/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X'
          ? Number.parseInt(ref.slice(2), 16)
          : Number.parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}
