import {
  type CompileContext,
  type RulePath,
  checkArrayLength,
  countNode,
  describe,
  fail,
  isPlainObject,
} from './compile-context.js';
import { deepEqual, literal } from './literal.js';
import type { ValueTest } from './path.js';
import { compileRegex } from './regex.js';
import { decideScalar } from './scalar.js';
import * as ScalarCode from './scalar-code.js';
import type { ConditionValue } from './types.js';

const isArray = Array.isArray;

/**
 * One operator of a field expression, compiled.
 * - `test` clauses hold for the field when some candidate value passes; with `elementwise`, the
 *   elements of an array candidate are candidates too (MongoDB array semantics).
 * - `not` clauses hold when the conjunction of their inner clauses does not (`$ne`, `$nin`, `$not`,
 *   `$exists: false`), so they also hold for missing fields.
 */
export type Clause =
  | {
      readonly kind: 'test';
      readonly test: ValueTest;
      readonly elementwise: boolean;
      readonly scalar?: ScalarSpec;
    }
  | { readonly kind: 'not'; readonly clauses: readonly Clause[] };

/** What an inlinable test does: its code and operand. */
export interface ScalarSpec {
  readonly code: ScalarCode.Code;
  readonly value?: string | number | boolean;
  readonly list?: ReadonlyArray<string | number | boolean>;
  readonly set?: ReadonlySet<unknown>;
  readonly match?: (value: string) => boolean;
}

function testClause(test: ValueTest, scalar?: ScalarSpec): Clause {
  return scalar === undefined
    ? { kind: 'test', test, elementwise: true }
    : { kind: 'test', test, elementwise: true, scalar };
}

/** The test of an inlinable operator: {@link decideScalar} on its spec, the one definition of what it holds for. */
function specTest(spec: ScalarSpec): ValueTest {
  const code = spec.code;
  return (v) => decideScalar(spec, code, v);
}

/** An equality clause (implicit equality and `$eq`). */
export function equalityClause(value: ConditionValue): Clause {
  const scalar = value !== null && typeof value !== 'object' ? { code: ScalarCode.Eq, value } : undefined;
  return testClause(equalityTest(value), scalar);
}

/** Compiles the sub-rule of an `$elemMatch` in document form (supplied by the rule compiler, avoiding a cycle). */
export type DocumentCompiler = (rule: Record<string, unknown>, at: RulePath, depth: number) => ValueTest;

/** Operators that apply to a value (as opposed to `$and`, `$or`, `$nor` that combine rules). */
export const FIELD_OPERATORS: ReadonlySet<string> = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$regex',
  '$options',
  '$elemMatch',
  '$all',
  '$size',
  '$not',
]);

/** Operators that run code or need a database, refused with a specific message. */
const CODE_OPERATORS = new Set([
  '$where',
  '$function',
  '$expr',
  '$accumulator',
  '$jsonSchema',
  '$text',
  '$eval',
]);

/** The message for an operator that is not supported. */
export function unknownOperatorMessage(op: string): string {
  if (CODE_OPERATORS.has(op))
    return `the operator "${op}" is not supported: rules are data and never run code`;
  return `unknown operator "${op}"; use one of $eq $ne $gt $gte $lt $lte $in $nin $exists $regex $elemMatch $all $size $not (fields) or $and $or $nor $not (rules)`;
}

/** An equality test for one literal: `===` for primitives, `null` also matching missing, deep equality for arrays and objects. */
export function equalityTest(value: ConditionValue): ValueTest {
  if (value === null) return (v) => v === null || v === undefined;
  if (typeof value === 'object') return (v) => deepEqual(value, v);
  return (v) => v === value;
}

/** A membership clause for `$in`/`$nin`: a Set for primitives, deep equality for the rest. */
function membershipClause(values: readonly ConditionValue[]): Clause {
  const primitives: Array<string | number | boolean> = [];
  const complex: ConditionValue[] = [];
  let withNull = false;
  for (const value of values) {
    if (value === null) withNull = true;
    else if (typeof value === 'object') complex.push(value);
    else primitives.push(value);
  }
  const scalar: ScalarSpec | undefined =
    primitives.length === 0
      ? undefined
      : primitives.length === 1
        ? { code: ScalarCode.Eq, value: primitives[0]! }
        : primitives.length <= 8
          ? { code: ScalarCode.InList, list: primitives }
          : { code: ScalarCode.InSet, set: new Set<unknown>(primitives) };
  const primitiveTest: ValueTest = scalar === undefined ? () => false : specTest(scalar);
  if (!withNull && complex.length === 0) return testClause(primitiveTest, scalar);
  return testClause((v) => {
    if (primitiveTest(v)) return true;
    if (withNull && (v === null || v === undefined)) return true;
    for (const c of complex) if (deepEqual(c, v)) return true;
    return false;
  });
}

/** The codes of each comparison, on numbers and on strings. */
const COMPARISONS = {
  $gt: [ScalarCode.NumGt, ScalarCode.StrGt],
  $gte: [ScalarCode.NumGte, ScalarCode.StrGte],
  $lt: [ScalarCode.NumLt, ScalarCode.StrLt],
  $lte: [ScalarCode.NumLte, ScalarCode.StrLte],
} as const;

/** A comparison clause: numbers with numbers, strings with strings, never coerced. */
function comparisonClause(ctx: CompileContext, op: string, operand: unknown, at: RulePath): Clause {
  if (typeof operand === 'number' && !Number.isFinite(operand))
    fail(ctx, at, `${op} takes a finite number or a string, not ${describe(operand)}`);
  if (typeof operand === 'number' || typeof operand === 'string') {
    const [numeric, text] = COMPARISONS[op as keyof typeof COMPARISONS];
    const spec: ScalarSpec = { code: typeof operand === 'number' ? numeric : text, value: operand };
    return testClause(specTest(spec), spec);
  }
  return fail(
    ctx,
    at,
    `${op} takes a number or a string (ISO dates compare as strings), not ${describe(operand)}`,
  );
}

function arrayOperand(
  ctx: CompileContext,
  op: string,
  operand: unknown,
  at: RulePath,
  depth: number,
): ConditionValue[] {
  if (!isArray(operand))
    fail(ctx, at, `${op} takes an array, e.g. { "${op}": ["a", "b"] }, not ${describe(operand)}`);
  checkArrayLength(ctx, at, operand.length);
  countNode(ctx, at, depth);
  return operand.map((item, i) => literal(ctx, item, [...at, i], depth + 1));
}

/** True when every key of a plain object is an operator (`{ "$gt": 1 }`), false when none is. */
export function isOperatorObject(ctx: CompileContext, value: Record<string, unknown>, at: RulePath): boolean {
  const keys = Object.keys(value);
  if (keys.length === 0) return false;
  const operators = keys.filter((k) => k.startsWith('$')).length;
  if (operators === 0) return false;
  if (operators !== keys.length) {
    fail(
      ctx,
      at,
      `mixes operators and field names (${keys.join(', ')}); put operators alone, or nest fields with $elemMatch`,
    );
  }
  return true;
}

/**
 * Compiles the value of a path: an operator object (`{ "$gte": 18, "$lt": 65 }`) or a literal for
 * implicit equality. Returns the clauses, all of which must hold.
 */
export function compileFieldExpression(
  ctx: CompileContext,
  expression: unknown,
  at: RulePath,
  depth: number,
  compileDocument: DocumentCompiler,
): Clause[] {
  if (isPlainObject(expression) && isOperatorObject(ctx, expression, at)) {
    countNode(ctx, at, depth);
    const clauses: Clause[] = [];
    for (const op of Object.keys(expression)) {
      const operandAt = [...at, op];
      clauses.push(
        ...compileOperator(ctx, op, expression[op], expression, operandAt, depth + 1, compileDocument),
      );
    }
    return clauses;
  }
  const value = literal(ctx, expression, at, depth);
  return [equalityClause(value)];
}

function compileOperator(
  ctx: CompileContext,
  op: string,
  operand: unknown,
  expression: Record<string, unknown>,
  at: RulePath,
  depth: number,
  compileDocument: DocumentCompiler,
): Clause[] {
  switch (op) {
    case '$eq':
      return [equalityClause(literal(ctx, operand, at, depth))];
    case '$ne':
      return [{ kind: 'not', clauses: [equalityClause(literal(ctx, operand, at, depth))] }];
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      countNode(ctx, at, depth);
      return [comparisonClause(ctx, op, operand, at)];
    case '$in':
      return [membershipClause(arrayOperand(ctx, op, operand, at, depth))];
    case '$nin':
      return [{ kind: 'not', clauses: [membershipClause(arrayOperand(ctx, op, operand, at, depth))] }];
    case '$all': {
      const values = arrayOperand(ctx, op, operand, at, depth);
      if (values.length === 0) return [{ kind: 'test', test: () => false, elementwise: false }];
      return values.map(equalityClause);
    }
    case '$exists': {
      countNode(ctx, at, depth);
      if (typeof operand !== 'boolean')
        fail(ctx, at, `$exists takes true or false, not ${describe(operand)}`);
      const exists: Clause = {
        kind: 'test',
        test: (v) => v !== undefined,
        elementwise: false,
        scalar: { code: ScalarCode.Exists },
      };
      return operand ? [exists] : [{ kind: 'not', clauses: [exists] }];
    }
    case '$size': {
      countNode(ctx, at, depth);
      if (typeof operand !== 'number' || !Number.isInteger(operand) || operand < 0) {
        fail(
          ctx,
          at,
          `$size takes a non-negative integer, not ${typeof operand === 'number' ? operand : describe(operand)}`,
        );
      }
      const size = operand;
      return [
        {
          kind: 'test',
          test: (v) => isArray(v) && v.length === size,
          elementwise: false,
          scalar: { code: ScalarCode.Size, value: size },
        },
      ];
    }
    case '$regex': {
      countNode(ctx, at, depth);
      const matches = compileRegex(ctx, operand, expression['$options'], at);
      return [
        testClause((v) => typeof v === 'string' && matches(v), { code: ScalarCode.Regex, match: matches }),
      ];
    }
    case '$options':
      if (!Object.hasOwn(expression, '$regex'))
        fail(ctx, at, '$options only goes with $regex, e.g. { "$regex": "^pro", "$options": "i" }');
      return [];
    case '$not': {
      if (!isPlainObject(operand) || !isOperatorObject(ctx, operand, at)) {
        fail(
          ctx,
          at,
          `$not takes an operator object, e.g. { "$not": { "$gt": 5 } }, not ${describe(operand)}`,
        );
      }
      return [{ kind: 'not', clauses: compileFieldExpression(ctx, operand, at, depth, compileDocument) }];
    }
    case '$elemMatch':
      return [
        { kind: 'test', test: elemMatchTest(ctx, operand, at, depth, compileDocument), elementwise: false },
      ];
    default:
      return fail(ctx, at, unknownOperatorMessage(op));
  }
}

function elemMatchTest(
  ctx: CompileContext,
  operand: unknown,
  at: RulePath,
  depth: number,
  compileDocument: DocumentCompiler,
): ValueTest {
  if (!isPlainObject(operand) || Object.keys(operand).length === 0) {
    fail(
      ctx,
      at,
      '$elemMatch takes a non-empty object: operators for the elements ({ "$gt": 5 }) or a rule over them ({ "amount": { "$gt": 5 } })',
    );
  }
  const keys = Object.keys(operand);
  const valueForm = keys.every((k) => FIELD_OPERATORS.has(k));
  if (valueForm) {
    const element = clausesOnValue(compileFieldExpression(ctx, operand, at, depth, compileDocument));
    return (v) => {
      if (!isArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (element(v[i])) return true;
      return false;
    };
  }
  const document = compileDocument(operand, at, depth);
  return (v) => {
    if (!isArray(v)) return false;
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (typeof e === 'object' && e !== null && !isArray(e) && document(e)) return true;
    }
    return false;
  };
}

/** Compiles clauses into a test of one value taken as it is (its array elements are tested when `elementwise`). */
export function clausesOnValue(clauses: readonly Clause[]): ValueTest {
  const tests = clauses.map(clauseOnValue);
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  if (tests.length === 2) {
    const a = tests[0]!;
    const b = tests[1]!;
    return (v) => a(v) && b(v);
  }
  return (v) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(v)) return false;
    return true;
  };
}

/** One clause as a test of one value. */
export function clauseOnValue(clause: Clause): ValueTest {
  if (clause.kind === 'not') {
    const inner = clausesOnValue(clause.clauses);
    return (v) => !inner(v);
  }
  const test = clause.test;
  if (!clause.elementwise) return test;
  return (v) => {
    if (test(v)) return true;
    if (!isArray(v)) return false;
    for (let i = 0; i < v.length; i++) if (test(v[i])) return true;
    return false;
  };
}
