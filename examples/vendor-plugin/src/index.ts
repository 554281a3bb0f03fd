/**
 * `tactful-plugin-happy-hour`: an example third-party Tactful strategy, written against
 * `@tactful/core` alone.
 *
 * @packageDocumentation
 */
export { happyHour, HAPPY_HOUR_SIGNAL } from './happy-hour.js';
export {
  parseHappyHourOptions,
  WEEKDAYS,
  type HappyHourOptions,
  type ResolvedHappyHourOptions,
  type Weekday,
} from './options.js';
export { inWindow, localTime, type LocalTime } from './local-time.js';
