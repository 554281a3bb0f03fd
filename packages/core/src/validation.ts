import type { z } from 'zod';
import { TactfulError, type TactfulErrorCode, type TactfulIssue, formatPath } from './errors.js';

/** Turns zod issues into {@link TactfulIssue}s with readable paths. */
export function zodIssues(error: z.ZodError, prefix: ReadonlyArray<string | number> = []): TactfulIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: issue.message,
  }));
}

/**
 * Parses `input` with `schema`; on failure throws a {@link TactfulError} whose message lists every
 * problem with its path, e.g. `segments: invalid options: rules[0].condition: Expected object`.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  context: { code: TactfulErrorCode; what: string; plugin?: string; path?: ReadonlyArray<string | number> },
): z.output<S> {
  const result = schema.safeParse(input);
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
