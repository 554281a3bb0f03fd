/** A meteorological season. */
export type Season = 'spring' | 'summer' | 'autumn' | 'winter';
/** A hemisphere of the Earth. */
export type Hemisphere = 'northern' | 'southern';

/**
 * Countries (ISO 3166-1 alpha-2) lying wholly or mostly south of the equator. Every other
 * country is taken to be northern.
 */
export const SOUTHERN_COUNTRIES: ReadonlySet<string> = new Set([
  'AO',
  'AR',
  'AU',
  'BO',
  'BR',
  'BW',
  'CK',
  'CL',
  'FJ',
  'ID',
  'IO',
  'KM',
  'LS',
  'MG',
  'MU',
  'MW',
  'MZ',
  'NA',
  'NC',
  'NR',
  'NU',
  'NZ',
  'PE',
  'PF',
  'PG',
  'PN',
  'PY',
  'RE',
  'SB',
  'SC',
  'SH',
  'SZ',
  'TL',
  'TO',
  'TV',
  'UY',
  'VU',
  'WF',
  'WS',
  'YT',
  'ZA',
  'ZM',
  'ZW',
  'AQ',
  'BV',
  'FK',
  'GS',
  'HM',
  'TF',
]);

/** True for two capital letters A–Z, the form of an ISO 3166-1 alpha-2 code (no regex: it runs per decision). */
export function isCountryCode(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 2) return false;
  const a = value.charCodeAt(0);
  const b = value.charCodeAt(1);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90;
}

/**
 * The hemisphere of a visitor: from the latitude when one may be used, else from the country.
 * Undefined when neither is known.
 */
export function hemisphereOf(place: {
  country?: string | undefined;
  latitude?: number | undefined;
}): Hemisphere | undefined {
  if (typeof place.latitude === 'number' && Number.isFinite(place.latitude)) {
    return place.latitude < 0 ? 'southern' : 'northern';
  }
  if (isCountryCode(place.country)) {
    return SOUTHERN_COUNTRIES.has(place.country) ? 'southern' : 'northern';
  }
  return undefined;
}

const NORTHERN: readonly Season[] = ['winter', 'spring', 'summer', 'autumn'];

/**
 * The meteorological season of a month (1–12): in the northern hemisphere March–May is spring,
 * June–August summer, September–November autumn, December–February winter; the southern
 * hemisphere is six months apart.
 *
 * @example
 * ```ts
 * seasonOf(7, 'northern'); // 'summer'
 * seasonOf(7, 'southern'); // 'winter'
 * ```
 */
export function seasonOf(month: number, hemisphere: Hemisphere): Season {
  const index = Math.floor((month % 12) / 3);
  const shifted = hemisphere === 'southern' ? (index + 2) % 4 : index;
  return NORTHERN[shifted]!;
}
