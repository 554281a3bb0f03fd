/**
 * `@tactful/react`: React bindings for Tactful. A provider that takes decisions from the in-page
 * engine or the decision server, `useDecision(slot)` with the content, the explanation and the
 * loading/degraded state, a `<Slot>` that renders its default first and never shows personalized
 * content the person has not consented to, and `<WhyAmISeeingThis>` (English and Vietnamese).
 * Server-side rendering and the consent-aware page cache are in `@tactful/react/server`.
 *
 * @packageDocumentation
 */
export {
  DEFAULT_CONTENT_EXPLANATION,
  Slot,
  TactfulProvider,
  WhyAmISeeingThis,
  useDecision,
  useTactfulRefresh,
  type SlotProps,
  type TactfulProviderProps,
  type WhyAmISeeingThisProps,
} from './provider.js';
export { grantedPurposes, isPermitted, requestKey } from './gate.js';
export type {
  ConsentSnapshot,
  Decider,
  InitialDecision,
  PageRequest,
  SlotState,
  SlotStatus,
} from './types.js';
