import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OutputLimits, checkOutput } from '../src/output.js';
import { checkOutput as checkOutputBefore } from './output-before.js';

/**
 * A recipe for a value: built afresh for each check (every check freezes what it walks, so the old
 * and the new walk must each get their own copy of the same value, cycles, getters and proxies
 * included).
 */
type Recipe =
  | { readonly t: 'json'; readonly v: unknown }
  | {
      readonly t: 'odd';
      readonly v: 'symbol' | 'bigint' | 'function' | 'nan' | 'infinity' | 'class' | 'date';
    }
  | { readonly t: 'array'; readonly items: readonly Recipe[]; readonly holes: readonly number[] }
  | {
      readonly t: 'object';
      readonly entries: ReadonlyArray<readonly [string, Recipe, 'data' | 'getter' | 'hidden']>;
      readonly nullProto: boolean;
    }
  | { readonly t: 'proxy'; readonly inner: Recipe; readonly trap: 'none' | 'get' | 'ownKeys' | 'freeze' }
  | { readonly t: 'cycle' };

const KEYS = fc.oneof(
  fc.constantFrom('__proto__', 'prototype', 'constructor', 'a', 'b', 'title', '0', 'length'),
  fc.string({ maxLength: 6 }),
);

const { recipe } = fc.letrec<{ recipe: Recipe }>((tie) => ({
  recipe: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constant('json' as const), v: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({
      t: fc.constant('odd' as const),
      v: fc.constantFrom('symbol', 'bigint', 'function', 'nan', 'infinity', 'class', 'date') as fc.Arbitrary<
        'symbol' | 'bigint' | 'function' | 'nan' | 'infinity' | 'class' | 'date'
      >,
    }),
    fc.record({
      t: fc.constant('array' as const),
      items: fc.array(tie('recipe'), { maxLength: 4 }),
      holes: fc.array(fc.nat({ max: 5 }), { maxLength: 2 }),
    }),
    fc.record({
      t: fc.constant('object' as const),
      entries: fc.array(
        fc.tuple(
          KEYS,
          tie('recipe'),
          fc.constantFrom('data', 'getter', 'hidden') as fc.Arbitrary<'data' | 'getter' | 'hidden'>,
        ),
        { maxLength: 4 },
      ),
      nullProto: fc.boolean(),
    }),
    fc.record({
      t: fc.constant('proxy' as const),
      inner: tie('recipe'),
      trap: fc.constantFrom('none', 'get', 'ownKeys', 'freeze') as fc.Arbitrary<
        'none' | 'get' | 'ownKeys' | 'freeze'
      >,
    }),
    fc.record({ t: fc.constant('cycle' as const) }),
  ),
}));

class Point {
  x = 1;
}

/** Builds a fresh value from a recipe; `cycle` refers to the nearest enclosing object or array. */
function build(r: Recipe, parent: object | undefined): unknown {
  switch (r.t) {
    case 'json':
      return structuredClone(r.v);
    case 'odd':
      switch (r.v) {
        case 'symbol':
          return Symbol('s');
        case 'bigint':
          return 10n;
        case 'function':
          return () => 1;
        case 'nan':
          return Number.NaN;
        case 'infinity':
          return Number.POSITIVE_INFINITY;
        case 'class':
          return new Point();
        case 'date':
          return new Date(0);
      }
      return undefined;
    case 'cycle':
      return parent ?? {};
    case 'array': {
      const out: unknown[] = [];
      for (const item of r.items) out.push(build(item, out));
      // Holes: indexes past the end left empty (a sparse array, read as undefined).
      for (const h of r.holes) if (h >= out.length) out.length = h + 1;
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = r.nullProto ? Object.create(null) : {};
      for (const [key, inner, kind] of r.entries) {
        const value = build(inner, out);
        // Own properties only (an own `__proto__` as JSON.parse makes one), never a prototype change.
        if (kind === 'data')
          Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else if (kind === 'getter')
          Object.defineProperty(out, key, { get: () => value, enumerable: true, configurable: true });
        else
          Object.defineProperty(out, key, { value, enumerable: false, writable: true, configurable: true });
      }
      return out;
    }
    case 'proxy': {
      const target = build(r.inner, parent);
      if (typeof target !== 'object' || target === null) return target;
      const fail = () => {
        throw new Error('trap');
      };
      const handler: ProxyHandler<object> =
        r.trap === 'get'
          ? { get: fail }
          : r.trap === 'ownKeys'
            ? { ownKeys: fail }
            : r.trap === 'freeze'
              ? { preventExtensions: fail }
              : {};
      return new Proxy(target, handler);
    }
  }
}

/** What a check said: the code and reason, or (accepted) the signals' names and proposals' slots. */
/** Whether a getter or setter is reachable through enumerable own properties (what the walk reads). */
function hasGetter(value: unknown, seen: Set<object>): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  try {
    for (const key of Object.keys(value)) {
      const d = Object.getOwnPropertyDescriptor(value, key);
      if (d === undefined) continue;
      if (!('value' in d)) return true;
      if (hasGetter(d.value, seen)) return true;
    }
  } catch (error) {
    // A proxy whose traps throw: the walk refuses it too.
    if (!(error instanceof Error && error.message === 'trap')) throw error;
  }
  return false;
}

function verdict(check: typeof checkOutputBefore, value: unknown, limits: OutputLimits): unknown {
  const out = check(value, new Set(['home.hero']), ['seg', 'other'], [], limits);
  if ('code' in out) return { code: out.code, reason: out.reason };
  return { signals: [...out.signals.keys()], proposals: out.proposals.map((p) => p.slot) };
}

/** True when every object reachable through data properties (non-enumerable ones too) is frozen. */
function deepFrozen(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return true;
  seen.add(value);
  if (!Object.isFrozen(value)) return false;
  for (const key of Object.keys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (d && 'value' in d && !deepFrozen(d.value, seen)) return false;
  }
  return true;
}

const limitsArb: fc.Arbitrary<OutputLimits> = fc.record({
  maxOutputBytes: fc.integer({ min: 1, max: 400 }),
  maxProposals: fc.constant(10),
  maxDepth: fc.integer({ min: 1, max: 8 }),
});

describe('one walk measures, checks and freezes an output (same verdicts as the two walks before)', () => {
  it('for every value as a published signal and as content, the verdict and message are the old ones', () => {
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(recipe, recipe, limitsArb, fc.boolean(), (signal, content, limits, asContent) => {
        const make = () => ({
          proposals: [
            { slot: 'home.hero', content: asContent ? build(content, undefined) : 'c', reason: { en: 'r' } },
          ],
          signals: { seg: build(signal, undefined) },
        });
        // A getter is now refused where the two walks read it (see the tests below); the rest
        // is judged exactly as before.
        const probe = make();
        if (hasGetter(probe.signals.seg, new Set()) || hasGetter(probe.proposals[0]?.content, new Set()))
          return;
        const seen = make();
        const got = verdict(checkOutput, seen, limits);
        expect(got).toEqual(verdict(checkOutputBefore, make(), limits));
        const code = (got as { code?: string }).code ?? 'accepted';
        codes.set(code, (codes.get(code) ?? 0) + 1);
        // Accepted: the signal the strategies will share is frozen all the way down (through data
        // properties; a getter's answer is read, measured and frozen when it is an object).
        if (!('code' in (got as object)) && typeof seen.signals.seg === 'object') {
          try {
            expect(deepFrozen(seen.signals.seg)).toBe(true);
          } catch (error) {
            // A proxy whose traps throw cannot be inspected here either; it was judged identically above.
            if (!(error instanceof Error && error.message === 'trap')) throw error;
          }
        }
      }),
      { numRuns: 3000 },
    );
    // The runs reach every verdict: accepted, refused as malformed, refused as too large.
    expect(codes.get('accepted')).toBeGreaterThan(200);
    expect(codes.get('INVALID_OUTPUT')).toBeGreaterThan(200);
    expect(codes.get('PAYLOAD_TOO_LARGE')).toBeGreaterThan(50);
  });

  it('refuses a published signal with a forbidden key, a cycle or a symbol by the same message as before', () => {
    const limits: OutputLimits = { maxOutputBytes: 10_000, maxProposals: 10, maxDepth: 8 };
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const cases: unknown[] = [
      JSON.parse('{"__proto__":{"x":1}}'),
      cyclic,
      { s: Symbol('x') },
      Object.assign(new Array(3), { 0: 1, 2: 3 }),
      { n: 1n },
    ];
    for (const seg of cases) {
      const now = checkOutput({ proposals: [], signals: { seg } }, new Set(), ['seg'], [], limits);
      const before = checkOutputBefore({ proposals: [], signals: { seg } }, new Set(), ['seg'], [], limits);
      expect(now).toEqual(before);
    }
    expect(
      checkOutput({ proposals: [], signals: { seg: cases[0] } }, new Set(), ['seg'], [], limits),
    ).toEqual({
      code: 'INVALID_OUTPUT',
      reason: 'signals["seg"]: the key "__proto__" is not allowed (it could change an object\'s prototype)',
    });
    expect(checkOutput({ proposals: [], signals: { seg: cyclic } }, new Set(), ['seg'], [], limits)).toEqual({
      code: 'INVALID_OUTPUT',
      reason: 'signals["seg"]: nested deeper than 8 levels (or circular)',
    });
  });

  it('refuses a getter in a published signal or in content without calling it (it could answer differently later)', () => {
    let reads = 0;
    const seg = {
      get names() {
        reads++;
        return ['loyal'];
      },
    };
    const limits: OutputLimits = { maxOutputBytes: 10_000, maxProposals: 10, maxDepth: 8 };
    const out = checkOutput({ proposals: [], signals: { seg } }, new Set(), ['seg'], [], limits);
    expect(out).toMatchObject({ code: 'INVALID_OUTPUT' });
    expect((out as { reason: string }).reason).toContain('"names" is a getter or setter');
    expect(reads).toBe(0);
    // The same in an array index, and in content.
    const list = [1, 2];
    Object.defineProperty(list, 1, { get: () => 2, enumerable: true });
    expect(
      checkOutput({ proposals: [], signals: { seg: { list } } }, new Set(), ['seg'], [], limits),
    ).toMatchObject({
      code: 'INVALID_OUTPUT',
    });
    const content = Object.defineProperty({ title: 'ok' }, 'body', { get: () => 'late', enumerable: true });
    expect(
      checkOutput(
        { proposals: [{ slot: 'home.hero', content, reason: { en: 'r' } }] },
        new Set(['home.hero']),
        [],
        [],
        limits,
      ),
    ).toMatchObject({ code: 'INVALID_OUTPUT' });
  });

  it('never accepts a value with a getter anywhere in it', () => {
    fc.assert(
      fc.property(recipe, limitsArb, (signal, limits) => {
        const value = build(signal, undefined);
        if (!hasGetter(value, new Set())) return;
        const got = verdict(checkOutput, { proposals: [], signals: { seg: value } }, limits);
        expect('code' in (got as object)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
