import { defineConsentProvider } from '@tactful/core';

/** A consent provider over an in-memory table: subject id (or `*` for anyone) → granted purposes. */
export function tableConsent(table: Record<string, readonly string[]>) {
  return defineConsentProvider({
    manifest: { name: 'table-consent', version: '1.0.0', core: '^0.1.0' },
    resolve: ({ subject, purposes }) => {
      const granted = new Set([...(table['*'] ?? []), ...(subject ? (table[subject.id] ?? []) : [])]);
      return {
        purposes: Object.fromEntries(
          purposes.map((p) => [
            p,
            {
              status: granted.has(p) ? ('granted' as const) : ('denied' as const),
              provider: 'table-consent',
            },
          ]),
        ),
      };
    },
  });
}
