import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { isSemverRange, isSemverVersion, satisfiesRange } from './semver.js';

// npm's `semver` is the reference: these properties hold for every generated input.
const num = fc.oneof(fc.constantFrom('0', '1', '2', '3', '10'), fc.nat({ max: 30 }).map(String));
const xr = fc.oneof({ weight: 4, arbitrary: num }, { weight: 1, arbitrary: fc.constantFrom('x', 'X', '*') });
const preId = fc.oneof(
  fc.constantFrom('0', '1', '2', 'alpha', 'beta', 'rc', 'a1', '1a', '-', 'x'),
  fc.nat({ max: 12 }).map(String),
);
const pre = fc.array(preId, { minLength: 1, maxLength: 3 }).map((ids) => `-${ids.join('.')}`);
const build = fc.constantFrom('+b', '+build.1', '+001');
const version = fc
  .tuple(num, num, num, fc.option(pre, { nil: '' }), fc.option(build, { nil: '' }))
  .map(([M, m, p, r, b]) => `${M}.${m}.${p}${r}${b}`);
const partial = fc.oneof(
  xr,
  fc.tuple(xr, xr).map(([a, b]) => `${a}.${b}`),
  fc
    .tuple(xr, xr, xr, fc.option(pre, { nil: '' }), fc.option(build, { nil: '' }))
    .map(([a, b, c, r, d]) => `${a}.${b}.${c}${r}${d}`),
);
const op = fc.constantFrom('', '=', '<', '<=', '>', '>=', '^', '~', '~>');
const space = fc.constantFrom('', '', '', ' ');
const token = fc
  .tuple(op, space, fc.constantFrom('', '', 'v'), partial)
  .map(([o, s, v, p]) => `${o}${o ? s : ''}${v}${p}`);
const set = fc.oneof(
  { weight: 4, arbitrary: fc.array(token, { minLength: 1, maxLength: 3 }).map((ts) => ts.join(' ')) },
  { weight: 1, arbitrary: fc.tuple(partial, partial).map(([a, b]) => `${a} - ${b}`) },
  { weight: 1, arbitrary: fc.constant('') },
);
const range = fc
  .tuple(fc.array(set, { minLength: 1, maxLength: 3 }), fc.constantFrom('||', ' || ', '  ||'))
  .map(([sets, or]) => sets.join(or));

const sample = (v: unknown) => (typeof v === 'string' && semver.validRange(v) !== null ? 'range' : 'not');

describe('semver subset', () => {
  it('agrees with semver on which strings are versions', () => {
    const loose = fc.stringMatching(
      /^[ v=]{0,2}[0-9]{1,3}(\.[0-9x]{1,3}){0,3}(-[0-9a-z.-]{0,6})?(\+[0-9a-z.]{0,4})? ?$/,
    );
    fc.assert(
      fc.property(fc.oneof(version, loose, fc.string()), (v) => {
        expect(isSemverVersion(v)).toBe(semver.valid(v) !== null);
      }),
      { numRuns: 3000 },
    );
    expect(isSemverVersion(`${Number.MAX_SAFE_INTEGER}0.0.0`)).toBe(false);
    expect(isSemverVersion(42)).toBe(false);
  });

  it('accepts every range written in the grammar, as semver does, and matches versions as semver does', () => {
    fc.assert(
      fc.property(range, fc.array(version, { minLength: 1, maxLength: 6 }), (r, vs) => {
        const valid = semver.validRange(r) !== null;
        expect(isSemverRange(r)).toBe(valid);
        for (const v of vs) {
          expect([r, v, satisfiesRange(v, r)]).toEqual([
            r,
            v,
            semver.satisfies(v, r, { includePrerelease: true }),
          ]);
        }
      }),
      { numRuns: 4000 },
    );
    // 4,000 generated cases: under a second alone, several on a busy machine.
  }, 30_000);

  it('never accepts a string semver refuses (loose spellings it takes may be refused here)', () => {
    const alphabet = fc.constantFrom(...'0123.xX*^~<>=-| vab+'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: alphabet, maxLength: 16 }), fc.string()), (r) => {
        if (isSemverRange(r)) expect(sample(r)).toBe('range');
      }),
      { numRuns: 5000 },
    );
  });

  it('matches the ranges plugins write', () => {
    expect(satisfiesRange('0.1.0', '^0.1.0')).toBe(true);
    expect(satisfiesRange('0.2.0', '^0.1.0')).toBe(false);
    expect(satisfiesRange('0.1.1-beta.1', '^0.1.0')).toBe(true);
    expect(satisfiesRange('0.4.2', '>=0.1.0 <1.0.0')).toBe(true);
    expect(satisfiesRange('1.0.0-rc.1', '>=0.1.0 <1.0.0')).toBe(true);
    expect(satisfiesRange('0.1.0', '*')).toBe(true);
    expect(satisfiesRange('0.1.0', '')).toBe(true);
    expect(isSemverRange('latest!')).toBe(false);
    expect(isSemverRange('score')).toBe(false);
    expect(isSemverRange('1.x.2')).toBe(false);
    expect(satisfiesRange('not a version', '*')).toBe(false);
    // Corners the generators reach rarely.
    for (const [v, r] of [
      ['1.2.3-beta', '1.2.3+b - 2'],
      ['1.2.3-beta', '1.2.3 - 2'],
      ['2.0.0-0', '1.2.3 - 2'],
      ['9007199254740991.0.0', '^9007199254740991.0.0'],
      ['1.0.0', '>=1.0.0-alpha.10'],
      ['1.0.0-alpha.9', '>=1.0.0-alpha.10'],
    ] as const) {
      expect([v, r, satisfiesRange(v, r)]).toEqual([
        v,
        r,
        semver.satisfies(v, r, { includePrerelease: true }),
      ]);
      expect(isSemverRange(r)).toBe(semver.validRange(r) !== null);
    }
  });
});
