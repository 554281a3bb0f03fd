// What a user would build instead of Tactful, for the same five slots of the storefront:
//
// - the GrowthBook route: the storefront's configuration translated BY CODE into a GrowthBook
//   payload (each slot a feature whose force rules are the catalog's variants and the contextual
//   rules in priority order, each segment a saved group, the session slots gated by a feature),
//   evaluated per request by `@growthbook/growthbook`'s GrowthBookClient on attributes (facts) the
//   app computes itself: local time, device, language, weather (cached), declared interests, and
//   session interest scores;
// - the floor route: the same decision written by hand as plain `if`s over the same facts.
//
// Neither reads consent, signs cookies, checks CSRF, validates the body, explains or audits: they
// are the cost floor of choosing the same content. The bench checks that they choose exactly what
// Tactful chose, slot by slot, on every run.
import { GrowthBookClient } from '@growthbook/growthbook';
import { Hono } from 'hono';
import { DECLARED, EVENTS, SLOTS } from './storefront.mjs';

/** The app's own city table (the Tactful weather source ships one too). */
const CITIES = new Map([
  ['hà nội', { latitude: 21.03, longitude: 105.85 }],
  ['hanoi', { latitude: 21.03, longitude: 105.85 }],
  ['ho chi minh city', { latitude: 10.82, longitude: 106.63 }],
]);
/** The app's Tết table (first day of the lunar new year), the week before to the 5th day. */
const TET = ['2026-02-17', '2027-02-06', '2028-01-26'].map((d) => Date.parse(`${d}T00:00:00Z`));
const DAY = 86_400_000;
const SESSION_VARIANTS = { categories: 'by-interest', continue: 'continue' };
const STRENGTH = { page_view: 0.25, category_view: 0.75, product_view: 1, search: 1, add_to_cart: 3 };

/** Translates a condition of Tactful's language into GrowthBook's (the same operators; paths kept). */
function translateCondition(condition, prefix = '') {
  const out = {};
  for (const [key, value] of Object.entries(condition)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      out[key] = value.map((c) => translateCondition(c, prefix));
    } else if (key === '$not') {
      out[key] = translateCondition(value, prefix);
    } else if (prefix === '' && key === 'segments') {
      // A segment is a saved group: `{ segments: 'x' }` means "in the group x".
      const names = typeof value === 'string' ? [value] : value.$in;
      const refs = names.map((id) => ({ $savedGroup: { id } }));
      Object.assign(out, refs.length === 1 ? refs[0] : { $or: refs });
    } else if (typeof value === 'string' || typeof value === 'number') {
      // Tactful's equality also matches an array that holds the value; GrowthBook's `$in` does both.
      out[`${prefix}${key}`] = { $in: [value] };
    } else {
      out[`${prefix}${key}`] = value;
    }
  }
  return out;
}

/** One localized value of a catalog entry (its content, overlaid by the locale's). */
const localized = (entry, locale) => entry.locales?.[locale] ?? entry.content;

/**
 * The GrowthBook payload for the storefront: features (one per slot) and saved groups (one per
 * segment), from the configuration and the catalog as Tactful reads them.
 */
export function translate(config, catalog, locale) {
  const savedGroups = {};
  for (const segment of config.strategies.segments?.segments ?? []) {
    savedGroups[segment.name] = { type: 'condition', condition: translateCondition(segment.condition) };
  }
  const features = {};
  for (const slot of catalog.slots) {
    const variants = [...slot.variants].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
    features[slot.id] = {
      defaultValue: { variant: 'default', content: localized(slot.default, locale) },
      rules: variants.map((v) => ({
        id: v.id,
        condition: translateCondition(v.when ?? {}),
        force: { variant: v.id, content: localized(v, locale) },
      })),
    };
  }
  for (const rule of config.strategies.contextual?.rules ?? []) {
    if (features[rule.slot] === undefined)
      features[rule.slot] = { defaultValue: { variant: 'default' }, rules: [] };
    const feature = features[rule.slot];
    feature.rules.push({
      id: rule.id,
      condition: translateCondition(rule.when, 'context.'),
      force: { variant: rule.id, content: rule.content },
    });
  }
  const session = config.strategies.anonymousSession?.slots ?? {};
  // The session slots' content is the app's own computation; a feature decides whether it shows
  // (named as the session strategy names its variants).
  for (const [kind, slot] of Object.entries(session)) {
    const variant = SESSION_VARIANTS[kind];
    features[slot] = {
      defaultValue: { variant: 'default' },
      rules: [{ id: kind, condition: { [`session.${kind}`]: { $exists: true } }, force: { variant } }],
    };
  }
  return { features, savedGroups };
}

/** The app's facts about one request, as GrowthBook attributes. */
function makeFacts(config) {
  const zone = config.strategies.contextual?.defaultTimeZone ?? 'UTC';
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hour: 'numeric',
    hourCycle: 'h23',
    weekday: 'short',
  });
  const categories = config.strategies.anonymousSession?.categories ?? [];
  const halfLife = 600_000;
  return function facts({ now, userAgent, city, profile, events, raining }) {
    let hour = 0;
    let weekday = '';
    for (const p of parts.formatToParts(now)) {
      if (p.type === 'hour') hour = Number(p.value);
      else if (p.type === 'weekday') weekday = p.value;
    }
    const daypart =
      hour >= 5 && hour < 12
        ? 'morning'
        : hour < 17 && hour >= 12
          ? 'afternoon'
          : hour >= 17 && hour < 22
            ? 'evening'
            : 'night';
    const t = now.getTime();
    const holidays = TET.some((d) => t >= d - 7 * DAY && t < d + 5 * DAY) ? ['tet'] : [];
    const deviceClass = /iPad|Tablet/.test(userAgent)
      ? 'tablet'
      : /Mobile|iPhone|Android/.test(userAgent)
        ? 'mobile'
        : 'desktop';
    // Session interests: decayed strengths per topic, the top ones, and recently viewed products.
    const raw = new Map();
    for (const e of events) {
      const w =
        Math.min(STRENGTH[e.type] ?? 0, 3) * Math.exp((-Math.LN2 / halfLife) * Math.max(0, t - e.time));
      for (const topic of e.topics) raw.set(topic, (raw.get(topic) ?? 0) + w);
    }
    const interests = {};
    const ranked = [];
    for (const [topic, total] of raw) {
      const score = Math.round(Math.min(total / 5, 1) * 1000) / 1000;
      if (score >= 0.05) {
        interests[topic] = score;
        ranked.push({ topic, score });
      }
    }
    ranked.sort((a, b) => b.score - a.score || (a.topic < b.topic ? -1 : 1));
    const top = ranked.map((r) => r.topic).filter((x) => categories.includes(x));
    const session = {};
    if (top.length > 0) {
      session.categories = {
        kind: 'categories',
        order: [...top, ...categories.filter((c) => !top.includes(c))],
        top,
      };
    }
    const items = [];
    for (let i = events.length - 1; i >= 0 && items.length < 4; i--) {
      const e = events[i];
      if (e.type === 'product_view' && !items.some((x) => x.target === e.target)) {
        items.push({ target: e.target, topics: [...e.topics], at: e.at });
      }
    }
    if (items.length > 0) session.continue = { kind: 'continue', items };
    return {
      context: {
        daypart,
        weekend: weekday === 'Sat' || weekday === 'Sun',
        holidays,
        device: { class: deviceClass },
        city,
        weather: { raining },
      },
      profile: { preferences: profile },
      interests,
      session,
    };
  };
}

/** The app's weather: the forecast API asked once per city and hour, kept for 15 minutes. */
function weatherCache(baseUrl) {
  const cache = new Map();
  return async (city, now) => {
    const hit = cache.get(city);
    if (hit !== undefined && hit.expires > now) return hit.raining;
    const place = CITIES.get(city.toLowerCase());
    if (place === undefined) return false;
    const response = await fetch(
      `${baseUrl}/v1/forecast?latitude=${place.latitude}&longitude=${place.longitude}&current=temperature_2m,weather_code,precipitation`,
    );
    const { current } = await response.json();
    const raining =
      (current.weather_code >= 51 && current.weather_code <= 67) ||
      current.weather_code >= 80 ||
      current.precipitation > 0;
    cache.set(city, { raining, expires: now + 15 * 60_000 });
    return raining;
  };
}

/** The visitor the app knows: its profile and its session, under its own (unsigned) cookies. */
function appState() {
  const profiles = new Map([
    ['u1', { interests: [...DECLARED.interests], notInterested: [...DECLARED.notInterested] }],
  ]);
  const sessions = new Map([['s1', EVENTS.map((e) => ({ ...e, time: Date.parse(e.at) }))]]);
  return { profiles, sessions, cookie: 'uid=u1; sid=s1' };
}

function readCookies(header) {
  let uid;
  let sid;
  for (const part of (header ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === 'uid') uid = v;
    else if (k === 'sid') sid = v;
  }
  return { uid, sid };
}

/**
 * A Hono app answering `POST /v1/decide` the GrowthBook way (`kind: 'growthbook'`) or by hand
 * (`kind: 'floor'`). Both read the same body (slots, the page's moment) and the same headers.
 */
export function peerApp(kind, { config, catalog, weatherUrl, cityHeader }) {
  const state = appState();
  const facts = makeFacts(config);
  const weather = weatherCache(weatherUrl);
  const locales = config.strategies.contextual?.supportedLocales ?? ['en'];
  const pickLocale = (header) => {
    for (const part of (header ?? '').split(',')) {
      const tag = part.split(';')[0].trim().toLowerCase().split('-')[0];
      if (locales.includes(tag)) return tag;
    }
    return locales[0];
  };
  const payloads = Object.fromEntries(locales.map((l) => [l, translate(config, catalog, l)]));
  const clients = Object.fromEntries(
    locales.map((l) => [l, new GrowthBookClient({ disableCache: true }).initSync({ payload: payloads[l] })]),
  );
  const sessionKinds = Object.fromEntries(
    Object.entries(config.strategies.anonymousSession?.slots ?? {}).map(([kind, slot]) => [slot, kind]),
  );
  const slotsOf = (body) => body.slots.map((s) => s.id);
  const choose =
    kind === 'growthbook'
      ? (locale, attributes, slots) => {
          const client = clients[locale];
          return slots.map((slot) => {
            const value = client.evalFeature(slot, { attributes }).value ?? { variant: 'default' };
            const kind = sessionKinds[slot];
            return kind === undefined || value.variant === 'default'
              ? { slot, ...value }
              : { slot, variant: value.variant, content: attributes.session[kind] };
          });
        }
      : (locale, a, slots) => {
          const byId = Object.fromEntries(catalog.slots.map((s) => [s.id, s]));
          const catalogVariant = (slot, id) => {
            const v = byId[slot].variants.find((x) => x.id === id);
            return { slot, variant: id, content: localized(v, locale) };
          };
          const c = a.context;
          const kids = a.profile.preferences.interests.includes('kids');
          return slots.map((slot) => {
            switch (slot) {
              case 'home.hero':
                if (c.holidays.includes('tet')) return catalogVariant(slot, 'tet');
                if (c.weather.raining) return catalogVariant(slot, 'rain');
                if (kids) return catalogVariant(slot, 'kids-declared');
                if ((a.interests.kids ?? 0) >= 0.3) return catalogVariant(slot, 'kids-session');
                if (c.daypart === 'evening') return catalogVariant(slot, 'evening');
                return { slot, variant: 'default', content: localized(byId[slot].default, locale) };
              case 'home.banner':
                if (c.daypart === 'evening' && c.device.class === 'mobile')
                  return catalogVariant(slot, 'mobile-evening');
                if (c.weekend) return catalogVariant(slot, 'weekend');
                return { slot, variant: 'default', content: localized(byId[slot].default, locale) };
              case 'home.rail':
                return a.session.categories
                  ? { slot, variant: 'by-interest', content: a.session.categories }
                  : { slot, variant: 'default' };
              case 'home.continue':
                return a.session.continue
                  ? { slot, variant: 'continue', content: a.session.continue }
                  : { slot, variant: 'default' };
              case 'page.notice': {
                const rule = config.strategies.contextual.rules.find((r) => r.id === 'rain-notice');
                return c.weather.raining
                  ? { slot, variant: rule.id, content: rule.content }
                  : { slot, variant: 'default' };
              }
              default:
                return { slot, variant: 'default' };
            }
          });
        };
  /** One decision from the request's body and headers (`header(name)` reads one). */
  async function decide(body, header) {
    const { uid, sid } = readCookies(header('cookie'));
    const now = new Date(body.context?.now ?? Date.now());
    const city = decodeURIComponent(header(cityHeader) ?? '');
    const raining = await weather(city, now.getTime());
    const attributes = facts({
      now,
      userAgent: header('user-agent') ?? '',
      city,
      profile: state.profiles.get(uid) ?? { interests: [], notInterested: [] },
      events: state.sessions.get(sid) ?? [],
      raining,
    });
    const locale = pickLocale(header('accept-language'));
    return { slots: choose(locale, attributes, slotsOf(body)) };
  }
  const app = new Hono();
  app.post('/v1/decide', async (c) => c.json(await decide(await c.req.json(), (name) => c.req.header(name))));
  return { app, decide, cookie: state.cookie, slots: SLOTS };
}
