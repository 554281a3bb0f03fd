/**
 * Profile reads of `openSqliteStores` answered on the caller's thread, without a message to the
 * reader thread, and never staler than a read made together with the decision's consent read.
 *
 * Every consent read (`latest`) and every profile read (`getPreferences`, `getAttributes`) runs on
 * the reader thread in one read transaction that starts with SQLite's `PRAGMA data_version`, and
 * comes back with it: on one connection, two reads with the same version saw the same data (the
 * version changes when any other connection, of this process or another — the writer thread, the
 * CLI, a backup — commits; the reader connection never writes). A profile read is answered from
 * here only when, in the same turn of the event loop, a consent read of the same person came back
 * with the version the held profile was read at: so the database had not changed between the held
 * read and that consent read, and the answer is exactly what the reader would have said then. A
 * decision reads consent first, then the profile, in one turn when nothing waits in between; a
 * decision that waits (or reads no consent of that person) reads the profile from the database.
 * Any write made through these stores, and the end of the turn, forget what was validated.
 *
 * @internal
 */
export class FreshReads {
  readonly #max: number;
  /** Person → the data version a consent read of them came back with, in this turn only. */
  readonly #validated = new Map<string, string>();
  #clearing = false;
  /** `method\nperson` → the profile read and the version it was read at, least recently used first. */
  readonly #held = new Map<string, { readonly version: string; readonly value: unknown }>();

  /** Keeps at most `max` profile answers (0: none, every read goes to the reader thread). */
  constructor(max: number) {
    this.#max = max;
  }

  readonly #clear = (): void => {
    this.#clearing = false;
    this.#validated.clear();
  };

  /** A consent read of `subject` came back having seen the data at `version`. */
  consentRead(subject: unknown, version: string): void {
    if (this.#max === 0 || typeof subject !== 'string') return;
    this.#validated.set(subject, version);
    if (!this.#clearing) {
      this.#clearing = true;
      setImmediate(this.#clear);
    }
  }

  /** Something was (or may have been) written through these stores: nothing validated holds now. */
  wrote(): void {
    this.#validated.clear();
  }

  /**
   * The answer of `method(subject)` when it is known to be current (a copy: callers may change
   * what they get), else `undefined` with `hit` false.
   */
  get(method: string, subject: unknown): { readonly hit: boolean; readonly value?: unknown } {
    if (typeof subject !== 'string') return MISS;
    const version = this.#validated.get(subject);
    if (version === undefined) return MISS;
    const key = `${method}\n${subject}`;
    const held = this.#held.get(key);
    if (held === undefined || held.version !== version) return MISS;
    this.#held.delete(key);
    this.#held.set(key, held);
    return { hit: true, value: structuredClone(held.value) };
  }

  /** Keeps what `method(subject)` answered at `version`; returns a copy for the caller. */
  keep(method: string, subject: unknown, version: string, value: unknown): unknown {
    if (this.#max === 0 || typeof subject !== 'string') return value;
    const key = `${method}\n${subject}`;
    this.#held.delete(key);
    this.#held.set(key, { version, value });
    if (this.#held.size > this.#max) this.#held.delete(this.#held.keys().next().value as string);
    return structuredClone(value);
  }
}

const MISS = Object.freeze({ hit: false });
