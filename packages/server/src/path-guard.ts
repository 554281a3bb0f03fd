/**
 * Guards on the request line, before routing.
 *
 * URL parsing resolves dot segments (`/v1/consent/x/../../me` becomes `/v1/me`, and so do `%2e%2e`
 * and `.%2E`), so a proxy rule on `/v1/consent/*` would let such a request reach another route.
 * The raw path the client sent is therefore checked, and any `.` or `..` segment, written plainly
 * or percent-encoded (or with an encoded slash or backslash around it), is refused.
 */
const DOT_SEGMENT = /(^|[/\\]|%2f|%5c)(\.|%2e){1,2}([/\\?#]|%2f|%5c|$)/i;

/** The path and query of a raw request target (`/a/b?c`, or an absolute URL's). */
function pathOf(target: string): string {
  if (target.startsWith('/')) return target;
  const scheme = target.indexOf('://');
  if (scheme < 0) return target;
  const slash = target.indexOf('/', scheme + 3);
  return slash < 0 ? '/' : target.slice(slash);
}

/** True when the raw request target has a `.` or `..` path segment (plain or percent-encoded). */
export function hasDotSegment(target: string): boolean {
  const path = pathOf(target);
  const q = path.search(/[?#]/);
  return DOT_SEGMENT.test(q < 0 ? path : path.slice(0, q));
}

/** Routes whose answers are public (cacheable); every other `/v1` answer is personal: `no-store`. */
export const PUBLIC_V1_ROUTES: ReadonlySet<string> = new Set(['/v1/notice']);
