import { type DecisionRequest, TactfulError, formatPath, inspectValue } from '@tactful/core';

/** Bounds of a slot's default content: the same nesting cap as strategy output. */
export interface DefaultBounds {
  readonly maxDepth: number;
}

/** A request is at most this deep (slot defaults are capped on their own, tighter). */
const REQUEST_DEPTH = 8;

/**
 * Freezes a decision request once, at the boundary, so every plugin of the decision gets the same
 * immutable view (P1, P2): nothing a consent provider, a source or a strategy writes can change
 * what the gate, the sources or the other plugins see.
 *
 * The fast parser freezes everything it builds, so a parsed request only needs its slot defaults
 * (the caller's values) checked and frozen: plain JSON data, no `__proto__`, `constructor` or
 * `prototype` key, nesting within `maxDepth` — one walk does both. A trusted request (parsed by a
 * server with the schema, then assembled from cookies and headers) is frozen in place, all of it:
 * the walk does not stop at an object that is already frozen, as a shallow freeze would leave its
 * children writable.
 *
 * @throws TactfulError `INVALID_REQUEST` with the path of the offending value.
 */
export function freezeRequest(
  request: DecisionRequest,
  whole: boolean,
  bounds: DefaultBounds,
): DecisionRequest {
  const slots = request.slots;
  for (let i = 0; i < slots.length; i++) {
    const d = slots[i]!.default;
    if (d === undefined) continue;
    refuse(inspectValue(d, { plainData: true, freeze: true, bounds: { maxDepth: bounds.maxDepth } }), [
      'slots',
      i,
      'default',
    ]);
  }
  if (whole && !frozenWhole.has(request)) {
    // The rest of a trusted request has the schema's shape (a handful of levels): a plain
    // recursive freeze, bounded, that does not stop at objects already frozen.
    const keys = Object.keys(request);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key !== 'slots') freezeAll((request as unknown as Record<string, unknown>)[key], 1, key);
    }
    for (let i = 0; i < slots.length; i++) Object.freeze(slots[i]);
    Object.freeze(slots);
    Object.freeze(request);
    frozenWhole.add(request);
  }
  return request;
}

/**
 * Requests already frozen all the way down by {@link freezeRequest}: nothing in them can change
 * again (a frozen object keeps its values, and each of them was frozen too), so a request decided
 * again is not walked again. Slot defaults are still checked every time.
 */
const frozenWhole = new WeakSet<object>();

function freezeAll(value: unknown, depth: number, path: string): void {
  if (typeof value !== 'object' || value === null) return;
  freezeObject(value, depth, path);
}

/** {@link freezeAll} of an object: children are tested before the call, so primitives cost none. */
function freezeObject(value: object, depth: number, path: string): void {
  if (depth > REQUEST_DEPTH)
    throw new TactfulError(
      'INVALID_REQUEST',
      `invalid decision request: ${path}: nested deeper than the schema allows`,
      {
        path: path.split('.'),
      },
    );
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null) freezeObject(v, depth + 1, path);
    }
    return;
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const v = (value as Record<string, unknown>)[keys[i]!];
    if (typeof v === 'object' && v !== null) freezeObject(v, depth + 1, path);
  }
}

function refuse(found: ReturnType<typeof inspectValue>, prefix: ReadonlyArray<string | number>): void {
  if (found === undefined) return;
  const path = [...prefix, ...found.path];
  throw new TactfulError(
    'INVALID_REQUEST',
    `invalid decision request: ${formatPath(path)}: ${found.message}`,
    {
      path,
    },
  );
}
