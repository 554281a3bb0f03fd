import {
  CONSENT_STATUSES,
  ConsentStateSchema,
  DATA_ORIGINS,
  formatPath,
  LocalizedTextSchema,
  type StrategyManifest,
  type StrategyOutput,
} from '@tactful/core';
import { z } from 'zod';

/** The shape of one proposal (core's `Proposal`), with scores bounded to [0, 1]. */
export const ProposalSchema = z.object({
  slot: z.string().min(1),
  content: z.unknown(),
  variant: z.string().optional(),
  score: z.number().min(0).max(1).optional(),
  origin: z.enum(DATA_ORIGINS).optional(),
  topics: z.array(z.string()).optional(),
  reason: LocalizedTextSchema,
  signals: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
});

/** The shape of a strategy's output (core's `StrategyOutput`). */
export const StrategyOutputSchema = z.object({
  proposals: z.array(ProposalSchema),
  signals: z.record(z.string(), z.unknown()).optional(),
  vetoes: z.array(z.object({ topic: z.string().min(1), reason: z.optional(LocalizedTextSchema) })).optional(),
});

function zodProblems(error: z.core.$ZodError, prefix: string): string[] {
  return error.issues.map((i) => {
    const path = formatPath(i.path.map((p) => (typeof p === 'number' ? p : String(p))));
    return `${prefix}${i.path.length === 0 ? '' : path.startsWith('[') ? path : `.${path}`}: ${i.message}`;
  });
}

/**
 * Where `value` stops being JSON (a function, a class instance, `NaN`, a bigint …), or
 * `undefined` when it is plain JSON data. Decisions travel over HTTP and into logs, so content
 * must survive `JSON.stringify` unchanged.
 */
export function jsonProblem(value: unknown, path = 'value', seen = new Set<object>()): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : `${path} is ${value}, not a JSON number`;
  if (typeof value !== 'object') return `${path} is a ${typeof value}, not JSON`;
  if (seen.has(value)) return `${path} is a circular reference`;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (item === undefined) return `${path}[${i}] is undefined`;
        const problem = jsonProblem(item, `${path}[${i}]`, seen);
        if (problem) return problem;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      return `${path} is a ${proto?.constructor?.name ?? 'class'} instance, not a plain object`;
    }
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      const problem = jsonProblem(item, `${path}.${key}`, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}

/** What a strategy's output is checked against. */
export interface StrategyOutputExpectations {
  /** The slot ids requested. */
  readonly slots: ReadonlyArray<string>;
  /** The categories the strategy was given (present in `input.data`). */
  readonly provided: ReadonlyArray<string>;
}

/**
 * Every way `output` breaks the strategy contract (empty when it keeps it): its shape; proposals
 * for requested slots only, scores in [0, 1], a reason in every proposal, JSON content;
 * `categories` only among those given; published signals only those declared in the manifest.
 */
export function strategyOutputProblems(
  output: unknown,
  manifest: StrategyManifest,
  expected: StrategyOutputExpectations,
): string[] {
  const parsed = StrategyOutputSchema.safeParse(output);
  const problems: string[] = parsed.success ? [] : zodProblems(parsed.error, 'output');
  const shaped =
    typeof output === 'object' &&
    output !== null &&
    Array.isArray((output as StrategyOutput).proposals) &&
    (output as StrategyOutput).proposals.every((p) => typeof p === 'object' && p !== null);
  if (!shaped) return problems;
  const value = output as StrategyOutput;
  const slots = new Set(expected.slots);
  const provided = new Set(expected.provided);
  value.proposals.forEach((proposal, i) => {
    const at = `output.proposals[${i}]`;
    if (!slots.has(proposal.slot)) {
      problems.push(`${at}.slot: "${proposal.slot}" was not requested (requested: ${[...slots].join(', ')})`);
    }
    const json = jsonProblem(proposal.content, `${at}.content`);
    if (json) problems.push(json);
    for (const category of Array.isArray(proposal.categories) ? proposal.categories : []) {
      if (!provided.has(category)) {
        problems.push(`${at}.categories: "${category}" was not in the data the strategy was given`);
      }
    }
  });
  const declared = new Set(manifest.signals.publishes.map((s) => s.name));
  const published = typeof value.signals === 'object' && value.signals !== null ? value.signals : {};
  for (const name of Object.keys(published)) {
    if (!declared.has(name)) {
      problems.push(`output.signals: "${name}" is not declared in manifest.signals.publishes`);
    }
  }
  for (const [name, signal] of Object.entries(published)) {
    const json = jsonProblem(signal, `output.signals.${name}`);
    if (json) problems.push(json);
  }
  return problems;
}

/** True when `output` proposes nothing that used data: no proposal names a category. */
export function isFallbackOutput(output: StrategyOutput): boolean {
  return output.proposals.every((p) => (p.categories ?? []).length === 0);
}

/**
 * Every way a consent provider's answer breaks the contract (empty when it keeps it): the shape
 * of core's `ConsentState`, statuses only in {granted, denied}, and answers only about the
 * purposes asked.
 */
export function consentStateProblems(state: unknown, asked: ReadonlyArray<string>): string[] {
  const parsed = ConsentStateSchema.safeParse(state);
  if (!parsed.success) return zodProblems(parsed.error, 'state');
  const problems: string[] = [];
  const purposes = new Set(asked);
  for (const [purpose, consent] of Object.entries(parsed.data.purposes)) {
    if (!purposes.has(purpose)) problems.push(`state.purposes: "${purpose}" was not asked about`);
    if (!(CONSENT_STATUSES as readonly string[]).includes(consent.status)) {
      problems.push(`state.purposes.${purpose}.status: "${consent.status}" is not granted or denied`);
    }
  }
  return problems;
}

/** The purposes a consent state grants. */
export function grantedPurposes(state: { purposes: Record<string, { status: string }> }): string[] {
  return Object.entries(state.purposes)
    .filter(([, consent]) => consent.status === 'granted')
    .map(([purpose]) => purpose);
}

/**
 * True when a value holds nothing: `undefined`, `null`, an empty array, or an object without
 * keys. The data source suite uses it for "nothing left after erase".
 */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}
