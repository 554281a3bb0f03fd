import { StrategyManifestSchema } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consentStateProblems, isEmptyValue, jsonProblem, strategyOutputProblems } from './output-checks.js';

const manifest = StrategyManifestSchema.parse({
  kind: 'strategy',
  name: 'x',
  version: '1.0.0',
  core: '^0.1.0',
  purposes: ['personalization.profile'],
  reads: [{ category: 'profile.preferences', purpose: 'personalization.profile' }],
  signals: { publishes: [{ name: 'x.topics' }] },
});
const reason = { en: 'Because' };
const expected = { slots: ['home.hero'], provided: ['profile.preferences'] };

describe('strategyOutputProblems', () => {
  it('accepts a valid output', () => {
    const output = {
      proposals: [
        {
          slot: 'home.hero',
          content: { a: [1, 'b'] },
          score: 1,
          reason,
          categories: ['profile.preferences'],
        },
      ],
      signals: { 'x.topics': ['kids'] },
    };
    expect(strategyOutputProblems(output, manifest, expected)).toEqual([]);
  });

  it('names every problem with its path', () => {
    const output = {
      proposals: [
        { slot: 'cart', content: new Date(0), score: 2, reason, categories: ['health'] },
        { slot: 'home.hero', content: 1 },
      ],
      signals: { 'other.signal': 1 },
    };
    const problems = strategyOutputProblems(output, manifest, expected);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^output\.proposals\[0\]\.score: /),
        expect.stringMatching(/^output\.proposals\[1\]\.reason: /),
        'output.proposals[0].slot: "cart" was not requested (requested: home.hero)',
        'output.proposals[0].content is a Date instance, not a plain object',
        'output.proposals[0].categories: "health" was not in the data the strategy was given',
        'output.signals: "other.signal" is not declared in manifest.signals.publishes',
      ]),
    );
  });

  it('rejects a non-object output', () => {
    expect(strategyOutputProblems(undefined, manifest, expected)).not.toEqual([]);
  });

  it('for all scores: accepted exactly when in [0, 1]', () => {
    fc.assert(
      fc.property(fc.double(), (score) => {
        const problems = strategyOutputProblems(
          { proposals: [{ slot: 'home.hero', content: null, score, reason }] },
          manifest,
          expected,
        );
        expect(problems.length === 0).toBe(score >= 0 && score <= 1);
      }),
    );
  });
});

describe('jsonProblem', () => {
  it('accepts every JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonProblem(value)).toBeUndefined();
      }),
    );
  });

  it('rejects functions, NaN, bigints, class instances and cycles', () => {
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(jsonProblem({ f: () => 1 })).toMatch(/value\.f is a function/);
    expect(jsonProblem([Number.NaN])).toMatch(/value\[0\] is NaN/);
    expect(jsonProblem(1n)).toMatch(/bigint/);
    expect(jsonProblem(new Map())).toMatch(/Map instance/);
    expect(jsonProblem(cycle)).toMatch(/circular/);
  });
});

describe('consentStateProblems', () => {
  it('accepts granted and denied answers about asked purposes only', () => {
    const state = { purposes: { measurement: { status: 'granted', provider: 'p' } } };
    expect(consentStateProblems(state, ['measurement'])).toEqual([]);
    expect(consentStateProblems(state, [])).toEqual(['state.purposes: "measurement" was not asked about']);
    expect(
      consentStateProblems({ purposes: { measurement: { status: 'unknown', provider: 'p' } } }, [
        'measurement',
      ]),
    ).not.toEqual([]);
  });
});

describe('isEmptyValue', () => {
  it('treats undefined, null, [] and {} as nothing, and anything else as something', () => {
    for (const v of [undefined, null, [], {}]) expect(isEmptyValue(v)).toBe(true);
    for (const v of [0, '', false, [0], { a: undefined }]) expect(isEmptyValue(v)).toBe(false);
  });
});
