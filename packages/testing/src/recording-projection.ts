import { deepFreeze } from '@tactful/core';

/** How a key of a projection was touched. */
export type AccessKind = 'get' | 'has' | 'describe';

/** One recorded access to a key of a projection. */
export interface RecordedAccess {
  /** The key (a category id for `input.data`, a signal name for `input.signals`). */
  readonly key: string;
  readonly kind: AccessKind;
  /** False when the key is not among the allowed keys: an undeclared read. */
  readonly declared: boolean;
}

/** An attempt to change a projection (always refused: a projection is read-only). */
export interface MutationAttempt {
  readonly key: string;
  readonly operation: 'set' | 'delete' | 'define' | 'setPrototypeOf';
}

/** Options of {@link createRecordingProjection}. */
export interface RecordingProjectionOptions {
  /**
   * The keys the plugin may read (its declared categories or signals). Defaults to the keys of
   * `data`. Keys of `data` outside this list are left out of the projection, as the orchestrator
   * leaves them out (P2).
   */
  readonly allowed?: Iterable<string>;
}

/** A read-only, recording view of some data, and what was done with it. */
export interface RecordingProjection<T extends object = Record<string, unknown>> {
  /** The deeply frozen view to hand to the plugin. */
  readonly projection: Readonly<T>;
  /** The keys read (get, `in`, property descriptor), each once, in first-read order. */
  readonly reads: ReadonlyArray<string>;
  /** The keys read that were not allowed, each once, in first-read order. */
  readonly undeclared: ReadonlyArray<string>;
  /** Every access, in order. */
  readonly accesses: ReadonlyArray<RecordedAccess>;
  /** Every refused attempt to change the projection itself. */
  readonly mutations: ReadonlyArray<MutationAttempt>;
  /** True once the keys were listed (`Object.keys`, spread, `for … in`); lists only allowed keys. */
  readonly enumerated: boolean;
  /** Forgets what was recorded so far. */
  clear(): void;
}

/**
 * Keys that runtimes and test tooling look up on any object (promise resolution, JSON, object
 * methods, matchers). Looking one up is not reading a category.
 */
const INCIDENTAL_KEYS = new Set<string>([
  ...Object.getOwnPropertyNames(Object.prototype),
  'then',
  'toJSON',
  'asymmetricMatch',
  '$$typeof',
  'nodeType',
  'tagName',
  '@@__IMMUTABLE_ITERABLE__@@',
  '@@__IMMUTABLE_RECORD__@@',
]);

/** Hooks of {@link readOnlyView}. */
interface ViewHooks {
  onAccess(key: string, kind: AccessKind): void;
  onEnumerate(): void;
  onMutation(key: string, operation: MutationAttempt['operation']): void;
}

/**
 * Wraps an already frozen object in a proxy that reports key accesses and refuses every change
 * (refusals throw a `TypeError` in strict-mode code, and are reported in any mode).
 */
function readOnlyView<T extends object>(target: T, hooks: ViewHooks): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'string') hooks.onAccess(key, 'get');
      return Reflect.get(t, key, receiver);
    },
    has(t, key) {
      if (typeof key === 'string') hooks.onAccess(key, 'has');
      return Reflect.has(t, key);
    },
    getOwnPropertyDescriptor(t, key) {
      if (typeof key === 'string') hooks.onAccess(key, 'describe');
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
    ownKeys(t) {
      hooks.onEnumerate();
      return Reflect.ownKeys(t);
    },
    set(_t, key) {
      hooks.onMutation(String(key), 'set');
      return false;
    },
    deleteProperty(_t, key) {
      hooks.onMutation(String(key), 'delete');
      return false;
    },
    defineProperty(_t, key) {
      hooks.onMutation(String(key), 'define');
      return false;
    },
    setPrototypeOf() {
      hooks.onMutation('(prototype)', 'setPrototypeOf');
      return false;
    },
  });
}

/** A deep copy of plain data (JSON-like values, dates, maps …) that shares nothing with the original. */
function copy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Builds the kind of projection the orchestrator hands a plugin: a deeply frozen copy of `data`
 * holding only the allowed keys, behind a proxy that records every key the plugin reads. Reading
 * a key that is not allowed yields `undefined` (as in production, where the data is simply not
 * there) and is recorded in `undeclared`; enumerating lists only the allowed keys present, so a
 * plugin cannot enumerate into undeclared data. Mutation attempts throw in strict mode (at any
 * depth: everything is frozen) and attempts on the projection itself are recorded in `mutations`.
 *
 * @example
 * ```ts
 * const { projection, reads, undeclared } = createRecordingProjection(
 *   { 'profile.preferences': { interests: ['kids'], notInterested: [], answers: {} } },
 *   { allowed: ['profile.preferences'] },
 * );
 * myPlugin.decide(strategyInput({ data: projection }), callContext());
 * expect(undeclared).toEqual([]); // it read nothing it did not declare
 * ```
 */
export function createRecordingProjection<T extends object = Record<string, unknown>>(
  data: T,
  options: RecordingProjectionOptions = {},
): RecordingProjection<T> {
  const allowed = new Set<string>(options.allowed ?? Object.keys(data));
  const snapshot: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (allowed.has(key)) snapshot[key] = copy(value);
  }
  deepFreeze(snapshot);

  const reads: string[] = [];
  const undeclared: string[] = [];
  const accesses: RecordedAccess[] = [];
  const mutations: MutationAttempt[] = [];
  let enumerated = false;

  const projection = readOnlyView(snapshot, {
    onAccess(key, kind) {
      if (INCIDENTAL_KEYS.has(key) && !allowed.has(key)) return;
      const declared = allowed.has(key);
      accesses.push({ key, kind, declared });
      if (!reads.includes(key)) reads.push(key);
      if (!declared && !undeclared.includes(key)) undeclared.push(key);
    },
    onEnumerate() {
      enumerated = true;
    },
    onMutation(key, operation) {
      mutations.push({ key, operation });
    },
  }) as unknown as Readonly<T>;

  return {
    projection,
    reads,
    undeclared,
    accesses,
    mutations,
    get enumerated() {
      return enumerated;
    },
    clear() {
      reads.length = 0;
      undeclared.length = 0;
      accesses.length = 0;
      mutations.length = 0;
      enumerated = false;
    },
  };
}

/**
 * Wraps an already frozen object so that changes to it are refused and reported (used for the
 * outer strategy input, whose fields are all allowed).
 *
 * @internal
 */
export function guardObject<T extends object>(target: T, onMutation: (attempt: MutationAttempt) => void): T {
  return readOnlyView(Object.isFrozen(target) ? target : Object.freeze(target), {
    onAccess() {},
    onEnumerate() {},
    onMutation(key, operation) {
      onMutation({ key, operation });
    },
  });
}
