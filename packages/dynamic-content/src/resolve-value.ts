// Reading a placeholder's value, shared by compiled templates and prebuilt catalogs (no parser).
import { FORBIDDEN_KEYS } from '@tactful/core';

/** Path segments a template may never traverse. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = FORBIDDEN_KEYS;

/**
 * Reads `segments` from `values` through own data properties only: no prototype, no getters, no
 * method calls. Returns the text of a string, finite number, boolean or bigint; `undefined` otherwise.
 */
export function resolveValue(values: unknown, segments: ReadonlyArray<string | number>): string | undefined {
  let current: unknown = values;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (typeof segment !== 'number' || segment >= current.length) return undefined;
    } else {
      const proto = Object.getPrototypeOf(current);
      if (proto !== Object.prototype && proto !== null) return undefined;
    }
    const key = typeof segment === 'number' ? String(segment) : segment;
    if (FORBIDDEN_SEGMENTS.has(key)) return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(current, key);
    if (descriptor === undefined || !('value' in descriptor)) return undefined;
    current = descriptor.value;
  }
  switch (typeof current) {
    case 'string':
      return current;
    case 'number':
      return Number.isFinite(current) ? String(current) : undefined;
    case 'boolean':
    case 'bigint':
      return String(current);
    default:
      return undefined;
  }
}
