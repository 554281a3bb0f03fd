import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORBIDDEN_KEYS } from '@tactful/core';
import { createOrchestrator } from '../src/index.js';
import { type OutputLimits, checkOutput } from '../src/output.js';
import { consentProvider, request, strategy } from './fixtures.js';

const SLOTS: ReadonlySet<string> = new Set(['home.hero']);
const output = (content: unknown) => ({
  proposals: [{ slot: 'home.hero', content, reason: { en: 'r' } }],
});

/** Freezes a value and everything in it (arrays and plain objects). */
function freezeAll<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) freezeAll(v);
    Object.freeze(value);
  }
  return value;
}

/** The outcome of a check, comparable across calls: the code and reason, or what was accepted. */
function outcome(value: unknown, limits: OutputLimits): unknown {
  const checked = checkOutput(value, SLOTS, [], [], limits);
  return 'code' in checked ? { code: checked.code, reason: checked.reason } : checked.proposals;
}

describe('content measured once stays measured right', () => {
  // Content that can change between decisions must be measured every time: the outputs that reuse
  // one frozen content object decision after decision are the only ones whose cost is remembered.
  it('refuses a content with a getter, without calling it: it could answer the check "small" and the page 600 kB', async () => {
    let calls = 0;
    const content = Object.freeze({
      get body() {
        calls++;
        return calls > 1 ? 'x'.repeat(600_000) : 'small';
      },
    });
    const tactful = createOrchestrator({
      consent: [consentProvider('consent')],
      strategies: [strategy('s', { decide: () => output(content) })],
    });
    for (let i = 0; i < 3; i++) {
      const d = await tactful.decide(request());
      expect(d.slots[0]).toMatchObject({ isDefault: true });
      expect(d.dropped).toContainEqual(expect.objectContaining({ plugin: 's', code: 'INVALID_OUTPUT' }));
      expect(JSON.stringify(d).length).toBeLessThan(10_000);
    }
    expect(calls).toBe(0);
  });

  it('freezes an inner array a frozen content left writable, so it cannot grow after the check', async () => {
    const items: string[] = ['a'];
    const content = Object.freeze({ items });
    const tactful = createOrchestrator({
      consent: [consentProvider('consent')],
      strategies: [strategy('s', { decide: () => output(content) })],
    });
    for (let i = 0; i < 3; i++) expect((await tactful.decide(request())).slots[0]?.isDefault).toBe(false);
    expect(Object.isFrozen(items)).toBe(true);
    expect(() => items.push('0123456789')).toThrow(TypeError);
    expect((await tactful.decide(request())).slots[0]?.content).toEqual({ items: ['a'] });
  });

  it('refuses a remembered content against a smaller budget or depth exactly as a first walk would', () => {
    const content = freezeAll({ a: { b: { c: ['x'.repeat(500)] } } });
    const roomy: OutputLimits = { maxOutputBytes: 10_000, maxProposals: 10, maxDepth: 8 };
    for (let i = 0; i < 3; i++) expect(Array.isArray(outcome(output(content), roomy))).toBe(true);
    const small: OutputLimits = { ...roomy, maxOutputBytes: 100 };
    const shallow: OutputLimits = { ...roomy, maxDepth: 2 };
    const fresh = () => output(structuredClone(content));
    expect(outcome(output(content), small)).toEqual(outcome(fresh(), small));
    expect(outcome(output(content), small)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(outcome(output(content), shallow)).toEqual(outcome(fresh(), shallow));
    expect(outcome(output(content), shallow)).toMatchObject({ code: 'INVALID_OUTPUT' });
  });

  it('for every content and every pair of limits, a remembered content is judged as a never-seen copy', () => {
    const limitsArb = fc.record({
      maxOutputBytes: fc.integer({ min: 1, max: 4000 }),
      maxProposals: fc.constant(10),
      maxDepth: fc.integer({ min: 1, max: 10 }),
    });
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        limitsArb,
        limitsArb,
        fc.boolean(),
        (value, first, then, frozen) => {
          const content = frozen ? freezeAll(structuredClone(value)) : structuredClone(value);
          // Seen twice (and so remembered when it can be), then judged under other limits.
          outcome(output(content), first);
          outcome(output(content), first);
          expect(outcome(output(content), then)).toEqual(outcome(output(structuredClone(value)), then));
          expect(outcome(output(content), first)).toEqual(outcome(output(structuredClone(value)), first));
          // At the exact edge of the budget: the smallest budget a never-seen copy fits in, and one less.
          const deep: OutputLimits = { maxOutputBytes: 1, maxProposals: 10, maxDepth: 10 };
          const fits = (bytes: number, v: unknown) =>
            Array.isArray(outcome(output(v), { ...deep, maxOutputBytes: bytes }));
          let lo = 1;
          let hi = 1 << 20;
          if (!fits(hi, structuredClone(value))) return;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (fits(mid, structuredClone(value))) hi = mid;
            else lo = mid + 1;
          }
          expect(fits(lo, content)).toBe(true);
          if (lo > 1) expect(fits(lo - 1, content)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('a frozen part reused inside fresh output stays measured right', () => {
  // A strategy may build its output afresh for every decision around parts it shares (a device
  // description inside a signal, a catalog entry inside a list): those parts are remembered too,
  // and must be judged at the depth and against the budget where they sit each time.
  it('judges a remembered inner part at the depth it sits, as a never-seen copy', () => {
    const part = freezeAll({ b: { c: ['x'] } });
    const limits: OutputLimits = { maxOutputBytes: 10_000, maxProposals: 10, maxDepth: 4 };
    const at = (depth: number) => {
      let v: unknown = part;
      for (let d = 0; d < depth; d++) v = { wrap: v };
      return v;
    };
    const copy = (depth: number) => structuredClone(at(depth));
    for (let i = 0; i < 3; i++) expect(Array.isArray(outcome(output(at(1)), limits))).toBe(true);
    // The part holds objects two levels down: at depth 2 its array sits at the limit (4).
    expect(outcome(output(at(2)), limits)).toMatchObject({ code: 'INVALID_OUTPUT' });
    expect(outcome(output(at(2)), limits)).toEqual(outcome(output(copy(2)), limits));
    expect(outcome(output(at(1)), limits)).toEqual(outcome(output(copy(1)), limits));
  });

  it('counts a remembered part of a published signal against the budget, and publishes it', () => {
    const device = freezeAll({ type: 'mobile', os: 'android', name: 'x'.repeat(200) });
    const limits: OutputLimits = { maxOutputBytes: 400, maxProposals: 10, maxDepth: 8 };
    const publishing = (extra: string) => ({ proposals: [], signals: { s: { extra, device } } });
    for (let i = 0; i < 3; i++) {
      const checked = checkOutput(publishing('y'), SLOTS, ['s'], [], limits);
      expect('code' in checked ? checked.code : checked.signals.get('s')).toEqual({ extra: 'y', device });
    }
    // Fits alone, not with the part beside it: the part still costs what a walk would charge.
    expect(checkOutput(publishing('y'.repeat(150)), SLOTS, ['s'], [], limits)).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(
      checkOutput({ proposals: [], signals: { s: 'y'.repeat(150) } }, SLOTS, ['s'], [], limits),
    ).not.toHaveProperty('code');
  });
});

describe('proposed content crosses the boundary frozen', () => {
  it("a caller editing a decision's content cannot change the next decision (the strategy reuses its object)", async () => {
    // A strategy serving the same object every time, as one serving its configured content does.
    const content = { title: 'Rain gear ships free', tags: ['rain'] };
    const edits: string[] = [];
    const tactful = createOrchestrator({
      consent: [consentProvider('consent')],
      strategies: [strategy('s', { decide: () => output(content) })],
    });
    tactful.on('decision', (d) => {
      try {
        (d.slots[0]!.content as { title: string }).title = 'edited by a listener';
      } catch {
        edits.push('listener refused');
      }
    });
    const first = await tactful.decide(request());
    try {
      (first.slots[0]!.content as { tags: string[] }).tags.push('edited by the application');
    } catch {
      edits.push('application refused');
    }
    const next = await tactful.decide(request());
    expect(next.slots[0]!.content).toEqual({ title: 'Rain gear ships free', tags: ['rain'] });
    expect(edits).toEqual(['listener refused', 'application refused', 'listener refused']);
  });

  it('a strategy cannot change content after it was checked (a late write to make it huge is refused)', async () => {
    const content: { body: string } = { body: 'small' };
    const tactful = createOrchestrator({
      consent: [consentProvider('consent')],
      strategies: [strategy('s', { decide: () => output(content) })],
    });
    const decision = await tactful.decide(request());
    expect(() => {
      content.body = 'x'.repeat(1_000_000);
    }).toThrow(TypeError);
    expect(decision.slots[0]!.content).toEqual({ body: 'small' });
  });

  it('for every plain content, the decision holds it deep-frozen and equal to what was proposed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 5 }), async (value) => {
        // Content with a forbidden key (`prototype`, ...) is refused, not held: another test's case.
        const hasForbiddenKey = (v: unknown): boolean =>
          typeof v === 'object' &&
          v !== null &&
          Object.entries(v).some(([k, x]) => FORBIDDEN_KEYS.has(k) || hasForbiddenKey(x));
        fc.pre(!hasForbiddenKey(value));
        const proposed = structuredClone(value);
        const tactful = createOrchestrator({
          consent: [consentProvider('consent')],
          strategies: [strategy('s', { decide: () => output(proposed) })],
        });
        const decision = await tactful.decide(request());
        const got = decision.slots[0]!.content;
        if (proposed === undefined) return;
        expect(got).toEqual(value);
        const walk = (v: unknown): void => {
          if (typeof v !== 'object' || v === null) return;
          expect(Object.isFrozen(v)).toBe(true);
          for (const x of Object.values(v)) walk(x);
        };
        walk(got);
      }),
      { numRuns: 150 },
    );
  });
});
