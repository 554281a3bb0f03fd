import { type TactfulError, defineStrategy, isTactfulError } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../src/compile.js';
import { type CompiledPlan, createCompiledOrchestrator } from '../../src/compiled.js';
import { planStamp } from '../../src/plan-format.js';
import { type OrchestratorOptions, createOrchestrator } from '../../src/index.js';
import { consentProvider, memorySource, request, strategy } from '../fixtures.js';

const PURPOSES = ['personalization.contextual', 'personalization.profile', 'personalization.session'];

/** A configuration with a source, a signal between two strategies and a sensitive-free profile read. */
function configuration(granted: readonly string[] = PURPOSES) {
  const profiles = memorySource('profiles', { 'profile.attributes': { tier: 'gold' } });
  const publisher = strategy('publisher', {
    purposes: ['personalization.profile'],
    reads: [{ category: 'profile.attributes', purpose: 'personalization.profile' }],
    publishes: ['tier'],
    priority: 2,
  });
  const reader = strategy('reader', { signalReads: ['tier'], priority: 1 });
  const context = strategy('context', {
    reads: [{ category: 'context.device', purpose: 'personalization.contextual' }],
  });
  return {
    consent: [consentProvider('banner', { granted })],
    sources: [profiles],
    strategies: [reader, context, publisher],
  } satisfies OrchestratorOptions;
}

const roundTrip = (plan: CompiledPlan): CompiledPlan => JSON.parse(JSON.stringify(plan));

function thrown(fn: () => unknown): TactfulError {
  try {
    fn();
  } catch (error) {
    if (isTactfulError(error)) return error;
    throw error;
  }
  throw new Error('expected a TactfulError');
}

/** Every path to a leaf (string, number, boolean) of a JSON value. */
function leaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => leaves(v, [...path, k]));
}

function setAt(root: unknown, path: ReadonlyArray<string | number>, value: unknown): void {
  let at = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path.at(-1)!] = value;
}

describe('compilePlan', () => {
  it('writes plain JSON: the plan survives JSON unchanged and holds no function', () => {
    const plan = compilePlan(configuration());
    expect(roundTrip(plan)).toEqual(plan);
    expect(plan.format).toBe('tactful-plan/1');
    expect(plan.body.strategies.map((s) => s.name)).toEqual(['context', 'publisher', 'reader']);
  });

  it('carries only what the decision path reads: the taxonomy the plugins use, no descriptions', () => {
    const plan = compilePlan(configuration());
    expect(plan.body.taxonomy.categories.map((c) => c.id)).toEqual(['context.device', 'profile.attributes']);
    expect(plan.body.taxonomy.purposes.map((p) => p.id)).toEqual([
      'personalization.contextual',
      'personalization.profile',
    ]);
    // Nor what only registration and the notice read: descriptions, the reasons a read gives.
    expect(JSON.stringify(plan)).not.toMatch(/"description"|"why"|"tcfPurposes"/);
  });

  it('refuses what registration refuses, with the same error: the creepy line (P3)', () => {
    const creepy = strategy('creepy', {
      reads: [{ category: 'health', purpose: 'personalization.profile' }],
    });
    const options = {
      consent: [consentProvider('c')],
      sources: [memorySource('h', { health: {} })],
      strategies: [creepy],
    };
    const compiled = thrown(() => compilePlan(options));
    const registered = thrown(() => createOrchestrator(options));
    expect(compiled.code).toBe('SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT');
    expect(registered.code).toBe(compiled.code);
    expect(compiled.issues).toEqual(registered.issues);
  });
});

describe('createCompiledOrchestrator', () => {
  it('decides exactly as createOrchestrator does, for every consent state and request (P1, P2, P4, P5)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(PURPOSES),
        fc.option(fc.constantFrom('p-1', 'p-2'), { nil: undefined }),
        fc.constantFrom(
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)',
          'Mozilla/5.0 (X11; Linux x86_64)',
        ),
        async (granted, subject, userAgent) => {
          const live = configuration(granted);
          const page = configuration(granted);
          const clock = () => Date.parse('2026-01-15T10:00:00.000Z');
          const direct = createOrchestrator({ ...live, clock });
          const compiled = createCompiledOrchestrator({ plan: roundTrip(compilePlan(live)), ...page, clock });
          const req = request({
            ...(subject === undefined ? {} : { subject: { id: subject } }),
            context: { userAgent },
          });
          expect(await compiled.decide(req)).toEqual(await direct.decide(req));
          expect(page.sources[0]!.calls.length).toBe(live.sources[0]!.calls.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('runs on its own copy: editing the plan object afterwards neither throws nor changes a decision', async () => {
    const clock = () => Date.parse('2026-01-15T10:00:00.000Z');
    const plan = roundTrip(compilePlan(configuration()));
    const tactful = createCompiledOrchestrator({ plan, ...configuration(), clock });
    const req = request({ subject: { id: 'p-1' } });
    const before = await tactful.decide(req);
    expect(Object.isFrozen(plan.body)).toBe(false);
    for (const s of plan.body.strategies) (s.purposes as string[]).length = 0;
    (plan.body.consentFree as string[]).push(...PURPOSES);
    expect(await tactful.decide(req)).toEqual({ ...before, traceId: expect.any(String) });
  });

  it('refuses a plan changed anywhere after compiling (every leaf of its body)', () => {
    const plan = compilePlan(configuration());
    const paths = leaves(plan.body);
    expect(paths.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: paths.length - 1 }),
        fc.oneof(fc.string(), fc.integer(), fc.boolean()),
        (i, value) => {
          const path = paths[i]!;
          const tampered = roundTrip(plan) as unknown as Record<string, unknown>;
          let original: unknown = tampered['body'];
          for (const k of path) original = (original as Record<string | number, unknown>)[k];
          fc.pre(original !== value);
          setAt(tampered['body'], path, value);
          const error = thrown(() =>
            createCompiledOrchestrator({ plan: tampered as unknown as CompiledPlan, ...configuration() }),
          );
          expect(error.code).toBe('INVALID_PLAN');
          expect(error.path).toEqual(['plan', 'stamp']);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('takes the gate from the manifests: a plan forged with a fresh stamp cannot lift consent (P1, P2)', async () => {
    const forged = roundTrip(compilePlan(configuration())) as unknown as {
      stamp: string;
      body: { strategies: Array<{ name: string; purposes: string[]; reads: unknown[] }> };
    };
    const publisher = forged.body.strategies.find((s) => s.name === 'publisher')!;
    publisher.purposes = [];
    publisher.reads = [];
    forged.stamp = planStamp(forged.body as never);
    const error = thrown(() =>
      createCompiledOrchestrator({ plan: forged as unknown as CompiledPlan, ...configuration([]) }),
    );
    expect(error.code).toBe('PLAN_MISMATCH');
    expect(error.path).toEqual(['strategies', 2, 'manifest']);
    expect(error.message).toContain('"publisher"');
  });

  it('refuses a stale plan: a plugin whose manifest changed since compiling, named with its path', () => {
    const plan = roundTrip(compilePlan(configuration()));
    const page = configuration();
    const newer = strategy('context', {
      reads: [
        { category: 'context.device', purpose: 'personalization.contextual' },
        { category: 'context.locale', purpose: 'personalization.contextual' },
      ],
    });
    const error = thrown(() =>
      createCompiledOrchestrator({
        plan,
        ...page,
        strategies: [page.strategies[0]!, newer, page.strategies[2]!],
      }),
    );
    expect(error.code).toBe('PLAN_MISMATCH');
    expect(error.path).toEqual(['strategies', 1, 'manifest']);
    expect(error.message).toContain('"context"');
  });

  it('refuses plugins in another order, missing or of another kind', () => {
    const plan = roundTrip(compilePlan(configuration()));
    const page = configuration();
    const swapped = thrown(() =>
      createCompiledOrchestrator({
        plan,
        ...page,
        strategies: [page.strategies[1]!, page.strategies[0]!, page.strategies[2]!],
      }),
    );
    expect(swapped.code).toBe('PLAN_MISMATCH');
    expect(swapped.issues.map((i) => i.path)).toEqual([
      ['strategies', 0, 'manifest', 'name'],
      ['strategies', 1, 'manifest', 'name'],
    ]);
    const missing = thrown(() => createCompiledOrchestrator({ plan, ...page, sources: [] }));
    expect(missing.code).toBe('PLAN_MISMATCH');
    expect(missing.path).toEqual(['sources']);
    const hostile = Object.defineProperty({}, 'manifest', {
      get() {
        throw new Error('no manifest for you');
      },
    });
    const odd = thrown(() => createCompiledOrchestrator({ plan, ...page, consent: [hostile as never] }));
    expect(odd.code).toBe('PLAN_MISMATCH');
    expect(odd.path).toEqual(['consent', 0, 'manifest', 'name']);
  });

  it('refuses a plan of another format, for another core, or that is not data', () => {
    const plan = roundTrip(compilePlan(configuration()));
    const page = configuration();
    expect(
      thrown(() =>
        createCompiledOrchestrator({ plan: { ...plan, format: 'tactful-plan/0' } as never, ...page }),
      ).code,
    ).toBe('INVALID_PLAN');
    expect(thrown(() => createCompiledOrchestrator({ plan: null as never, ...page })).path).toEqual(['plan']);
    const other = thrown(() => createCompiledOrchestrator({ plan, ...page, coreVersion: '9.9.9' }));
    expect(other.code).toBe('PLAN_MISMATCH');
    expect(other.path).toEqual(['plan', 'body', 'core']);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(
      thrown(() => createCompiledOrchestrator({ plan: { ...plan, body: cyclic } as never, ...page })).code,
    ).toBe('INVALID_PLAN');
  });

  it('needs the merge function a plan was compiled with, and refuses one it was not', () => {
    const pick = () => undefined;
    const custom = roundTrip(compilePlan({ ...configuration(), merge: pick }));
    expect(custom.body.merge).toBe('custom');
    expect(thrown(() => createCompiledOrchestrator({ plan: custom, ...configuration() })).path).toEqual([
      'merge',
    ]);
    expect(() => createCompiledOrchestrator({ plan: custom, ...configuration(), merge: pick })).not.toThrow();
    const policy = roundTrip(compilePlan(configuration()));
    expect(
      thrown(() => createCompiledOrchestrator({ plan: policy, ...configuration(), merge: pick })).path,
    ).toEqual(['merge']);
  });

  it('still checks output at decision time: a proposal whose content is not plain data is dropped (P8)', async () => {
    const sneaky = () =>
      defineStrategy({
        manifest: {
          name: 'sneaky',
          version: '1.0.0',
          core: '^0.1.0',
          purposes: ['personalization.contextual'],
        },
        decide: () => ({
          proposals: [
            { slot: 'home.hero', content: { __proto__: { x: 1 }, ok: 1 }, reason: { en: 'sneaky' } },
          ],
        }),
      });
    const options = { consent: [consentProvider('c')], strategies: [sneaky()] };
    const tactful = createCompiledOrchestrator({
      plan: roundTrip(compilePlan(options)),
      consent: options.consent,
      strategies: [sneaky()],
    });
    const decision = await tactful.decide(request());
    expect(decision.slots[0]?.isDefault).toBe(true);
    expect(decision.dropped).toContainEqual(
      expect.objectContaining({ plugin: 'sneaky', code: 'INVALID_OUTPUT' }),
    );
  });
});
