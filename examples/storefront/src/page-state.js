// What every page needs (language, cart, simulation, consent, the API client), and the two calls
// pages make while rendering: a decision, and a session event.
import { createHash } from 'node:crypto';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { apiClients } from './api.js';
import { pickLanguage, texts } from './i18n.js';
import { messagePage } from './pages/shop-pages.js';
import { CATEGORY_ORDER, productById } from './products.js';
import { simulatedRequest, simulation } from './simulate.js';

/** The shop's own cookies: all strictly necessary or set on an explicit request, none identifies anyone. */
export const SHOP_COOKIES = Object.freeze({
  /** The language the person chose with the switch (only set when they use it). */
  lang: 'shop_lang',
  /** The cart's product ids (the cart itself, no identifier). */
  cart: 'shop_cart',
  /** DEMO ONLY: the active simulation preset. */
  simulate: 'demo_simulate',
});

/** The shop's own cookies as the privacy notice discloses them (the notice is generated from this). */
export const SHOP_STORAGE = Object.freeze([
  {
    name: SHOP_COOKIES.lang,
    kind: 'cookie',
    lifetimeDays: 365,
    description: {
      en: 'The language you chose with the language switch (set only when you use it)',
      vi: 'Ngôn ngữ bạn đã chọn bằng nút chuyển ngôn ngữ (chỉ được đặt khi bạn dùng nút này)',
    },
  },
  {
    name: SHOP_COOKIES.cart,
    kind: 'cookie',
    description: {
      en: 'The products in your cart, by product code; no identifier',
      vi: 'Các sản phẩm trong giỏ hàng của bạn, theo mã sản phẩm; không chứa định danh',
    },
  },
  {
    name: SHOP_COOKIES.simulate,
    kind: 'cookie',
    description: {
      en: 'Demo only: the simulated time, place and device you picked in the demo panel',
      vi: 'Chỉ dành cho bản demo: thời điểm, địa điểm và thiết bị giả lập bạn chọn trong bảng demo',
    },
  },
]);

const MAX_CART = 20;

/** The cart: product ids from its cookie (unknown ids dropped). */
export function readCart(c) {
  const value = getCookie(c, SHOP_COOKIES.cart) ?? '';
  return value
    .split('.')
    .filter((id) => productById(id) !== undefined)
    .slice(0, MAX_CART);
}

/** Stores the cart (the last `MAX_CART` items); an empty cart removes the cookie. */
export function writeCart(c, items) {
  const kept = items.slice(-MAX_CART);
  if (kept.length === 0) deleteCookie(c, SHOP_COOKIES.cart, { path: '/' });
  else setCookie(c, SHOP_COOKIES.cart, kept.join('.'), { path: '/', httpOnly: true, sameSite: 'Lax' });
}

/** DEMO ONLY: `?simulate=<preset>` switches the simulation on, `?simulate=off` off. */
function activeSimulation(c) {
  const asked = c.req.method === 'GET' ? c.req.query('simulate') : undefined;
  if (asked === 'off') {
    deleteCookie(c, SHOP_COOKIES.simulate, { path: '/' });
    return undefined;
  }
  if (simulation(asked)) {
    setCookie(c, SHOP_COOKIES.simulate, asked, { path: '/', httpOnly: true, sameSite: 'Lax' });
    return asked;
  }
  const kept = getCookie(c, SHOP_COOKIES.simulate);
  return simulation(kept) ? kept : undefined;
}

/**
 * A fingerprint of the consent a page showed: a form posted with another one was drawn from
 * consent that has changed since (an erasure, another tab), and is refused rather than applied.
 */
export function consentToken(consent) {
  const parts = Object.keys(consent.purposes ?? {})
    .sort()
    .map((id) => `${id}=${consent.purposes[id]?.status}:${consent.purposes[id]?.recordedAt ?? ''}`);
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 22);
}

/** The request defaults of the slots: the catalog's, localized; the rail in the site's order. */
function slotDefaults(catalogs, ids, lang) {
  return ids.map((id) => {
    if (id === 'home.rail') return { id, default: { kind: 'categories', order: CATEGORY_ORDER, top: [] } };
    if (id === 'home.continue') return { id, default: { kind: 'continue', items: [] } };
    const catalog = catalogs.find((c) => c.slots.has(id));
    const content = catalog?.defaultContent(id, lang);
    return content === undefined ? { id } : { id, default: content };
  });
}

/**
 * Makes the page helpers of a shop.
 *
 * @param {{ api: { app: { fetch: Function } }, tactful: { notice: { purposes: Record<string, unknown>, version: string } }, catalogs: Array<any>, edge: object, segments?: Record<string, unknown> }} shop
 */
export function pageHelpers({ api, tactful, catalogs, edge, segments = {} }) {
  /** Reads the consent state of this browser afresh (after a change made during this request). */
  async function readConsent(client) {
    try {
      return await client.consent();
    } catch {
      // Consent that cannot be read is no consent: nothing is asked, nothing personalized (P8).
      return {
        purposes: {},
        noticeVersion: tactful.notice.version,
        signals: { gpc: false, dnt: false },
        unavailable: true,
      };
    }
  }

  /** What every page needs: language, cart, simulation, the API client and the consent state. */
  async function pageState(c) {
    const lang = pickLanguage(getCookie(c, SHOP_COOKIES.lang), c.req.header('accept-language'));
    const simulate = activeSimulation(c);
    const preset = simulation(simulate);
    const sim = preset ? simulatedRequest(preset) : undefined;
    const { client, forms } = apiClients(api.app, c, sim ? { edge, simulation: sim } : {});
    const consent = await readConsent(client);
    const url = new URL(c.req.url);
    url.searchParams.delete('simulate');
    return {
      lang,
      path: `${url.pathname}${url.search}`,
      cartCount: readCart(c).length,
      simulate,
      sim,
      client,
      forms,
      consent,
      purposes: tactful.notice.purposes,
      notice: tactful.notice,
      segments,
    };
  }

  /**
   * The decision for some slots, by slot id. The client never fails: when the API is slow, busy
   * (503, Retry-After), refuses or answers junk, every slot has its default (P8).
   */
  async function decide(state, ids) {
    const slots = slotDefaults(catalogs, ids, state.lang);
    const context = { locale: state.lang, url: state.path, ...(state.sim ? state.sim.context : {}) };
    const decision = await state.client.decide({ slots, context });
    return Object.fromEntries(decision.slots.map((slot) => [slot.slot, slot]));
  }

  /** Records a session event, when this visit may be personalized at all. */
  async function record(state, event) {
    // The API keeps nothing without consent (or with GPC); don't even ask it then.
    const session = state.consent.purposes['personalization.session'];
    if (session?.status !== 'granted' || state.consent.signals.gpc || state.consent.signals.dnt) return;
    // Under a simulated moment, events happen at that moment too (else they'd be in its future).
    const at = state.sim ? { at: state.sim.context.now } : {};
    // An event that could not be recorded leaves the page as it is: the visit is personalized less.
    await state.client.sendEvents([{ ...event, ...at }]).catch(() => undefined);
  }

  return { pageState, readConsent, decide, record };
}

/** An error page for an API refusal (a `TactfulClientError`: its status, its message, its Retry-After). */
export function apiError(c, state, error) {
  const t = texts(state.lang);
  const message = error?.message ?? String(error);
  if (error?.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter));
  const status = error?.status;
  return c.html(
    messagePage(state, t.errorTitle, message).toString(),
    // No answer at all (a timeout, the API unreachable): the service is unavailable, not broken.
    typeof status === 'number' && status >= 400 && status <= 599 ? status : 503,
  );
}
