/**
 * `@tactful/client`: a small typed browser client for the Tactful decision server — decide,
 * session events, consent, export and erasure — that shows every slot's default content when the
 * server is slow, overloaded or unreachable, and a headless consent banner helper.
 *
 * @packageDocumentation
 */
export { createClient } from './client.js';
export {
  createConsentBanner,
  type ConsentBanner,
  type ConsentBannerOptions,
  type ConsentBannerState,
} from './banner.js';
export {
  TactfulClientError,
  isTactfulClientError,
  type ClientErrorCode,
  type ClientErrorIssue,
} from './errors.js';
export { ROUTES, type RouteMethod, type RouteName } from './routes.js';
export type * from './types.js';
