import type { ConfigProblem } from '@tactful/config';

/** The configuration reference, where every field is described. */
export const REFERENCE_URL = 'docs/reference/configuration.md';

const BY_CODE: Record<string, string> = {
  INVALID_CONDITION:
    'conditions are MongoDB-style: dotted paths with $eq $ne $gt $gte $lt $lte $in $nin $exists $regex $elemMatch $all $size $not $and $or $nor',
  UNKNOWN_CATEGORY:
    'use a built-in data category, or declare it under taxonomy.categories; `tactful notice` lists the ones in use',
  UNKNOWN_PURPOSE: 'use a built-in purpose, or declare it under taxonomy.purposes',
  MISSING_CATEGORY_PROVIDER:
    'no data source provides this category: add the source (a plugin) or remove the rule that reads it',
  MISSING_SIGNAL_PUBLISHER:
    'a rule reads a signal no strategy publishes: configure the strategy that publishes it (segments, contextual, anonymousSession)',
  DEPENDENCY_CYCLE: 'two strategies read each other’s signals; remove one of the reads',
  SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT:
    'sensitive data needs a purpose with explicitConsentFor naming the category (taxonomy.purposes), or drop the rule',
  DUPLICATE_PLUGIN: 'give each plugin instance its own "name"',
  UNSUPPORTED_CORE_VERSION: 'install a version of the plugin built for this @tactful/core',
  INVALID_MANIFEST: 'the plugin’s manifest is invalid: report it to the plugin’s author',
};

/** Hints for the shape checks' common messages. */
function byMessage(p: ConfigProblem): string | undefined {
  const field = p.path[p.path.length - 1];
  if (/received undefined/.test(p.message) && field !== undefined) return `add the required field "${field}"`;
  if (/^Invalid option: expected one of/.test(p.message)) return 'use one of the values listed';
  if (/^Too (big|small)/.test(p.message)) return 'use a value within the limits the reference gives';
  return undefined;
}

/** The reference section a path belongs to, as an anchor (`#strategies`). */
function section(path: ReadonlyArray<string | number>): string {
  const top = path[0];
  return typeof top === 'string' && top !== ''
    ? `${REFERENCE_URL}#${top.replace(/[^A-Za-z0-9-]/g, '').toLowerCase()}`
    : REFERENCE_URL;
}

/**
 * Gives every problem a hint: its own when it has one, else one for its code, and always where the
 * configuration reference describes the field.
 */
export function withHints(problems: ReadonlyArray<ConfigProblem>): ConfigProblem[] {
  return problems.map((p) => {
    const own = p.hint ?? BY_CODE[p.code] ?? byMessage(p);
    const see = `see ${section(p.path)}`;
    return { ...p, hint: own ? `${own}; ${see}` : see };
  });
}
