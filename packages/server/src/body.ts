import { TactfulError, parseJsonSafely, safeParseWithMessages, zodIssues } from '@tactful/core';
import type { Context } from 'hono';
import { requestHeader } from './runtime.js';
import type { z } from 'zod';

/**
 * Reads a JSON body and validates it with `schema`. Throws `TactfulError`s the error handler turns
 * into answers: `INVALID_REQUEST` (400) for a wrong content type, bad JSON, a forbidden key, a body
 * nested or sized past `VALUE_BOUNDS`, or a body that breaks the schema (every issue with its path).
 */
export async function readJson<S extends z.core.$ZodType>(
  c: Context,
  schema: S,
  options: { optional?: boolean } = {},
): Promise<z.output<S>> {
  const type = requestHeader(c, 'content-type');
  const length = requestHeader(c, 'content-length');
  const empty = length === '0' || (type === undefined && length === undefined);
  let value: unknown = {};
  // An optional body may also be absent with a JSON content type and no length (what a browser's
  // `fetch` sends for a bodiless DELETE that sets the header): read it, and treat nothing as {}.
  const text = options.optional && empty ? '' : await c.req.text();
  if (!(options.optional && text.length === 0)) {
    if (type === undefined || !/^application\/json\s*(;|$)/i.test(type)) {
      throw new TactfulError(
        'INVALID_REQUEST',
        'send the body as JSON with "Content-Type: application/json"',
        {
          path: ['content-type'],
        },
      );
    }
    // Plain JSON data only, bounded in depth and size, and no "__proto__", "constructor" or
    // "prototype" key (the schema's copy would turn one into a prototype and drop it silently):
    // each refused with its path, before the schema reads it.
    value = parseJsonSafely(text, { code: 'INVALID_REQUEST', what: 'body' });
  }
  const result = safeParseWithMessages(schema, value);
  if (result.success) return result.data;
  const issues = zodIssues(result.error);
  throw new TactfulError(
    'INVALID_REQUEST',
    `invalid request: ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    { issues },
  );
}

/** Validates the query string with `schema` (400 naming the parameter). */
export function readQuery<S extends z.core.$ZodType>(c: Context, schema: S): z.output<S> {
  const result = safeParseWithMessages(schema, c.req.query());
  if (result.success) return result.data;
  const issues = zodIssues(result.error);
  throw new TactfulError(
    'INVALID_REQUEST',
    `invalid query: ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    { issues },
  );
}
