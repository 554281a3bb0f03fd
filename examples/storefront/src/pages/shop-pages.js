// The shop's own pages: home (hero, banner, product rail, "continue"), category, product, cart.
import { html } from '../html.js';
import { localized, texts } from '../i18n.js';
import { page, whyDisclosure } from '../layout.js';
import { CATEGORIES, CATEGORY_ORDER, PRODUCTS, formatPrice, productById, productsIn } from '../products.js';

/** A product card. */
export function productCard(product, lang) {
  return html`<a class="card" href="/p/${product.id}" data-product="${product.id}" data-category="${product.category}">
  <span class="picture" style="background:${product.colour}" aria-hidden="true">${product.monogram}</span>
  <span class="name">${localized(product.name, lang)}</span>
  <span class="price">${formatPrice(product.price, lang)}</span>
</a>`;
}

/** How many products the rail shows. */
export const RAIL_SIZE = 6;

/** The hero block. */
export function heroBlock(slot, state) {
  const lang = state.lang;
  const c = slot.content ?? {};
  return html`<section class="hero theme-${String(c.theme ?? 'default')}" id="hero" data-variant="${slot.variant ?? 'default'}">
  <div class="hero-text">
    <h1>${c.title}</h1>
    <p>${c.text}</p>
    <a class="button" href="${safeHref(c.href)}">${c.cta}</a>
  </div>
  ${whyDisclosure(slot, state)}
</section>`;
}

/** Only the shop's own paths are linked from content. */
function safeHref(href) {
  return typeof href === 'string' && href.startsWith('/') && !href.startsWith('//') ? href : '/';
}

/**
 * The product rail: products in the category order the decision gave (the anonymous session
 * moves the categories this visit showed interest in to the front), two per category.
 */
export function railProducts(order) {
  const known = Array.isArray(order) ? order.filter((id) => CATEGORY_ORDER.includes(id)) : [];
  const categories = [...known, ...CATEGORY_ORDER.filter((id) => !known.includes(id))];
  return categories.flatMap((id) => productsIn(id).slice(0, 2)).slice(0, RAIL_SIZE);
}

/** The home page. */
export function homePage(state, slots) {
  const lang = state.lang;
  const t = texts(lang);
  const hero = slots['home.hero'];
  const banner = slots['home.banner'];
  const rail = slots['home.rail'];
  const more = slots['home.continue'];
  const continued = (more?.content?.items ?? []).map((i) => productById(i.target)).filter(Boolean);
  const body = html`
${heroBlock(hero, state)}
<section class="strip" id="banner" data-variant="${banner.variant ?? 'default'}">
  <p>${banner.content?.text}</p>
  ${whyDisclosure(banner, state)}
</section>
<section class="rail" id="rail" data-order="${(rail.content?.order ?? []).join(',')}">
  <h2>${t.railTitle}</h2>
  <div class="cards">${railProducts(rail.content?.order).map((p) => productCard(p, lang))}</div>
  ${whyDisclosure(rail, state)}
</section>
${
  continued.length > 0
    ? html`<section class="rail" id="continue">
  <h2>${t.continueTitle}</h2>
  <div class="cards">${continued.map((p) => productCard(p, lang))}</div>
  ${whyDisclosure(more, state)}
</section>`
    : ''
}`;
  return page(state, { title: t.home, body });
}

/** The contextual notice line of category and product pages (rain, when it rains). */
function noticeLine(slot, state) {
  const lang = state.lang;
  if (slot === undefined || slot.isDefault || !slot.content) return '';
  return html`<section class="strip notice" id="page-notice"><p>${localized(slot.content, lang)}</p>${whyDisclosure(slot, state)}</section>`;
}

/** A category page. */
export function categoryPage(state, category, slots) {
  const lang = state.lang;
  const info = CATEGORIES[category];
  const body = html`
${noticeLine(slots['page.notice'], state)}
<section class="category">
  <h1>${localized(info.name, lang)}</h1>
  <p>${localized(info.blurb, lang)}</p>
  <div class="cards">${productsIn(category).map((p) => productCard(p, lang))}</div>
</section>`;
  return page(state, { title: localized(info.name, lang), body });
}

/** A product page. */
export function productPage(state, product, slots) {
  const lang = state.lang;
  const t = texts(lang);
  const body = html`
${noticeLine(slots['page.notice'], state)}
<section class="product" data-product="${product.id}">
  <span class="picture big" style="background:${product.colour}" aria-hidden="true">${product.monogram}</span>
  <div>
    <h1>${localized(product.name, lang)}</h1>
    <p class="price">${formatPrice(product.price, lang)}</p>
    <p>${t.inCategory}: <a href="/c/${product.category}">${localized(CATEGORIES[product.category].name, lang)}</a></p>
    <form method="post" action="/cart/add">
      <input type="hidden" name="product" value="${product.id}">
      <button type="submit" class="button" id="add-to-cart">${t.addToCart}</button>
    </form>
  </div>
</section>`;
  return page(state, { title: localized(product.name, lang), body });
}

/** The cart page. */
export function cartPage(state, items) {
  const lang = state.lang;
  const t = texts(lang);
  const products = items.map((id) => productById(id)).filter(Boolean);
  const total = products.reduce((sum, p) => sum + p.price, 0);
  const body = html`<section class="cart">
  <h1>${t.cart}</h1>
  ${
    products.length === 0
      ? html`<p>${t.cartEmpty}</p>`
      : html`<ul class="cart-items">${products.map(
          (p, i) => html`<li>${productCard(p, lang)}
        <form method="post" action="/cart/remove"><input type="hidden" name="index" value="${i}"><button type="submit">${t.remove}</button></form></li>`,
        )}</ul>
  <p class="total">${t.total}: <strong>${formatPrice(total, lang)}</strong></p>`
  }
  <p><a href="/">${t.backHome}</a></p>
</section>`;
  return page(state, { title: t.cart, body });
}

/** A plain message page (not found, errors). */
export function messagePage(state, title, message) {
  const t = texts(state.lang);
  return page(state, {
    title,
    body: html`<section class="message"><h1>${title}</h1><p>${message}</p><p><a href="/">${t.backHome}</a></p></section>`,
  });
}

export { PRODUCTS };
