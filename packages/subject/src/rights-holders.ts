import type { ConsentStore, DataSource, SubjectDataHolder, Taxonomy } from '@tactful/core';
import { TactfulError } from '@tactful/core';
import type { z } from 'zod';
import type { RightsServiceOptionsSchema } from './rights-options.js';

/** A holder with the name it has in exports and receipts. */
export interface Named<T> {
  name: string;
  value: T;
}

/** Every holder the rights service covers, checked. */
export interface Holders {
  stores: SubjectDataHolder[];
  consents: Named<ConsentStore>[];
  sources: DataSource[];
  names: Set<string>;
}

/**
 * Gathers and checks the holders of a rights service: unique names; a store without `erase` or a
 * personal-data source without `rights.erase` is refused (`ERASURE_UNSUPPORTED`) unless retained
 * with a reason; `retain` may name only registered holders that cannot erase.
 */
export function resolveHolders(
  opts: z.output<typeof RightsServiceOptionsSchema>,
  taxonomy: Taxonomy,
): Holders {
  const retained = new Map(opts.retain.map((r) => [r.name, r.reason]));
  const audits = opts.audit === undefined ? [] : Array.isArray(opts.audit) ? opts.audit : [opts.audit];
  const stores: SubjectDataHolder[] = [
    ...opts.stores,
    ...audits.map(
      (a, i): SubjectDataHolder => ({
        name: a.name ?? (audits.length === 1 ? 'audit' : `audit-${i + 1}`),
        kind: 'audit',
        exportSubject: (id) => a.exportSubject(id),
        erase: (id) => a.eraseSubject(id),
      }),
    ),
  ];
  const storeSet = new Set<unknown>(stores);
  const consents: Named<ConsentStore>[] = (
    opts.consent === undefined ? [] : Array.isArray(opts.consent) ? opts.consent : [opts.consent]
  ).map((c, i, all) => ({
    name: (c as { name?: string }).name ?? (all.length === 1 ? 'consent' : `consent-${i + 1}`),
    value: c,
  }));
  // A subjectSource over a registered store is covered by that store: not exported or erased twice.
  const sources = opts.sources.filter((s) => !storeSet.has((s as { store?: unknown }).store));

  const names = new Set<string>();
  const register = (name: string, path: ReadonlyArray<string | number>) => {
    if (names.has(name))
      throw new TactfulError(
        'INVALID_CONFIG',
        `createRightsService: two holders are named "${name}"; give each store a unique name`,
        { path },
      );
    names.add(name);
  };
  stores.forEach((s, i) => {
    register(s.name, ['stores', i]);
    if (typeof s.erase !== 'function' && !retained.has(s.name)) {
      throw new TactfulError(
        'ERASURE_UNSUPPORTED',
        `createRightsService: store "${s.name}" cannot erase; implement erase(subjectId), or list it in "retain" with the reason it may keep data`,
        { path: ['stores', i] },
      );
    }
  });
  consents.forEach((c, i) => {
    register(c.name, ['consent', i]);
  });
  sources.forEach((s, i) => {
    const m = s.manifest;
    register(m.name, ['sources', i]);
    const personal =
      m.requiresSubject && m.provides.some((p) => taxonomy.categories.get(p.category)?.personal ?? true);
    if (personal && !m.rights.erase && !retained.has(m.name)) {
      throw new TactfulError(
        'ERASURE_UNSUPPORTED',
        `createRightsService: source "${m.name}" holds personal data but declares rights.erase = false; implement erase, or list it in "retain" with the reason it may keep data`,
        { path: ['sources', i], plugin: m.name },
      );
    }
  });
  opts.retain.forEach((r, i) => {
    const store = stores.find((s) => s.name === r.name);
    const source = sources.find((s) => s.manifest.name === r.name);
    if (!store && !source) {
      throw new TactfulError(
        'INVALID_CONFIG',
        `createRightsService: retain[${i}] names "${r.name}", which is not registered`,
        { path: ['retain', i, 'name'] },
      );
    }
    if ((store && typeof store.erase === 'function') || source?.manifest.rights.erase) {
      throw new TactfulError(
        'INVALID_CONFIG',
        `createRightsService: "${r.name}" can erase, so it may not be listed in retain`,
        { path: ['retain', i, 'name'] },
      );
    }
  });
  return { stores, consents, sources, names };
}
