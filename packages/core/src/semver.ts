/**
 * The part of npm's semantic versioning that a plugin manifest needs: is a string a version, is it
 * a range, and does the installed core satisfy a plugin's range. Ranges mean exactly what they mean
 * to npm's `semver` package with `includePrerelease: true`, for every range written in its grammar
 * (`^1.2.3`, `~1.2`, `>=0.1.0 <1.0.0`, `1.x`, `*`, `1.2 - 2.3.4`, `a || b`, build metadata, a `v`
 * prefix, a space after an operator); a property test in this package compares the two on generated
 * ranges and versions. A few loose spellings `semver` also takes (`=v=1.x`, `1.2+build`) and
 * ranges longer than 256 characters are refused here as not a range (never the other way round: the
 * same test checks that nothing refused by `semver` is taken). The full `semver` package is ten times
 * this size, which matters in a page.
 * @packageDocumentation
 */

/** A parsed version: major, minor, patch and the prerelease identifiers (build metadata dropped). */
interface Version {
  readonly n: readonly [number, number, number];
  readonly pre: readonly string[];
}

type Op = '<' | '<=' | '>' | '>=' | '=';
/** One comparator; `true` matches every version, `false` none. */
type Comparator = { readonly op: Op; readonly v: Version } | boolean;

const NUM = '0|[1-9]\\d*';
const ID = `(?:${NUM}|\\d*[a-zA-Z-][a-zA-Z0-9-]*)`;
const PRE = `(?:-(${ID}(?:\\.${ID})*))`;
const BUILD = `(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))`;
const XR = `${NUM}|[xX*]`;
const PARTIAL = `v?(${XR})(?:\\.(${XR})(?:\\.(${XR})${PRE}?${BUILD}?)?)?`;
const FULL = new RegExp(`^v?(${NUM})\\.(${NUM})\\.(${NUM})${PRE}?${BUILD}?$`);
const TOKEN = new RegExp(`^(~>?|\\^|[<>]?=?)${PARTIAL}$`);
const HYPHEN = new RegExp(`^(${PARTIAL}) - (${PARTIAL})$`);
const MAX_LENGTH = 256;
const NUMERIC = /^[0-9]+$/;

function isX(id: string | undefined): boolean {
  return id === undefined || id === 'x' || id === 'X' || id === '*';
}

function version(M: string | number, m: string | number, p: string | number, pre?: string): Version {
  const n: [number, number, number] = [+M, +m, +p];
  if (n.some((x) => x > Number.MAX_SAFE_INTEGER)) throw new RangeError('too large');
  return { n, pre: pre ? pre.split('.') : [] };
}

function parseVersion(input: unknown): Version | null {
  if (typeof input !== 'string' || input.length > MAX_LENGTH) return null;
  const m = FULL.exec(input.trim());
  if (!m) return null;
  try {
    return version(m[1] as string, m[2] as string, m[3] as string, m[4]);
  } catch {
    return null;
  }
}

function compareIds(a: string, b: string): number {
  const an = NUMERIC.test(a);
  const bn = NUMERIC.test(b);
  if (an && bn) return +a === +b ? 0 : +a < +b ? -1 : 1;
  if (an !== bn) return an ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const d = (a.n[i] as number) - (b.n[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (!a.pre.length || !b.pre.length) return a.pre.length ? -1 : b.pre.length ? 1 : 0;
  for (let i = 0; ; i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
    const c = compareIds(x, y);
    if (c !== 0) return c;
  }
}

/** How much of a partial version is given: 0 (`*`), 1 (`1`), 2 (`1.2`) or 3 (`1.2.3`). */
function given(M: string | undefined, m: string | undefined, p: string | undefined): number {
  return isX(M) ? 0 : isX(m) ? 1 : isX(p) ? 2 : 3;
}

/** The lowest version a partial covers: itself when whole, else `M.m.0-0` (prereleases included). */
function low(d: number, M: string, m?: string, p?: string, pre?: string): Version {
  return d === 3 ? version(M, m as string, p as string, pre) : version(M, d > 1 ? (m as string) : 0, 0, '0');
}

/** The first version past a partial's component `k` (0 major, 1 minor, 2 patch): `1.2` → `1.3.0-0`. */
function past(k: number, M: string, m?: string, p?: string): Version {
  return k === 0
    ? version(+M + 1, 0, 0, '0')
    : k === 1
      ? version(M, +(m as string) + 1, 0, '0')
      : version(M, m as string, +(p as string) + 1, '0');
}

const c = (op: Op, v: Version): Comparator => ({ op, v });

/** One token of a set (`^1.2`, `~1`, `>=1.2.3`, `1.x`, `<2`), as npm's semver desugars it with `includePrerelease`. */
function desugar(op: string, M: string, m?: string, p?: string, pre?: string): Comparator[] {
  const d = given(M, m, p);
  if (op === '^' || op[0] === '~') {
    if (d === 0) return [true];
    // ^ keeps the first non-zero given component; ~ keeps the minor when one is given.
    const k = d === 1 ? 0 : op !== '^' ? 1 : M !== '0' ? 0 : d === 2 || m !== '0' ? 1 : 2;
    return [c('>=', low(d, M, m, p, pre)), c('<', past(k, M, m, p))];
  }
  if ((d === 0 && !isX(m)) || (isX(m) && p !== undefined && !isX(p))) throw new RangeError('x order');
  if (d === 0) return [op !== '>' && op !== '<'];
  if (d === 3) return [c((op || '=') as Op, low(3, M, m, p, pre))];
  if (op === '' || op === '=') return [c('>=', low(d, M, m)), c('<', past(d - 1, M, m))];
  if (op === '>') return [c('>=', past(d - 1, M, m))];
  if (op === '<=') return [c('<', past(d - 1, M, m))];
  return [c(op as Op, low(d, M, m))];
}

/** `a - b`, with `includePrerelease`. */
function hyphen(g: readonly (string | undefined)[]): Comparator[] {
  const [, , fM, fm, fp, fpre, , , tM, tm, tp, tpre] = g;
  const from = given(fM, fm, fp);
  const to = given(tM, tm, tp);
  const out: Comparator[] = [];
  if (from > 0) out.push(c('>=', low(from, fM as string, fm, fp, from === 3 ? (fpre ?? '0') : undefined)));
  if (to > 0) {
    out.push(
      to === 3 && tpre
        ? c('<=', low(3, tM as string, tm, tp, tpre))
        : c('<', past(to - 1, tM as string, tm, tp)),
    );
  }
  return out.length ? out : [true];
}

function parseSet(set: string): Comparator[] {
  const h = HYPHEN.exec(set);
  if (h) return hyphen(h);
  const tokens = set.replace(/(~>?|\^|[<>]=?|=) /g, '$1').split(' ');
  return tokens.flatMap((token): Comparator[] => {
    if (token === '') return [true];
    const t = TOKEN.exec(token);
    if (!t) throw new RangeError('token');
    const [, op, M, m, p, pre] = t as unknown as [string, string, string, string?, string?, string?];
    return desugar(op, M, m, p, pre);
  });
}

/** The comparator sets of a range (any set may hold), or null when it is not a range. */
function parseRange(input: unknown): Comparator[][] | null {
  if (typeof input !== 'string' || input.length > MAX_LENGTH) return null;
  try {
    return input
      .trim()
      .split(/\s+/)
      .join(' ')
      .split('||')
      .map((set) => parseSet(set.trim()));
  } catch {
    return null;
  }
}

/** Whether `input` is a semantic version (`1.2.3`, `1.2.3-beta.1+build`; a leading `v` allowed). */
export function isSemverVersion(input: unknown): boolean {
  return parseVersion(input) !== null;
}

/** Whether `input` is a version range in npm's grammar (`^0.1.0`, `>=0.1.0 <1.0.0`, `1.x || 2.x`). */
export function isSemverRange(input: unknown): boolean {
  return parseRange(input) !== null;
}

/**
 * Whether `version` lies in `range`, prereleases included (`0.2.0-beta.1` satisfies `^0.1.0`).
 * False when either is not valid.
 */
export function satisfiesRange(versionText: string, range: string): boolean {
  const v = parseVersion(versionText);
  const sets = parseRange(range);
  if (!v || !sets) return false;
  return sets.some((set) =>
    set.every((c) => {
      if (typeof c === 'boolean') return c;
      const d = compare(v, c.v);
      return c.op === '<'
        ? d < 0
        : c.op === '<='
          ? d <= 0
          : c.op === '>'
            ? d > 0
            : c.op === '>='
              ? d >= 0
              : d === 0;
    }),
  );
}
