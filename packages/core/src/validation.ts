import * as z from 'zod/mini';
import { en } from 'zod/v4/locales';
import { TactfulError, type TactfulErrorCode, type TactfulIssue, formatPath } from './errors.js';

let english: z.core.ParseContext<z.core.$ZodIssue> | undefined;

/**
 * The parse context that gives zod's English messages (`Too small: expected string to have >=1
 * characters`). The schemas are built with `zod/mini`, which loads no locale by itself; when the
 * application configured one (`z.config(...)`, as `import 'zod'` does for English), it is used.
 */
function messages(): z.core.ParseContext<z.core.$ZodIssue> | undefined {
  if (z.config().localeError !== undefined) return undefined;
  english ??= { error: en().localeError };
  return english;
}

/**
 * `schema.safeParse(input)` with readable messages whichever zod build the application loads
 * (the schemas of Tactful are built with `zod/mini`, which loads no locale by itself).
 */
export function safeParseWithMessages<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
): z.core.util.SafeParseResult<z.output<S>> {
  return z.safeParse(schema, input, messages());
}

/** `schema.parse(input)` with readable messages (see {@link safeParseWithMessages}); throws zod's error. */
export function parseWithMessages<S extends z.core.$ZodType>(schema: S, input: unknown): z.output<S> {
  return z.parse(schema, input, messages());
}

/** Turns zod issues into {@link TactfulIssue}s with readable paths. */
export function zodIssues(
  error: z.core.$ZodError,
  prefix: ReadonlyArray<string | number> = [],
): TactfulIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: issue.message,
  }));
}

/**
 * Parses `input` with `schema`; on failure throws a {@link TactfulError} whose message lists every
 * problem with its path, e.g. `segments: invalid options: rules[0].condition: Expected object`.
 */
export function parseOrThrow<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
  context: { code: TactfulErrorCode; what: string; plugin?: string; path?: ReadonlyArray<string | number> },
): z.output<S> {
  const result = safeParseWithMessages(schema, input);
  if (result.success) return result.data;
  const issues = zodIssues(result.error, context.path ?? []);
  const list = issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
  const who = context.plugin ? `${context.plugin}: ` : '';
  throw new TactfulError(context.code, `${who}invalid ${context.what}: ${list}`, {
    issues,
    cause: result.error,
    ...(context.plugin === undefined ? {} : { plugin: context.plugin }),
    ...(issues[0] ? { path: issues[0].path } : {}),
  });
}
