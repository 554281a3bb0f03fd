/**
 * `@tactful/store-redis`: the ephemeral state of a fleet of Tactful servers in Redis (Node only):
 * anonymous sessions that expire with their TTL, and rate limits every server shares.
 *
 * @packageDocumentation
 */
export * from './connection.js';
export * from './session-store.js';
export * from './rate-limiter.js';
