import {
  type AtTime,
  type Cart,
  CartSchema,
  type EventCategory,
  type EventDataByCategory,
  type IngestResult,
  PreferencesPatchSchema,
  type ProfileAttributes,
  ProfileAttributesSchema,
  type ProfilePreferences,
  SegmentNamesSchema,
  type StoredEvent,
  type SubjectDataExport,
  type SubjectEventInput,
  type SubjectStore,
  applyPreferencesPatch,
  deepFreeze,
  emptySubjectData,
  parseEventCategory,
  parseOrThrow,
  parseSubjectEvents,
  parseSubjectId,
  parseSubjectInput,
  randomHashKey,
  resolveRetention,
  retentionCutoff,
  subjectHash,
} from '@tactful/core';
import {
  SubjectStoreOptionsShape,
  mergeAttributes,
  parsePurgeOptions,
  parseReplacementEvents,
} from '@tactful/core/store';
import { z } from 'zod';

/** Options of {@link memorySubjectStore}. */
export const MemorySubjectStoreOptionsSchema = z.strictObject({
  /**
   * The store's name (default `memory-subject-store`), retention per category, the clock, and the
   * tombstone key (default: random per store).
   */
  ...SubjectStoreOptionsShape,
});
/** Options of {@link memorySubjectStore}. */
export type MemorySubjectStoreOptions = z.input<typeof MemorySubjectStoreOptionsSchema>;

interface Held {
  preferences?: ProfilePreferences;
  attributes?: ProfileAttributes;
  events: Map<string, StoredEvent & { atMs: number }>;
  cart?: Cart;
  segments?: { names: string[]; updatedAt: string };
}

/**
 * The reference {@link @tactful/core!SubjectStore | SubjectStore}: everything in memory, nothing persisted. Runs in Node,
 * browsers and edge runtimes. Use it in tests, demos and single-process apps that can lose the data
 * on restart; use `sqliteSubjectStore` from `@tactful/store-sqlite` for durable storage.
 *
 * @example
 * ```ts
 * const store = memorySubjectStore({ retention: { 'behavior.pageviews': 30 } });
 * await store.declarePreferences('u-42', { interests: ['running'], notInterested: ['golf'] });
 * await store.recordEvents('u-42', [{ category: 'behavior.pageviews', data: { at: new Date().toISOString(), url: '/shoes', durationMs: 5400 } }]);
 * ```
 */
export function memorySubjectStore(options: MemorySubjectStoreOptions = {}): SubjectStore {
  const opts = parseOrThrow(MemorySubjectStoreOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'memorySubjectStore',
  });
  const name = opts.name ?? 'memory-subject-store';
  const clock = opts.now ?? Date.now;
  const key = opts.tombstoneKey ?? randomHashKey();
  const retention = resolveRetention(opts.retention);
  const subjects = new Map<string, Held>();
  const tombstones = new Map<string, string>();

  const clone = <T>(v: T): T => structuredClone(v);
  // Preferences and attributes are kept as a private deep-frozen copy, made once when written, and
  // reads hand out that frozen value: nothing a caller does to it can change what is stored (a
  // write to it throws), and a decision reads it without a copy.
  const sealed = <T>(v: T): T => deepFreeze(structuredClone(v));
  // Every key of `subjects` passed `parseSubjectId` when it was written, so a read of a held id
  // need not parse it again; any other value is parsed (and a bad id refused) as before.
  const idOf = (subjectId: unknown): string =>
    typeof subjectId === 'string' && subjects.has(subjectId) ? subjectId : parseSubjectId(subjectId);
  const held = (id: string): Held => {
    let h = subjects.get(id);
    if (!h) {
      h = { events: new Map() };
      subjects.set(id, h);
    }
    return h;
  };
  const erased = async (id: string) => tombstones.has(await subjectHash(key, id));
  const cutoff = (category: keyof typeof retention, now: number) => retentionCutoff(now, retention[category]);
  const pruneEmpty = (id: string) => {
    const h = subjects.get(id);
    if (h && !h.preferences && !h.attributes && h.events.size === 0 && !h.cart && !h.segments)
      subjects.delete(id);
  };
  const listLive = <C extends EventCategory>(
    h: Held | undefined,
    category: C,
    now: number,
  ): StoredEvent<C>[] => {
    if (!h) return [];
    const min = cutoff(category, now);
    return [...h.events.values()]
      .filter((e) => e.category === category && e.atMs >= min)
      .sort((a, b) => a.atMs - b.atMs || a.receivedAt.localeCompare(b.receivedAt))
      .map(({ atMs: _, ...e }) => clone(e) as StoredEvent<C>);
  };

  const store: SubjectStore = {
    name,
    kind: 'subject',
    retention,

    // Answered at once (a value, no promise); a bad id still rejects.
    getPreferences(subjectId) {
      let id: string;
      try {
        id = idOf(subjectId);
      } catch (error) {
        return Promise.reject(error);
      }
      return subjects.get(id)?.preferences;
    },

    async declarePreferences(subjectId, patch) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectInput(PreferencesPatchSchema, patch, ['preferences']);
      const next = sealed(applyPreferencesPatch(subjects.get(id)?.preferences, parsed));
      held(id).preferences = next;
      return next;
    },

    // Answered at once too.
    getAttributes(subjectId) {
      try {
        return subjects.get(idOf(subjectId))?.attributes;
      } catch (error) {
        return Promise.reject(error);
      }
    },

    async setAttributes(subjectId, attributes, { replace = false } = {}) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectInput(ProfileAttributesSchema, attributes, ['attributes']);
      const next = sealed(mergeAttributes(subjects.get(id)?.attributes, parsed, replace));
      held(id).attributes = next;
      return next;
    },

    async recordEvents(subjectId, events, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const parsed: SubjectEventInput[] = parseSubjectEvents(events);
      const result: IngestResult = { accepted: 0, duplicates: 0, expired: 0, droppedErased: 0 };
      if (await erased(id)) return { ...result, droppedErased: parsed.length };
      const now = at.now ?? clock();
      const h = subjects.get(id);
      const seen = new Set<string>();
      const toAdd: Array<StoredEvent & { atMs: number }> = [];
      for (const e of parsed) {
        const atMs = Date.parse(e.data.at);
        if (e.id !== undefined && (h?.events.has(e.id) || seen.has(e.id))) {
          result.duplicates++;
          continue;
        }
        if (atMs < cutoff(e.category, now)) {
          result.expired++;
          continue;
        }
        const eventId = e.id ?? crypto.randomUUID();
        seen.add(eventId);
        toAdd.push({
          id: eventId,
          category: e.category,
          receivedAt: new Date(now).toISOString(),
          data: e.data,
          atMs,
        });
      }
      if (toAdd.length > 0) {
        const target = held(id);
        for (const e of toAdd) target.events.set(e.id, e);
      }
      result.accepted = toAdd.length;
      return result;
    },

    async listEvents(subjectId, category, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const c = parseEventCategory(category);
      return listLive(subjects.get(id), c, at.now ?? clock()) as never;
    },

    async replaceEvents<C extends EventCategory>(
      subjectId: string,
      category: C,
      events: ReadonlyArray<EventDataByCategory[C]>,
      at: AtTime = {},
    ) {
      const id = parseSubjectId(subjectId);
      const { category: c, events: parsed } = parseReplacementEvents(category, events);
      const now = at.now ?? clock();
      const min = cutoff(c, now);
      const h = held(id);
      for (const [eid, e] of h.events) if (e.category === c) h.events.delete(eid);
      let kept = 0;
      for (const data of parsed) {
        const atMs = Date.parse(data.at);
        if (atMs < min) continue;
        const eventId = crypto.randomUUID();
        h.events.set(eventId, {
          id: eventId,
          category: c,
          receivedAt: new Date(now).toISOString(),
          data,
          atMs,
        });
        kept++;
      }
      pruneEmpty(id);
      return kept;
    },

    async getCart(subjectId, at: AtTime = {}) {
      const cart = subjects.get(parseSubjectId(subjectId))?.cart;
      if (!cart || Date.parse(cart.updatedAt) < cutoff('behavior.cart', at.now ?? clock())) return undefined;
      return clone(cart);
    },

    async setCart(subjectId, cart) {
      const id = parseSubjectId(subjectId);
      const parsed = cart === null ? null : parseSubjectInput(CartSchema, cart, ['cart']);
      if (await erased(id)) return false;
      if (parsed === null) {
        const h = subjects.get(id);
        if (h) delete h.cart;
        pruneEmpty(id);
      } else held(id).cart = parsed;
      return true;
    },

    async getSegments(subjectId, at: AtTime = {}) {
      const s = subjects.get(parseSubjectId(subjectId))?.segments;
      if (!s || Date.parse(s.updatedAt) < cutoff('derived.segments', at.now ?? clock())) return undefined;
      return [...s.names];
    },

    async setSegments(subjectId, names, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectInput(SegmentNamesSchema, names, ['segments']);
      if (await erased(id)) return false;
      held(id).segments = {
        names: [...new Set(parsed)],
        updatedAt: new Date(at.now ?? clock()).toISOString(),
      };
      return true;
    },

    async purgeExpired(options) {
      const { now, limit } = parsePurgeOptions(options, clock);
      let removed = 0;
      for (const [id, h] of subjects) {
        if (removed >= limit) break;
        for (const [eid, e] of h.events) {
          if (removed >= limit) break;
          if (e.atMs < cutoff(e.category, now)) {
            h.events.delete(eid);
            removed++;
          }
        }
        if (removed < limit && h.cart && Date.parse(h.cart.updatedAt) < cutoff('behavior.cart', now)) {
          delete h.cart;
          removed++;
        }
        if (
          removed < limit &&
          h.segments &&
          Date.parse(h.segments.updatedAt) < cutoff('derived.segments', now)
        ) {
          delete h.segments;
          removed++;
        }
        pruneEmpty(id);
      }
      return { removed };
    },

    async exportSubject(subjectId) {
      const id = parseSubjectId(subjectId);
      const h = subjects.get(id);
      const now = clock();
      if (!h) return emptySubjectData();
      const out: SubjectDataExport = {
        preferences: h.preferences ? clone(h.preferences) : null,
        attributes: h.attributes ? clone(h.attributes) : null,
        purchases: listLive(h, 'behavior.purchases', now),
        pageviews: listLive(h, 'behavior.pageviews', now),
        cart: (await store.getCart(id, { now })) ?? null,
        segments:
          h.segments && Date.parse(h.segments.updatedAt) >= cutoff('derived.segments', now)
            ? clone(h.segments)
            : null,
      };
      return out;
    },

    async erase(subjectId) {
      const id = parseSubjectId(subjectId);
      const hash = await subjectHash(key, id);
      const h = subjects.get(id);
      let count = 0;
      if (h) {
        count +=
          (h.preferences ? 1 : 0) +
          (h.attributes ? 1 : 0) +
          h.events.size +
          (h.cart ? 1 : 0) +
          (h.segments ? 1 : 0);
        subjects.delete(id);
      }
      if (!tombstones.has(hash)) tombstones.set(hash, new Date(clock()).toISOString());
      return { erased: count };
    },

    async isErased(subjectId) {
      return erased(parseSubjectId(subjectId));
    },
  };
  return Object.freeze(store);
}
