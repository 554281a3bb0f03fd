import type {
  AFFIRMATIVE_CONSENT_METHODS,
  Decision,
  DecisionRequestInput,
  PreferencesPatch,
  SessionEvent,
  SlotRequest,
} from '@tactful/core';

/** A way a person made a consent choice that counts as affirmative (`banner`, `preference-center` ...). */
export type AffirmativeMethod = (typeof AFFIRMATIVE_CONSENT_METHODS)[number];

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Where the decision server answers, e.g. `https://decide.shop.example` or `/tactful` (same origin). */
  baseUrl: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof globalThis.fetch;
  /** How long a call may take, answer body included, before it gives up (default 3000 ms). */
  timeoutMs?: number;
  /**
   * Whether the browser sends the server's cookies (the person's id and session). Default
   * `include`, so a server on another origin (listed in its `server.cors` allow-list) knows the person.
   */
  credentials?: RequestCredentials;
  /**
   * For a page the site's server rendered for a known person: the subject token it issued for this
   * browser (`POST /v1/subject-token`), so the page's decisions are for that person. The server
   * checks it (signature, expiry, bound to this browser's id cookie); the page can't name anyone
   * itself. A string, or a function called before each decision; a function is called once more
   * when the server answers `SUBJECT_TOKEN_EXPIRED`. It returns `undefined` when no one is signed
   * in (the browser's own decision then); when it throws, no request is sent and every slot shows
   * its default (`degraded.code` `SUBJECT_TOKEN_MISSING`).
   */
  subjectToken?: string | (() => string | undefined | Promise<string | undefined>);
  /**
   * Not taken: a page can't say who the person is (a hostile script could name anyone). Pass the
   * server's `subjectToken` instead; `createClient` throws `INVALID_OPTIONS` for this option.
   */
  subject?: never;
}

/** Options of one call. */
export interface CallOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * What {@link TactfulClient.decide} asks for: the request of the in-page engine's `decide`, less
 * what a browser may not say. So a client is a decider wherever one is taken
 * (`<TactfulProvider decider={client}>`, `new TactfulWebProvider({ decider: client })`).
 */
export interface DecideRequest {
  /** The slots to fill, each with its default content. */
  slots: SlotRequest[];
  /** The page's context (locale, time zone ...). The agent, hints and location come from the request's headers. */
  context?: Omit<NonNullable<DecisionRequestInput['context']>, 'geo'>;
  /** A trace id to find the decision by in the server's logs and audit trail. */
  traceId?: string;
  /**
   * Never sent: the server knows the person from the subject token (or, without one, its signed
   * cookie). A request may name the person (an adapter's `request`, as the server rendered the
   * page with) only when the client's `subjectToken` is for that same person; otherwise it is not
   * sent and shows every slot's default, `degraded.reason` `rejected`, code `SUBJECT_TOKEN_MISSING`
   * (no token) or `SUBJECT_MISMATCH` (a token for someone else).
   */
  subject?: { id: string };
  /** Never sent: a browser's anonymous session is its session cookie's (send events with `sendEvents`). Refused like `subject`. */
  session?: never;
}

/** Options of {@link TactfulClient.decide}. */
export type DecideOptions = CallOptions;

/** Why a decision shows defaults: the server's own reason, or what went wrong on the way. */
export type DegradedReason =
  /** The server could not read consent, so nothing was personalized. */
  | 'consent-unavailable'
  /** The server answered 503 (overloaded, draining, a store down). */
  | 'unavailable'
  /** The server answered 429. */
  | 'rate-limited'
  /** An earlier answer asked to wait (`Retry-After`) and that time has not passed: no request was sent. */
  | 'backing-off'
  /** No answer within `timeoutMs`. */
  | 'timeout'
  /** The request did not reach the server (offline, DNS, CORS refused). */
  | 'network'
  /** The answer was not a decision (not JSON, wrong shape, a requested slot missing). */
  | 'malformed'
  /** The server refused the request (400, 403 ...), see `code`. */
  | 'rejected'
  /** The caller's signal cancelled the call. */
  | 'aborted';

/** What a degraded decision says about why. */
export interface Degraded {
  reason: DegradedReason;
  message: string;
  /** The server's error code, when it gave one. */
  code?: string;
  /** The HTTP status, when an answer came. */
  status?: number;
  /** Seconds until the client asks the server again, when the server said (`Retry-After`). */
  retryAfter?: number;
}

/** A decision as the client gives it: the server's, or every slot's default with `degraded`. */
export interface ClientDecision extends Decision {
  /** Present when some or all slots show their default content for a reason other than the decision itself. */
  degraded?: Degraded;
}

/** One session event as a page sends it (`at` defaults to when it arrives). */
export type SessionEventInput = Omit<SessionEvent, 'at'> & { at?: string };

/** The answer of {@link TactfulClient.sendEvents}. */
export interface SessionEventsResult {
  /** How many events were kept (0 without consent for `personalization.session`). */
  recorded: number;
  session: 'active' | 'off';
  /** Why nothing was kept. */
  reason?: 'no-consent' | 'gpc' | 'dnt';
}

/** The consent of one purpose, as the person may see it. */
export interface PurposeStatus {
  status: 'granted' | 'denied';
  /** `granted`, `no-record`, `denied`, `withdrawn`, `expired`, `notice-changed`, `gpc`, `dnt` ... */
  reason: string;
  recordedAt?: string;
  expiresAt?: string;
}

/** The consent of every purpose the site asks about. */
export interface ConsentStatus {
  purposes: Record<string, PurposeStatus>;
  /** The notice version grants are recorded against. */
  noticeVersion: string;
  /** The request's privacy signals: each denies every purpose it covers. */
  signals: { gpc: boolean; dnt: boolean };
}

/** A banner's or preference center's choice: grants and refusals recorded at once (all or none). */
export interface ConsentChoices {
  grant?: string[];
  deny?: string[];
  /** Default `banner`. */
  method?: AffirmativeMethod;
  /** The language the person read the notice in, e.g. `vi-VN`. */
  locale?: string;
  /** The notice version the person was shown; the server refuses (409 `CONFLICT`) when it has changed. */
  noticeVersion?: string;
}

/** Options of a single grant or withdrawal. */
export interface ConsentActOptions extends CallOptions {
  method?: AffirmativeMethod;
  locale?: string;
  noticeVersion?: string;
}

/** The machine-readable export of everything held about the person (`@tactful/subject`'s document). */
export interface SubjectExport {
  format: string;
  version: number | string;
  subject: { id: string };
  generatedAt: string;
  empty: boolean;
  sections: Array<{ kind: string; name: string; data?: unknown; [key: string]: unknown }>;
  omitted: Array<{ name: string; reason: string }>;
  [key: string]: unknown;
}

/** The receipt of an erasure. */
export interface ErasureReceipt {
  id: string;
  subjectHash: string;
  completedAt: string;
  holders: Array<{ name: string; [key: string]: unknown }>;
  erased: number;
  alreadyErased: boolean;
  retained: Array<{ name: string; reason: string }>;
  [key: string]: unknown;
}

/** A typed client of the decision server. */
export interface TactfulClient {
  /**
   * Decides the content of `slots`. Never rejects: when the server is slow, overloaded, refuses or
   * answers junk, every slot gets its own `default` and the decision says why in `degraded`.
   */
  decide(request: DecideRequest, options?: DecideOptions): Promise<ClientDecision>;
  /** Sends anonymous session events (kept only with consent for `personalization.session`). */
  sendEvents(events: SessionEventInput[], options?: CallOptions): Promise<SessionEventsResult>;
  /** Ends the anonymous session now. */
  endSession(options?: CallOptions): Promise<void>;
  /** The consent of every purpose the site asks about. */
  consent(options?: CallOptions): Promise<ConsentStatus>;
  /** The consent of one purpose. */
  purpose(purpose: string, options?: CallOptions): Promise<PurposeStatus & { purpose: string }>;
  /** Records a banner's choice: grants and refusals at once. */
  choose(choices: ConsentChoices, options?: CallOptions): Promise<ConsentStatus>;
  /** Grants one purpose. */
  grant(purpose: string, options?: ConsentActOptions): Promise<ConsentStatus>;
  /** Withdraws one purpose. */
  withdraw(purpose: string, options?: ConsentActOptions): Promise<ConsentStatus>;
  /** Withdraws every granted purpose. */
  withdrawAll(options?: ConsentActOptions): Promise<ConsentStatus>;
  /** Everything held about the person (rate limited per person: `RATE_LIMITED`). */
  exportData(options?: CallOptions): Promise<SubjectExport>;
  /** Erases the person everywhere; the receipt says what went. */
  erase(options?: CallOptions): Promise<ErasureReceipt>;
  /** Corrects the person's declared preferences (interests, "not interested", answers): zero-party data. */
  declarePreferences(preferences: PreferencesPatch, options?: CallOptions): Promise<RectificationReceipt>;
  /** The privacy notice generated from the server's running configuration, as text (Markdown by default). */
  notice(options?: NoticeOptions): Promise<string>;
}

/** The receipt of a correction. */
export interface RectificationReceipt {
  id: string;
  subjectHash: string;
  completedAt: string;
  /** Per corrected category, the stores and sources that applied it. */
  changes: Array<{ category: string; holders: string[] }>;
  [key: string]: unknown;
}

/** Options of {@link TactfulClient.notice}. */
export interface NoticeOptions extends CallOptions {
  /** `md` (default), `html` or `json`. */
  format?: 'md' | 'html' | 'json';
  /** `en` (default) or `vi`. */
  lang?: 'en' | 'vi';
}
