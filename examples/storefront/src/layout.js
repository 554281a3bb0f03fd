// The page shell and the pieces every page shares: header, language switch, the consent banner,
// the demo's simulation panel and "Why am I seeing this?".
import { html } from './html.js';
import { inSentence, joinList } from './i18n-privacy.js';
import { localized, texts } from './i18n.js';
import { labelsOf } from './pages/know.js';
import { CATEGORIES, CATEGORY_ORDER } from './products.js';
import { SIMULATIONS } from './simulate.js';

/**
 * @typedef {object} PageState
 * @property {'en' | 'vi'} lang
 * @property {string} path the current path and query (for "return to")
 * @property {number} cartCount
 * @property {string | undefined} simulate the active simulation preset
 * @property {{ purposes: Record<string, { status: string, reason: string }>, noticeVersion: string, signals: { gpc: boolean, dnt: boolean } }} consent
 * @property {Record<string, any>} purposes the notice's purpose sections
 */

/** True when the person has not made any consent choice yet (the banner is then shown). */
export function needsBanner(consent) {
  const purposes = Object.values(consent.purposes);
  return purposes.length > 0 && purposes.every((p) => p.reason === 'no-record');
}

/** The purposes to ask about, in a stable order, with their notice sections. */
export function askedPurposes(state) {
  return Object.keys(state.consent.purposes)
    .sort()
    .map((id) => ({ id, status: state.consent.purposes[id], section: state.purposes[id] }));
}

const WHY = {
  en: {
    used: (list) => `What we used: ${list}.`,
    allowed: (list) => `You allowed this in your consent choices: ${list}.`,
    changeConsent: 'Change your consent',
    changeInterests: 'Tell us what you are (not) interested in',
    privacy: 'Your privacy choices',
  },
  vi: {
    used: (list) => `Dữ liệu được dùng: ${list}.`,
    allowed: (list) => `Bạn đã cho phép điều này trong lựa chọn về sự đồng ý: ${list}.`,
    changeConsent: 'Thay đổi sự đồng ý',
    changeInterests: 'Cho chúng tôi biết bạn quan tâm (hoặc không) đến gì',
    privacy: 'Lựa chọn quyền riêng tư của bạn',
  },
};
const whyWords = (lang) => WHY[lang] ?? WHY.en;

function purposeText(section, lang) {
  return {
    label: localized(section?.label, lang),
    description: localized(section?.description, lang),
    categories: (section?.categories ?? []).map((c) => localized(c.label, lang) || c.id),
  };
}

/** The consent banner: nothing pre-ticked, "Reject all" as easy as "Accept all". */
export function consentBanner(state) {
  const t = texts(state.lang);
  return html`<section class="banner" id="consent-banner" role="dialog" aria-labelledby="banner-title" aria-live="polite">
  <form method="post" action="/consent" class="banner-form">
    <h2 id="banner-title">${t.bannerTitle}</h2>
    <p>${t.bannerText} ${t.bannerLinks(
      html`<a href="/privacy#notice" id="banner-notice">${t.pcNotice.toLowerCase()}</a>`,
      html`<a href="/privacy" id="banner-privacy">${t.privacyCenter.toLowerCase()}</a>`,
    )}</p>
    ${state.consent.signals.gpc ? html`<p class="gpc">${t.gpcNotice}</p>` : ''}
    <input type="hidden" name="return" value="${state.path}">
    <input type="hidden" name="noticeVersion" value="${state.consent.noticeVersion}">
    <input type="hidden" name="lang" value="${state.lang}">
    <div class="banner-buttons">
      <button type="submit" name="action" value="reject" class="choice" id="reject-all">${t.rejectAll}</button>
      <button type="submit" name="action" value="accept" class="choice" id="accept-all">${t.acceptAll}</button>
    </div>
    <details class="banner-choose">
      <summary>${t.chooseTitle}</summary>
      <ul class="purposes">
        ${askedPurposes(state).map(({ id, section }) => {
          const p = purposeText(section, state.lang);
          return html`<li>
          <label><input type="checkbox" name="purpose" value="${id}"> <strong>${p.label}</strong></label>
          <p>${p.description}</p>
        </li>`;
        })}
      </ul>
      <button type="submit" name="action" value="choose" class="choice" id="save-choices">${t.saveChoices}</button>
    </details>
  </form>
</section>`;
}

/**
 * "Why am I seeing this?": the decision's explanation of one slot in the page's language, in
 * sentences — why, what data it used, which of your choices allowed it — with links to change them.
 * Internal names stay in data attributes for tests and tools.
 */
export function whyDisclosure(slot, state) {
  const lang = state.lang;
  const t = texts(lang);
  const w = whyWords(lang);
  const e = slot.explanation;
  const labels = labelsOf(state);
  const used = e.categories.map((c) => inSentence(labels.category(c), lang));
  const allowed = e.purposes.map(labels.purpose);
  const vetoed = e.signals.some((s) => s.startsWith('not-interested:'));
  return html`<details class="why" data-slot="${slot.slot}" data-strategy="${slot.strategy}" data-variant="${slot.variant ?? ''}" data-categories="${e.categories.join(',')}" data-purposes="${e.purposes.join(',')}">
  <summary>${t.why}</summary>
  <p class="why-summary">${used.length === 0 ? t.whyDefault : localized(e.summary, lang)}</p>
  ${used.length > 0 ? html`<p class="why-used">${w.used(joinList(used, lang))}</p>` : ''}
  ${allowed.length > 0 ? html`<p class="why-purposes">${w.allowed(joinList(allowed, lang))}</p>` : ''}
  <p class="why-change">${
    allowed.length > 0
      ? html`<a href="/privacy#consent">${w.changeConsent}</a>`
      : html`<a href="/privacy#consent">${w.privacy}</a>`
  }${vetoed || used.length > 0 ? html` · <a href="/privacy#interests">${w.changeInterests}</a>` : ''}</p>
</details>`;
}

function simulationPanel(state) {
  const t = texts(state.lang);
  const active = state.simulate === undefined ? undefined : SIMULATIONS[state.simulate];
  return html`<aside class="demo-panel" aria-label="${t.demoPanel}">
  <details>
    <summary><span class="demo-tag">DEMO</span> ${t.demoPanel}${
      active ? html`: <strong id="simulation-active">${localized(active.label, state.lang)}</strong>` : ''
    }</summary>
    <p>${t.demoExplain}</p>
    <ul>
      ${Object.entries(SIMULATIONS).map(
        ([id, preset]) =>
          html`<li><a href="?simulate=${id}"${state.simulate === id ? html` aria-current="true"` : ''}>${localized(preset.label, state.lang)}</a></li>`,
      )}
      <li><a href="?simulate=off">${t.demoOff}</a></li>
    </ul>
  </details>
</aside>`;
}

/** The whole page. */
export function page(state, { title, body, banner = true }) {
  const t = texts(state.lang);
  const other = state.lang === 'en' ? 'vi' : 'en';
  return html`<!doctype html>
<html lang="${state.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t.shopName}</title>
<link rel="stylesheet" href="/static/shop.css">
</head>
<body>
${simulationPanel(state)}
<header class="top">
  <a class="logo" href="/">${t.shopName}<small>${t.tagline}</small></a>
  <nav class="categories">
    ${CATEGORY_ORDER.map((id) => html`<a href="/c/${id}">${localized(CATEGORIES[id].name, state.lang)}</a>`)}
  </nav>
  <nav class="tools">
    <a href="/cart" id="cart-link">${t.cart} (${state.cartCount})</a>
    <a href="/privacy" id="privacy-link">${t.privacyLink}</a>
    <form method="post" action="/lang" class="lang-switch">
      <input type="hidden" name="return" value="${state.path}">
      <button type="submit" name="lang" value="${other}" id="lang-switch" title="${t.language}">${other === 'vi' ? 'Tiếng Việt' : 'English'}</button>
    </form>
  </nav>
</header>
<main>
${body}
</main>
<footer>
  <p>${t.footer}</p>
  <p><a href="/privacy#notice">${t.pcNotice}</a> · <a href="/privacy" id="footer-privacy">${t.privacyCenter}</a> · <a href="/privacy#gpc" id="footer-gpc">${t.gpcLink}</a></p>
</footer>
${banner && needsBanner(state.consent) ? consentBanner(state) : ''}
</body>
</html>`;
}
