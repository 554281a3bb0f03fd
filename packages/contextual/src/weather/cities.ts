/** A city and its centroid: what the weather is asked for (never the visitor's own position). */
export interface CityCoordinates {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** The city's name, and other names it goes by. */
  names: readonly string[];
  latitude: number;
  longitude: number;
}

const c = (country: string, names: string[], latitude: number, longitude: number): CityCoordinates => ({
  country,
  names,
  latitude,
  longitude,
});

/** A small table of city centroids (Viet Nam first, then large cities elsewhere). */
export const CITIES: readonly CityCoordinates[] = Object.freeze([
  c('VN', ['Hà Nội', 'Hanoi', 'Ha Noi'], 21.03, 105.85),
  c(
    'VN',
    ['Hồ Chí Minh', 'Ho Chi Minh City', 'Thành phố Hồ Chí Minh', 'Saigon', 'Sài Gòn', 'HCMC'],
    10.82,
    106.63,
  ),
  c('VN', ['Đà Nẵng', 'Da Nang'], 16.05, 108.22),
  c('VN', ['Hải Phòng', 'Haiphong', 'Hai Phong'], 20.86, 106.68),
  c('VN', ['Cần Thơ', 'Can Tho'], 10.05, 105.75),
  c('VN', ['Huế', 'Hue'], 16.46, 107.59),
  c('VN', ['Nha Trang'], 12.24, 109.19),
  c('VN', ['Đà Lạt', 'Da Lat', 'Dalat'], 11.94, 108.44),
  c('VN', ['Vũng Tàu', 'Vung Tau'], 10.35, 107.08),
  c('VN', ['Quy Nhơn', 'Quy Nhon'], 13.78, 109.22),
  c('VN', ['Biên Hòa', 'Bien Hoa'], 10.95, 106.82),
  c('VN', ['Hạ Long', 'Ha Long', 'Halong'], 20.95, 107.08),
  c('VN', ['Vinh'], 18.67, 105.68),
  c('VN', ['Buôn Ma Thuột', 'Buon Ma Thuot'], 12.67, 108.04),
  c('VN', ['Thủ Dầu Một', 'Thu Dau Mot'], 10.98, 106.65),
  c('DE', ['Berlin'], 52.52, 13.41),
  c('DE', ['Hamburg'], 53.55, 10.0),
  c('DE', ['München', 'Munich', 'Muenchen'], 48.14, 11.58),
  c('DE', ['Köln', 'Cologne', 'Koeln'], 50.94, 6.96),
  c('DE', ['Frankfurt am Main', 'Frankfurt'], 50.11, 8.68),
  c('FR', ['Paris'], 48.86, 2.35),
  c('GB', ['London'], 51.51, -0.13),
  c('NL', ['Amsterdam'], 52.37, 4.9),
  c('ES', ['Madrid'], 40.42, -3.7),
  c('IT', ['Rome', 'Roma'], 41.9, 12.5),
  c('PL', ['Warsaw', 'Warszawa'], 52.23, 21.01),
  c('CZ', ['Prague', 'Praha'], 50.09, 14.42),
  c('US', ['New York', 'New York City'], 40.71, -74.01),
  c('US', ['Los Angeles'], 34.05, -118.24),
  c('US', ['Chicago'], 41.88, -87.63),
  c('US', ['San Francisco'], 37.77, -122.42),
  c('US', ['Seattle'], 47.61, -122.33),
  c('US', ['Houston'], 29.76, -95.37),
  c('CA', ['Toronto'], 43.65, -79.38),
  c('CA', ['Vancouver'], 49.28, -123.12),
  c('AU', ['Sydney'], -33.87, 151.21),
  c('AU', ['Melbourne'], -37.81, 144.96),
  c('NZ', ['Auckland'], -36.85, 174.76),
  c('JP', ['Tokyo', 'Tōkyō'], 35.68, 139.69),
  c('JP', ['Osaka', 'Ōsaka'], 34.69, 135.5),
  c('KR', ['Seoul'], 37.57, 126.98),
  c('CN', ['Beijing'], 39.9, 116.41),
  c('CN', ['Shanghai'], 31.23, 121.47),
  c('HK', ['Hong Kong'], 22.32, 114.17),
  c('TW', ['Taipei'], 25.03, 121.57),
  c('SG', ['Singapore'], 1.35, 103.82),
  c('TH', ['Bangkok'], 13.76, 100.5),
  c('MY', ['Kuala Lumpur'], 3.14, 101.69),
  c('ID', ['Jakarta'], -6.21, 106.85),
  c('PH', ['Manila'], 14.6, 120.98),
  c('KH', ['Phnom Penh'], 11.56, 104.92),
  c('LA', ['Vientiane'], 17.98, 102.63),
  c('IN', ['Mumbai'], 19.08, 72.88),
  c('IN', ['Delhi', 'New Delhi'], 28.61, 77.21),
  c('AE', ['Dubai'], 25.2, 55.27),
  c('BR', ['São Paulo', 'Sao Paulo'], -23.55, -46.63),
  c('AR', ['Buenos Aires'], -34.6, -58.38),
  c('ZA', ['Johannesburg'], -26.2, 28.05),
]);

/** Folds a place name for matching: no diacritics, lower case, single spaces. */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/^(thanh pho|tp\.?|city of)\s+/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** An index of city centroids by country and folded name. */
export function cityIndex(
  cities: ReadonlyArray<CityCoordinates>,
): (country: string | undefined, city: string) => CityCoordinates | undefined {
  const byKey = new Map<string, CityCoordinates>();
  const byName = new Map<string, CityCoordinates | null>();
  for (const entry of cities) {
    for (const name of entry.names) {
      const folded = foldName(name);
      byKey.set(`${entry.country}|${folded}`, entry);
      // A name found in two countries is ambiguous without the country.
      const seen = byName.get(folded);
      byName.set(folded, seen === undefined || seen === entry ? entry : null);
    }
  }
  return (country, city) => {
    const folded = foldName(city);
    if (country !== undefined) return byKey.get(`${country}|${folded}`);
    return byName.get(folded) ?? undefined;
  };
}
