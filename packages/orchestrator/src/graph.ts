/**
 * The dependency graph of strategies: strategy `i` depends on the strategies whose signals it
 * reads (`deps[i]`).
 */

/** Every cycle found by a depth-first walk, each as a path that ends where it starts. */
export function findCycles(deps: ReadonlyArray<readonly number[]>): number[][] {
  const state = new Array<number>(deps.length).fill(0); // 0 unseen, 1 on the stack, 2 done
  const stack: number[] = [];
  const cycles: number[][] = [];
  const visit = (i: number) => {
    state[i] = 1;
    stack.push(i);
    for (const d of deps[i] ?? []) {
      if (state[d] === 1) cycles.push([...stack.slice(stack.indexOf(d)), d]);
      else if (state[d] === 0) visit(d);
    }
    stack.pop();
    state[i] = 2;
  };
  for (let i = 0; i < deps.length; i++) if (state[i] === 0) visit(i);
  return cycles;
}

/**
 * Layers of an acyclic graph (a node's layer is one more than its deepest dependency's; 0 for
 * none) and an execution order: by layer, then by registration order.
 */
export function layerGraph(deps: ReadonlyArray<readonly number[]>): { layers: number[]; order: number[] } {
  const layers = new Array<number>(deps.length).fill(-1);
  const layer = (i: number): number => {
    const known = layers[i] ?? -1;
    if (known >= 0) return known;
    let l = 0;
    for (const d of deps[i] ?? []) l = Math.max(l, layer(d) + 1);
    layers[i] = l;
    return l;
  };
  for (let i = 0; i < deps.length; i++) layer(i);
  const order = deps.map((_, i) => i).sort((a, b) => (layers[a] ?? 0) - (layers[b] ?? 0) || a - b);
  return { layers, order };
}
