/**
 * `@tactful/anonymous-session`: personalization for first-time visitors without knowing who they
 * are (P7). Session events become decaying interest scores, published as `session.interests` and
 * used to reorder categories and offer "continue where you left off"; sessions are random ids with
 * a TTL, rotated on sign-in and consent changes, merged into a profile only with consent.
 *
 * @packageDocumentation
 */
export { anonymousSession, SESSION_INTERESTS_SIGNAL } from './strategy.js';
export type { AnonymousSessionStrategy } from './strategy.js';
export { AnonymousSessionOptionsSchema, DEFAULT_SIGNAL_STRENGTHS } from './options.js';
export type { AnonymousSessionOptions, ResolvedAnonymousSessionOptions } from './options.js';
export { scoreInterests, FUTURE_SKEW_MS } from './scoring.js';
export type { Interest, ScoringOptions } from './scoring.js';
export { applyNoise } from './noise.js';
export { seededRandom, cryptoRandom } from './random.js';
export type { RandomSource } from './random.js';
export { createSessionId, isSessionIdFormat, SESSION_ID_BYTES } from './session-id.js';
export {
  SESSION_ENTRY_BYTES,
  createSessionStore,
  eventBytes,
  resolveSessionLimits,
  toSessionEvent,
} from './session-store.js';
export type {
  SessionStore,
  ProcessLocalSessionStore,
  SessionStoreOptions,
  SessionLimits,
  OpenedSession,
  SessionEventInput,
  SessionStoreStats,
} from './session-store.js';
export { SESSION_STORE_CONFORMANCE } from './conformance.js';
export type { SessionStoreCase, SessionStoreHarness } from './conformance.js';
export { createStorageSessionStore } from './storage-store.js';
export type { StorageLike, StorageSessionStoreOptions } from './storage-store.js';
export { reorderCategories, continueWhereLeftOff } from './proposals.js';
export type { CategoriesContent, ContinueContent, ContinueItem } from './proposals.js';
export { mergeIntoProfile, toPageviews } from './merge.js';
export type { MergeIntoProfileOptions, ProfilePatch, PageviewRecord } from './merge.js';
