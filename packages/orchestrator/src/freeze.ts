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
  if (whole) {
    refuse(
      inspectValue(request, {
        freeze: true,
        bounds: { maxDepth: REQUEST_DEPTH + bounds.maxDepth, maxNodes: Number.POSITIVE_INFINITY },
      }),
      [],
    );
  }
  return request;
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
