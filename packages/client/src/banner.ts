import { TactfulClientError } from './errors.js';
import type { AffirmativeMethod, ConsentStatus, TactfulClient } from './types.js';

/** What a consent banner shows: the person's choices (nothing ticked until they tick it) and what is recorded. */
export interface ConsentBannerState {
  /** The ticks, one per purpose asked. All `false` until the person ticks one or a saved grant is loaded. */
  choices: Record<string, boolean>;
  /** What the server has recorded (after `load`, `save`, `acceptAll`, `rejectAll` or `withdrawAll`). */
  recorded: ConsentStatus | undefined;
  /** `busy` while a call is under way. */
  status: 'idle' | 'busy' | 'error';
  /** The last call's failure, until the next call. */
  error: TactfulClientError | undefined;
}

/** Options of {@link createConsentBanner}. */
export interface ConsentBannerOptions {
  client: Pick<TactfulClient, 'consent' | 'choose' | 'withdrawAll'>;
  /** The purposes the banner asks about, e.g. `["personalization.profile", "personalization.session"]`. */
  purposes: string[];
  /** How the choice is recorded (default `banner`). */
  method?: AffirmativeMethod;
  /** The language the banner is shown in, e.g. `vi-VN`. */
  locale?: string;
}

/** A headless consent banner: state and actions; the page draws it. */
export interface ConsentBanner {
  getState(): ConsentBannerState;
  /** Calls `listener` on every change of state; returns the unsubscribe function. */
  subscribe(listener: (state: ConsentBannerState) => void): () => void;
  /** Reads what is recorded; ticks exactly the purposes the person has granted. */
  load(): Promise<ConsentBannerState>;
  /** Flips one purpose's tick (not recorded until `save`). */
  toggle(purpose: string): void;
  /** Records the ticks: ticked purposes granted, the others denied, in one write. */
  save(): Promise<ConsentBannerState>;
  /** Ticks every purpose and records it. */
  acceptAll(): Promise<ConsentBannerState>;
  /** Unticks every purpose and records the refusal: one call, as easy as accepting. */
  rejectAll(): Promise<ConsentBannerState>;
  /** Withdraws every granted purpose (the preference center's "withdraw all"): one call. */
  withdrawAll(): Promise<ConsentBannerState>;
}

/**
 * A consent banner without markup: nothing is pre-ticked, accepting and refusing are one call
 * each, and withdrawing is as easy as granting. Works with any framework or none.
 *
 * @example
 * ```ts
 * const banner = createConsentBanner({ client, purposes: ['personalization.profile'] });
 * banner.subscribe((s) => render(s));
 * await banner.load();
 * acceptButton.onclick = () => banner.acceptAll();
 * rejectButton.onclick = () => banner.rejectAll();
 * ```
 */
export function createConsentBanner(options: ConsentBannerOptions): ConsentBanner {
  const { client } = options;
  const purposes = [...new Set(options.purposes)];
  if (purposes.length === 0 || purposes.some((p) => typeof p !== 'string' || p === '')) {
    throw new TypeError(
      'createConsentBanner: purposes must be purpose ids, e.g. ["personalization.profile"]',
    );
  }
  const listeners = new Set<(state: ConsentBannerState) => void>();
  const none = () => Object.fromEntries(purposes.map((p) => [p, false]));
  let state: ConsentBannerState = { choices: none(), recorded: undefined, status: 'idle', error: undefined };

  const set = (next: Partial<ConsentBannerState>) => {
    state = { ...state, ...next };
    for (const listener of [...listeners]) listener(state);
  };

  /** The ticks as recorded: a purpose is ticked only when the server says it is granted. */
  const ticksOf = (recorded: ConsentStatus) =>
    Object.fromEntries(purposes.map((p) => [p, recorded.purposes[p]?.status === 'granted']));

  async function run(act: () => Promise<ConsentStatus>): Promise<ConsentBannerState> {
    set({ status: 'busy', error: undefined });
    try {
      const recorded = await act();
      set({ recorded, choices: ticksOf(recorded), status: 'idle' });
    } catch (error) {
      set({
        status: 'error',
        error:
          error instanceof TactfulClientError
            ? error
            : new TactfulClientError('HTTP_ERROR', error instanceof Error ? error.message : String(error)),
      });
    }
    return state;
  }

  const record = (choices: Record<string, boolean>) =>
    run(() =>
      client.choose({
        grant: purposes.filter((p) => choices[p]),
        deny: purposes.filter((p) => !choices[p]),
        method: options.method ?? 'banner',
        ...(options.locale === undefined ? {} : { locale: options.locale }),
        ...(state.recorded === undefined ? {} : { noticeVersion: state.recorded.noticeVersion }),
      }),
    );

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    load: () => run(() => client.consent()),
    toggle(purpose) {
      if (!Object.hasOwn(state.choices, purpose)) {
        throw new TactfulClientError(
          'UNKNOWN_PURPOSE',
          `toggle: "${purpose}" is not one this banner asks about; use one of: ${purposes.join(', ')}`,
        );
      }
      set({ choices: { ...state.choices, [purpose]: !state.choices[purpose] } });
    },
    save: () => record(state.choices),
    acceptAll: () => record(Object.fromEntries(purposes.map((p) => [p, true]))),
    rejectAll: () => record(none()),
    withdrawAll: () =>
      run(() =>
        client.withdrawAll({
          method:
            options.method === undefined || options.method === 'banner'
              ? 'preference-center'
              : options.method,
          ...(options.locale === undefined ? {} : { locale: options.locale }),
        }),
      ),
  };
}
