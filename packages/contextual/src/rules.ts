import {
  LocalizedTextSchema,
  SlotRequestSchema,
  TactfulError,
  type TactfulErrorCode,
  compileCondition,
  isTactfulError,
  type RegexEngine,
} from '@tactful/core';
import * as z from 'zod/mini';

/**
 * A contextual rule: when the condition holds over the `contextual.context` signal, propose
 * `content` for `slot`. Conditions use the condition language of `@tactful/core`
 * (MongoDB-style: `{ "weather.raining": true, "device.class": { "$in": ["mobile", "tablet"] } }`).
 */
export const ContextualRuleSchema = z.object({
  /** A stable id, used in errors, variants and explanations. */
  id: z
    .string()
    .check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'use letters, digits and . _ : - only, e.g. "rain-gear"')),
  slot: SlotRequestSchema.shape.id,
  /** The condition over the contextual signals. */
  when: z.record(z.string(), z.unknown()),
  /** The content to serve: any JSON value your application understands. */
  content: z.unknown().check(z.refine((v) => v !== undefined, 'give the content to serve for this rule')),
  /** The variant id (defaults to the rule id). */
  variant: z.optional(z.string().check(z.maxLength(128))),
  /** Among matching rules for the same slot, the highest priority wins (ties: the first written). */
  priority: z._default(z.number().check(z.int(), z.gte(-1000), z.lte(1000)), 0),
  /** Relevance in [0, 1] for score and weighted merges. */
  score: z.optional(z.number().check(z.gte(0), z.lte(1))),
  /** Why, for "Why am I seeing this?" — in English and Vietnamese. */
  reason: LocalizedTextSchema,
  /** Topics the content is about (a declared "not interested" in one of them removes it). */
  topics: z.optional(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(20))),
});
/** A contextual rule, as written. */
export type ContextualRuleInput = z.input<typeof ContextualRuleSchema>;
/** A contextual rule, with defaults applied. */
export type ContextualRule = z.output<typeof ContextualRuleSchema>;

/** Which data category each top-level signal field comes from. */
export const SIGNAL_CATEGORIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  daypart: ['context.time'],
  hour: ['context.time'],
  dayOfWeek: ['context.time'],
  weekend: ['context.time'],
  season: ['context.time', 'context.location.coarse'],
  holidays: ['context.time', 'context.location.coarse'],
  device: ['context.device'],
  locale: ['context.locale'],
  language: ['context.locale'],
  country: ['context.location.coarse'],
  region: ['context.location.coarse'],
  city: ['context.location.coarse'],
  weather: ['context.weather', 'context.location.coarse'],
  near: ['location.precise'],
});

/** A rule ready to evaluate. */
export interface CompiledRule {
  readonly rule: ContextualRule;
  readonly index: number;
  readonly test: (facts: Readonly<Record<string, unknown>>) => boolean;
  /** Every dotted path the condition reads. */
  readonly paths: readonly string[];
  /** The data categories those paths come from. */
  readonly categories: readonly string[];
}

/**
 * Compiles contextual rules, checking each reads only contextual signals. Throws
 * `INVALID_CONDITION` (unknown operator, malformed condition) or `INVALID_OPTIONS` (a path that
 * is not a contextual signal), naming the rule.
 */
export function compileRules(
  rules: ReadonlyArray<ContextualRule>,
  plugin: string,
  regex?: RegexEngine,
): CompiledRule[] {
  // Every bad rule is reported at once, each with its path (the first problem names the error).
  const problems: Array<{
    code: TactfulErrorCode;
    path: Array<string | number>;
    message: string;
    cause?: unknown;
  }> = [];
  const ids = new Set<string>();
  const compiled: CompiledRule[] = [];
  rules.forEach((rule, index) => {
    if (ids.has(rule.id)) {
      problems.push({
        code: 'INVALID_OPTIONS',
        path: ['rules', index, 'id'],
        message: `${plugin}: rules[${index}]: the id "${rule.id}" is used twice; give each rule its own id`,
      });
      return;
    }
    ids.add(rule.id);
    let test: CompiledRule['test'] & { paths: readonly string[] };
    try {
      test = compileCondition(rule.when, regex === undefined ? {} : { regex });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push({
        code: 'INVALID_CONDITION',
        path: ['rules', index, 'when', ...(isTactfulError(error) && error.path ? error.path : [])],
        message: `${plugin}: rule "${rule.id}": ${message}`,
        cause: error,
      });
      return;
    }
    const categories = new Set<string>();
    let ok = true;
    for (const path of test.paths) {
      const field = path.split('.')[0] ?? '';
      const from = SIGNAL_CATEGORIES[field];
      if (from === undefined) {
        ok = false;
        problems.push({
          code: 'INVALID_OPTIONS',
          path: ['rules', index, 'when', path],
          message: `${plugin}: rule "${rule.id}" reads "${path}", which is not a contextual signal; use one of: ${Object.keys(SIGNAL_CATEGORIES).join(', ')}`,
        });
        continue;
      }
      for (const c of from) categories.add(c);
    }
    if (ok) compiled.push({ rule, index, test, paths: [...test.paths], categories: [...categories] });
  });
  const first = problems[0];
  if (first) {
    throw new TactfulError(first.code, problems.map((p) => p.message).join('; '), {
      plugin,
      path: first.path,
      issues: problems.map(({ path, message }) => ({ path, message })),
      ...(first.cause === undefined ? {} : { cause: first.cause }),
    });
  }
  return compiled;
}
