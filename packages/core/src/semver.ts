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

const at = (op: Op, M: string | number, m: string | number, p: string | number, pre?: string) => ({
  op,
  v: version(M, m, p, pre),
});

/** `^` and `~` with `includePrerelease`, as npm's semver desugars them. */
function caretOrTilde(caret: boolean, M: string, m?: string, p?: string, pre?: string): Comparator[] {
  if (isX(M)) return [true];
  if (isX(m)) return [at('>=', M, 0, 0, '0'), at('<', +M + 1, 0, 0, '0')];
  const mm = m as string;
  const upper =
    !caret || (M === '0' && !isX(p) && mm !== '0') || (M === '0' && isX(p))
      ? at('<', M, +mm + 1, 0, '0')
      : M === '0'
        ? at('<', M, mm, +(p as string) + 1, '0')
        : at('<', +M + 1, 0, 0, '0');
  if (isX(p)) return [at('>=', M, mm, 0, '0'), upper];
  return [at('>=', M, mm, p as string, pre), upper];
}

/** An x-range or a primitive comparator (`<`, `<=`, `>`, `>=`, `=` or none). */
function xRange(gtlt: string, M: string, m?: string, p?: string, pre?: string): Comparator[] {
  const xM = isX(M);
  const xm = xM || isX(m);
  const xp = xm || isX(p);
  if ((xM && !isX(m)) || (isX(m) && p !== undefined && !isX(p))) throw new RangeError('x order');
  if (xM) return [gtlt !== '>' && gtlt !== '<'];
  if (!xp) return [at((gtlt || '=') as Op, M, m as string, p as string, pre)];
  if (gtlt === '' || gtlt === '=') {
    return xm
      ? [at('>=', M, 0, 0, '0'), at('<', +M + 1, 0, 0, '0')]
      : [at('>=', M, m as string, 0, '0'), at('<', M, +(m as string) + 1, 0, '0')];
  }
  const mm = xm ? 0 : +(m as string);
  if (gtlt === '>') return [xm ? at('>=', +M + 1, 0, 0, '0') : at('>=', M, mm + 1, 0, '0')];
  if (gtlt === '<=') return [xm ? at('<', +M + 1, 0, 0, '0') : at('<', M, mm + 1, 0, '0')];
  return [at(gtlt as Op, M, mm, 0, '0')];
}

/** `a - b`, with `includePrerelease`. */
function hyphen(g: readonly (string | undefined)[]): Comparator[] {
  const [, , fM, fm, fp, fpre, , , tM, tm, tp, tpre] = g;
  const out: Comparator[] = [];
  if (!isX(fM)) {
    const M = fM as string;
    if (isX(fm)) out.push(at('>=', M, 0, 0, '0'));
    else if (isX(fp)) out.push(at('>=', M, fm as string, 0, '0'));
    else out.push(at('>=', M, fm as string, fp as string, fpre ?? '0'));
  }
  if (!isX(tM)) {
    const M = tM as string;
    if (isX(tm)) out.push(at('<', +M + 1, 0, 0, '0'));
    else if (isX(tp)) out.push(at('<', M, +(tm as string) + 1, 0, '0'));
    else if (tpre) out.push(at('<=', M, tm as string, tp as string, tpre));
    else out.push(at('<', M, tm as string, +(tp as string) + 1, '0'));
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
    if (op === '^' || op[0] === '~') return caretOrTilde(op === '^', M, m, p, pre);
    return xRange(op, M, m, p, pre);
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
