/** True when `v` is an object with a function `m`. */
export const hasMethod = (v: unknown, m: string) =>
  typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[m] === 'function';
