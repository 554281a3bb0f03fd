import type { StorageLike } from '../src/storage-store.js';

/**
 * A Web Storage stand-in over a Map, with an optional quota in characters (like browsers enforce),
 * and `length`/`key(index)` like `sessionStorage` (left out with `enumerable: false`).
 */
export function memoryStorage(
  quotaChars = Number.POSITIVE_INFINITY,
  { enumerable = true }: { enumerable?: boolean } = {},
): StorageLike & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  const used = () => [...map].reduce((n, [k, v]) => n + k.length + v.length, 0);
  const storage: StorageLike & { readonly map: Map<string, string> } = {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => {
      const before = map.get(key);
      const next =
        used() - (before === undefined ? 0 : key.length + before.length) + key.length + value.length;
      if (next > quotaChars) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      map.set(key, value);
    },
    removeItem: (key) => {
      map.delete(key);
    },
  };
  if (!enumerable) return storage;
  Object.defineProperty(storage, 'length', { get: () => map.size });
  return Object.assign(storage, { key: (index: number) => [...map.keys()][index] ?? null });
}
