import { TactfulError, formatPath } from '../errors.js';
import type { ConditionLimits, RegexEngine } from './types.js';

/** Where in a rule the compiler is, as error-path segments. */
export type RulePath = ReadonlyArray<string | number>;

/** State shared by one compilation: limits, counters, and the paths the rule reads. */
export interface CompileContext {
  readonly limits: ConditionLimits;
  /** Prefix of every error path (where the rule sits in the caller's configuration). */
  readonly prefix: RulePath;
  /** The engine of patterns beyond plain text and the bounded subset, when one was given. */
  readonly regex: RegexEngine | undefined;
  nodes: number;
  readonly paths: string[];
  readonly seenPaths: Set<string>;
}

/** Names never traversed, neither in rules nor in facts (prototype pollution and gadget reads): core's one list. */
export { FORBIDDEN_KEYS } from '../safe-value.js';

/** Throws `INVALID_CONDITION` naming the path of the offending part of the rule. */
export function fail(ctx: CompileContext, at: RulePath, message: string): never {
  const path = [...ctx.prefix, ...at];
  throw new TactfulError('INVALID_CONDITION', `invalid condition at ${formatPath(path)}: ${message}`, {
    path,
  });
}

/** Counts one node of the rule and enforces the node and depth caps. */
export function countNode(ctx: CompileContext, at: RulePath, depth: number): void {
  ctx.nodes += 1;
  if (ctx.nodes > ctx.limits.maxNodes) {
    fail(
      ctx,
      at,
      `the rule has more than ${ctx.limits.maxNodes} nodes (limits.maxNodes); split it into smaller rules`,
    );
  }
  if (depth > ctx.limits.maxDepth) {
    fail(ctx, at, `the rule nests deeper than ${ctx.limits.maxDepth} levels (limits.maxDepth); flatten it`);
  }
}

/** Enforces the array-length cap. */
export function checkArrayLength(ctx: CompileContext, at: RulePath, length: number): void {
  if (length > ctx.limits.maxArrayLength) {
    fail(ctx, at, `an array of ${length} items exceeds limits.maxArrayLength (${ctx.limits.maxArrayLength})`);
  }
}

/** Enforces the string-length cap. */
export function checkString(ctx: CompileContext, at: RulePath, value: string): void {
  if (value.length > ctx.limits.maxStringLength) {
    fail(
      ctx,
      at,
      `a string of ${value.length} characters exceeds limits.maxStringLength (${ctx.limits.maxStringLength})`,
    );
  }
}

/** True for an object created by `{}`/JSON (or with a null prototype): the only objects a rule may hold. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Describes a value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number')
    return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'a number' : 'Infinity';
  if (typeof value === 'object') {
    return isPlainObject(value)
      ? 'an object'
      : `a non-plain object (${Object.prototype.toString.call(value)})`;
  }
  return `a ${typeof value}`;
}
