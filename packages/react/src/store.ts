import type { Decider, Decision, InitialDecision, PageRequest, SlotDecision } from './types.js';

/** What the store holds for one slot under the current key. */
export type SlotEntry =
  | { readonly kind: 'decided'; readonly slot: SlotDecision; readonly decision: Decision }
  | { readonly kind: 'failed'; readonly error: unknown };

/**
 * The decisions of one page, kept for one key (consent snapshot + request) at a time. Components
 * register the slots they render; the store asks the decider for every registered slot not yet
 * decided under the current key, in one batch per microtask. An answer that arrives after the key
 * changed (the person withdrew consent meanwhile, or another person signed in) is dropped unread.
 */
export interface DecisionStore {
  /** The key the store's entries belong to. */
  readonly key: string | undefined;
  /** Switches to `key` (dropping every entry of the previous key) and decides what is missing. */
  update(key: string, request: PageRequest, decider: Decider): void;
  /** Adds a slot (with its default); returns the function that removes it. */
  register(slot: string, defaultContent: unknown): () => void;
  /** The entry of `slot`, only when it was made under `key`. */
  read(key: string, slot: string): SlotEntry | undefined;
  /** Forgets the current key's entries and decides every registered slot again. */
  refresh(): void;
  subscribe(listener: () => void): () => void;
  /** Changes whenever an entry is added or the key changes (for `useSyncExternalStore`). */
  version(): number;
}

/** Makes a store, optionally seeded with a decision made before rendering. */
export function createDecisionStore(initial?: InitialDecision): DecisionStore {
  let key: string | undefined;
  let request: PageRequest = {};
  let decider: Decider | undefined;
  let entries = new Map<string, SlotEntry>();
  const pending = new Set<string>();
  const registered = new Map<string, { count: number; default: unknown }>();
  const listeners = new Set<() => void>();
  let version = 0;
  let scheduled = false;
  /** Bumped on every key change and refresh: an answer made in an older epoch is dropped. */
  let epoch = 0;

  if (initial !== undefined) {
    key = initial.key;
    for (const slot of initial.decision.slots) {
      entries.set(slot.slot, { kind: 'decided', slot, decision: initial.decision });
    }
  }

  const notify = () => {
    version += 1;
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch {
        // A listener's fault never stops the others.
      }
    }
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  };

  function flush(): void {
    scheduled = false;
    const forKey = key;
    const forEpoch = epoch;
    const by = decider;
    if (forKey === undefined || by === undefined) return;
    const wanted = [...registered.keys()].filter((s) => !entries.has(s) && !pending.has(s)).sort();
    if (wanted.length === 0) return;
    for (const s of wanted) pending.add(s);
    const slots = wanted.map((id) => {
      const d = registered.get(id)?.default;
      return d === undefined ? { id } : { id, default: d };
    });
    let answer: Promise<Decision>;
    try {
      answer = Promise.resolve(by.decide({ ...request, slots }));
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      (decision) => {
        // Made for a consent, a person or a request no longer current: dropped unread.
        if (epoch !== forEpoch) return;
        const bySlot = new Map<string, SlotDecision>();
        for (const s of Array.isArray(decision?.slots) ? decision.slots : []) bySlot.set(s?.slot, s);
        for (const id of wanted) {
          pending.delete(id);
          const slot = bySlot.get(id);
          entries.set(
            id,
            slot === undefined || typeof slot !== 'object'
              ? { kind: 'failed', error: new Error(`the decision has no answer for slot "${id}"`) }
              : { kind: 'decided', slot, decision },
          );
        }
        notify();
      },
      (error: unknown) => {
        if (epoch !== forEpoch) return;
        for (const id of wanted) {
          pending.delete(id);
          entries.set(id, { kind: 'failed', error });
        }
        notify();
      },
    );
  }

  return {
    get key() {
      return key;
    },
    update(nextKey, nextRequest, nextDecider) {
      decider = nextDecider;
      request = nextRequest;
      if (nextKey !== key) {
        key = nextKey;
        epoch += 1;
        entries = new Map();
        pending.clear();
        notify();
      }
      schedule();
    },
    register(slot, defaultContent) {
      const current = registered.get(slot);
      if (current) {
        current.count += 1;
        if (defaultContent !== undefined) current.default = defaultContent;
      } else registered.set(slot, { count: 1, default: defaultContent });
      schedule();
      return () => {
        const entry = registered.get(slot);
        if (entry && --entry.count <= 0) registered.delete(slot);
      };
    },
    read(at, slot) {
      return at === key ? entries.get(slot) : undefined;
    },
    refresh() {
      entries = new Map();
      pending.clear();
      epoch += 1;
      notify();
      schedule();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => version,
  };
}
