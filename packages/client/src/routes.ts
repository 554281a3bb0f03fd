/** An HTTP method the client uses. */
export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Each client method's route on the decision server, written as the server's OpenAPI document
 * writes paths (`{purpose}` is a path parameter). The client builds every request from this
 * table, and a test checks it against the document the server generates.
 */
export const ROUTES = {
  decide: { method: 'POST', path: '/v1/decide' },
  sendEvents: { method: 'POST', path: '/v1/session/events' },
  endSession: { method: 'DELETE', path: '/v1/session' },
  consent: { method: 'GET', path: '/v1/consent' },
  purpose: { method: 'GET', path: '/v1/consent/{purpose}' },
  choose: { method: 'POST', path: '/v1/consent' },
  grant: { method: 'POST', path: '/v1/consent/{purpose}' },
  withdraw: { method: 'DELETE', path: '/v1/consent/{purpose}' },
  withdrawAll: { method: 'DELETE', path: '/v1/consent' },
  exportData: { method: 'GET', path: '/v1/me/export' },
  erase: { method: 'DELETE', path: '/v1/me' },
  declarePreferences: { method: 'PATCH', path: '/v1/me/preferences' },
  notice: { method: 'GET', path: '/v1/notice' },
} as const satisfies Record<string, { method: RouteMethod; path: string }>;

/** The name of a client method that calls the server. */
export type RouteName = keyof typeof ROUTES;
