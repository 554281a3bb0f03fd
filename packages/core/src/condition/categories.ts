import { TactfulError } from '../errors.js';
import { FORBIDDEN_KEYS, isPlainObject } from './compile-context.js';

const ObjectPrototype = Object.prototype;
const hasOwn = ObjectPrototype.hasOwnProperty;

/**
 * The categories that dotted paths fall in: for each path, the longest category id that equals it
 * or is a prefix of it ending at a segment boundary (`behavior.purchases.amount` →
 * `behavior.purchases`). Paths in no category are left out. Sorted, without duplicates.
 *
 * @example
 * ```ts
 * categoriesOf(['behavior.purchases.length', 'context.location.coarse.country'], ['behavior.purchases', 'context.location.coarse']);
 * // ['behavior.purchases', 'context.location.coarse']
 * ```
 */
export function categoriesOf(paths: readonly string[], categories: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    let best: string | undefined;
    for (const category of categories) {
      if (
        (path === category || path.startsWith(`${category}.`)) &&
        (best === undefined || category.length > best.length)
      ) {
        best = category;
      }
    }
    if (best !== undefined) found.add(best);
  }
  return [...found].sort();
}

/**
 * Turns category-keyed data (`{ 'behavior.purchases': [...] }`, as strategies receive it) into the
 * nested facts conditions read (`{ behavior: { purchases: [...] } }`). Values are not copied;
 * plain objects that meet at the same place are merged into new objects (inputs are never
 * mutated), so `context` and `context.time` can both be given.
 *
 * @throws TactfulError `INVALID_INPUT` when a key has an empty or forbidden segment
 *   (`__proto__`, `constructor`, `prototype`), or when a value would have to be merged with a
 *   non-object.
 *
 * @example
 * ```ts
 * nestCategories({ 'behavior.purchases': [{ at: '2026-01-02T00:00:00Z' }], 'profile.attributes': { tier: 'gold' } });
 * // { behavior: { purchases: [...] }, profile: { attributes: { tier: 'gold' } } }
 * ```
 */
export function nestCategories(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(data);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const segments = key.split('.');
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (segment === '' || FORBIDDEN_KEYS.has(segment)) {
        throw new TactfulError(
          'INVALID_INPUT',
          `nestCategories: the key "${key}" has an empty or forbidden segment`,
          {
            path: [key],
          },
        );
      }
    }
    let node = out;
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i]!;
      const existing = hasOwn.call(node, segment) ? node[segment] : undefined;
      if (existing === undefined) {
        const child: Record<string, unknown> = {};
        setOwn(node, segment, child);
        node = child;
      } else if (isPlainObject(existing)) {
        const child = { ...existing };
        setOwn(node, segment, child);
        node = child;
      } else {
        throw conflict(key);
      }
    }
    const last = segments[segments.length - 1]!;
    setOwn(node, last, merge(hasOwn.call(node, last) ? node[last] : undefined, data[key], key));
  }
  return out;
}

function merge(existing: unknown, value: unknown, key: string): unknown {
  if (existing === undefined) return value;
  if (!isPlainObject(existing) || !isPlainObject(value)) throw conflict(key);
  const out: Record<string, unknown> = { ...existing };
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    setOwn(out, k, merge(hasOwn.call(out, k) ? out[k] : undefined, value[k], key));
  }
  return out;
}

/**
 * Sets an own data property of an object made here (its prototype `Object.prototype`). A plain
 * assignment does that unless the name is one `Object.prototype` has (`__proto__` would change the
 * prototype, an inherited setter would run): only those go through `Object.defineProperty`, which
 * costs several times an assignment.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key in ObjectPrototype)
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

function conflict(key: string): TactfulError {
  return new TactfulError(
    'INVALID_INPUT',
    `nestCategories: "${key}" collides with another key holding a value that is not an object`,
    { path: [key] },
  );
}
