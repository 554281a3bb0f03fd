import type { WeatherCondition } from '../signals.js';

/**
 * Maps a WMO weather interpretation code (as Open-Meteo returns in `weather_code`) to a coarse
 * condition. Undefined for a code outside the WMO table.
 *
 * @example
 * ```ts
 * conditionOfWmoCode(61); // 'rain'
 * ```
 */
export function conditionOfWmoCode(code: number): WeatherCondition | undefined {
  if (!Number.isInteger(code)) return undefined;
  if (code === 0 || code === 1) return 'clear';
  if (code === 2 || code === 3) return 'cloudy';
  if (code === 45 || code === 48) return 'fog';
  if (code >= 51 && code <= 57) return 'drizzle';
  if ((code >= 61 && code <= 67) || (code >= 80 && code <= 82)) return 'rain';
  if ((code >= 71 && code <= 77) || code === 85 || code === 86) return 'snow';
  if (code === 95 || code === 96 || code === 99) return 'thunderstorm';
  return undefined;
}

/** True when the condition (or measured precipitation) means rain falling now. */
export function isRaining(condition: WeatherCondition, precipitationMm: number | undefined): boolean {
  if (condition === 'rain' || condition === 'drizzle' || condition === 'thunderstorm') return true;
  if (condition === 'snow') return false;
  return precipitationMm !== undefined && precipitationMm > 0.1;
}
