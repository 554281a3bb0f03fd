import { type TactfulIssue, formatPath, isTactfulError } from '@tactful/core';
import { type Node, findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { z } from 'zod';

/** One problem in a configuration, located in its file where possible. */
export interface ConfigProblem {
  /** JSON path of the offending value, e.g. `["strategies", "segments", "segments", 2, "condition"]`. */
  path: Array<string | number>;
  /** What is wrong. */
  message: string;
  /** A stable code (`INVALID_CONFIG`, `INVALID_CONDITION`, `UNKNOWN_CATEGORY` ...). */
  code: string;
  /** How to fix it, when there is more to say than the message. */
  hint?: string;
  /** 1-based line and column in the file, when the configuration came from text. */
  line?: number;
  column?: number;
}

/** Problems from a zod error, each with its path. */
export function problemsFromZod(
  error: z.ZodError,
  prefix: ReadonlyArray<string | number> = [],
): ConfigProblem[] {
  return problemsFromIssues(error.issues, prefix);
}

function problemsFromIssues(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  prefix: ReadonlyArray<string | number>,
): ConfigProblem[] {
  return issues.flatMap((issue) => {
    // A union (`false` or an object, say) whose value took the shape of one of its options: that
    // option's own problems, each naming its field, rather than "Invalid input" at the union.
    if (issue.code === 'invalid_union') {
      const matched = issue.errors.filter((branch) => branch.some((i) => i.path.length > 0));
      if (matched.length === 1)
        return problemsFromIssues(matched[0]!, [...prefix, ...issue.path.map(pathKey)]);
    }
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...prefix, ...issue.path.map(pathKey)];
    const problem: ConfigProblem = { path, message: issue.message, code: 'INVALID_CONFIG' };
    if (keys.length > 0)
      problem.hint = `remove ${keys.map((k) => `"${k}"`).join(', ')} or check the spelling against the configuration reference`;
    return problem;
  });
}

const pathKey = (p: PropertyKey): string | number => (typeof p === 'symbol' ? String(p) : p);

/** Problems from an error thrown while building a plugin or the engine, under `prefix`. */
export function problemsFromError(error: unknown, prefix: ReadonlyArray<string | number>): ConfigProblem[] {
  if (isTactfulError(error)) {
    const issues: ReadonlyArray<TactfulIssue> =
      error.issues.length > 0 ? error.issues : [{ path: error.path ?? [], message: error.message }];
    return issues.map((issue) => ({
      path: [...prefix, ...stripOptionsPrefix(issue.path)],
      message: issue.message,
      code: error.code,
    }));
  }
  return [
    {
      path: [...prefix],
      message: error instanceof Error ? error.message : String(error),
      code: 'INVALID_CONFIG',
    },
  ];
}

// A factory reports paths relative to its options; some prefix them with "options".
function stripOptionsPrefix(path: ReadonlyArray<string | number>): Array<string | number> {
  return path[0] === 'options' ? path.slice(1) : [...path];
}

/** Adds line and column to each problem by finding its path (or the nearest existing parent) in `text`. */
export function locateProblems(problems: ConfigProblem[], text: string): ConfigProblem[] {
  const root = parseTree(text);
  if (!root) return problems;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return problems.map((problem) => {
    let node: Node | undefined;
    for (let n = problem.path.length; n >= 0 && !node; n--)
      node = findNodeAtLocation(root, problem.path.slice(0, n));
    if (!node) return problem;
    // Point at the property name when the value sits in an object.
    const offset = node.parent?.type === 'property' ? node.parent.offset : node.offset;
    let line = 0;
    while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? Infinity) <= offset) line++;
    return { ...problem, line: line + 1, column: offset - (lineStarts[line] ?? 0) + 1 };
  });
}

/** A readable list of problems, one a line: `tactful.config.json:12:5 strategies.segments...: message`. */
export function formatProblems(problems: ReadonlyArray<ConfigProblem>, file?: string): string {
  return problems
    .map((p) => {
      const where = [file, p.line, p.column].filter((x) => x !== undefined).join(':');
      const hint = p.hint ? `\n    hint: ${p.hint}` : '';
      return `${where ? `${where} ` : ''}${formatPath(p.path)}: ${p.message} [${p.code}]${hint}`;
    })
    .join('\n');
}
