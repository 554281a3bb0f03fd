/**
 * `@tactful/contextual`: personalize on the moment, not the person. A strategy publishing the
 * `contextual.context` signal and proposing content from contextual rules, a weather data source,
 * and a header reader that trusts location headers only from a configured edge proxy.
 *
 * @packageDocumentation
 */
export * from './accept-language.js';
export * from './contextual.js';
export * from './device.js';
export * from './headers.js';
export * from './holidays.js';
export * from './ip-address.js';
export * from './local-time.js';
export * from './lunar-dates.js';
export * from './rules.js';
export * from './season.js';
export * from './signals.js';
export * from './weather-source.js';
export { CITIES, type CityCoordinates, foldName } from './weather/cities.js';
export { conditionOfWmoCode, isRaining } from './weather/wmo.js';
export { VERSION } from './version.js';
