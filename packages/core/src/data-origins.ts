/** Where a data category comes from (P4 ranks declared first). */
export const DATA_ORIGINS = ['declared', 'observed', 'contextual', 'derived'] as const;
/**
 * Where a data category comes from: `declared` (zero-party: the person told us), `observed`
 * (first-party: seen on our site/app), `contextual` (the request itself), `derived` (inferred).
 */
export type DataOrigin = (typeof DATA_ORIGINS)[number];
