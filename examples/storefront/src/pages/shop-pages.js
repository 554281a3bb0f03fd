// The shop's own pages: home (hero, banner, product rail, "continue"), category, product, cart.
import { html } from '../html.js';
import { localized, texts } from '../i18n.js';
import { page, whyDisclosure } from '../layout.js';
import { illustration } from '../illustrations.js';
import {
  CATEGORIES,
  CATEGORY_ORDER,
  DELIVERY_FEE,
  FREE_DELIVERY_FROM,
  PRODUCTS,
  formatPrice,
  productById,
  productsIn,
} from '../products.js';

/** A product card. */
export function productCard(product, lang) {
  return html`<a class="card" href="/p/${product.id}" data-product="${product.id}" data-category="${product.category}">
  ${illustration(product, localized(product.name, lang))}
  <span class="name">${localized(product.name, lang)}</span>
  <span class="price">${formatPrice(product.price, lang)}</span>
</a>`;
}

/** How many products the rail shows. */
export const RAIL_SIZE = 6;

/** The hero block. */
export function heroBlock(slot, state) {
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
  const category = CATEGORIES[product.category];
  const body = html`
${noticeLine(slots['page.notice'], state)}
<nav class="crumbs"><a href="/">${t.home}</a> › <a href="/c/${product.category}">${localized(category.name, lang)}</a></nav>
<section class="product" data-product="${product.id}">
  ${illustration(product, localized(product.name, lang), 'big')}
  <div class="product-info">
    <h1>${localized(product.name, lang)}</h1>
    <p class="price">${formatPrice(product.price, lang)}</p>
    <p>${localized(category.blurb, lang)}</p>
    <form method="post" action="/cart/add">
      <input type="hidden" name="product" value="${product.id}">
      <button type="submit" class="button" id="add-to-cart">${t.addToCart}</button>
    </form>
    <p class="hint">${t.deliveryNote(formatPrice(FREE_DELIVERY_FROM, lang))}</p>
  </div>
</section>`;
  return page(state, { title: localized(product.name, lang), body });
}

/** What an order of these products costs: subtotal, delivery (free from a threshold), total. */
export function orderTotals(products) {
  const subtotal = products.reduce((sum, p) => sum + p.price, 0);
  const delivery = subtotal === 0 || subtotal >= FREE_DELIVERY_FROM ? 0 : DELIVERY_FEE;
  return { subtotal, delivery, total: subtotal + delivery };
}

function totalsBlock(products, lang) {
  const t = texts(lang);
  const { subtotal, delivery, total } = orderTotals(products);
  return html`<dl class="totals">
    <dt>${t.subtotal}</dt><dd>${formatPrice(subtotal, lang)}</dd>
    <dt>${t.delivery}</dt><dd>${delivery === 0 ? t.free : formatPrice(delivery, lang)}</dd>
    <dt class="total">${t.total}</dt><dd class="total" id="cart-total">${formatPrice(total, lang)}</dd>
  </dl>`;
}

/** The cart page: the lines, what it costs, and the way to checkout. */
export function cartPage(state, items) {
  const lang = state.lang;
  const t = texts(lang);
  const products = items.map((id) => productById(id)).filter(Boolean);
  const body = html`<section class="cart">
  <h1>${t.cart}</h1>
  ${
    products.length === 0
      ? html`<p>${t.cartEmpty}</p><p><a class="button" href="/">${t.backHome}</a></p>`
      : html`<div class="cart-layout"><ul class="cart-lines">${products.map(
          (p, i) => html`<li class="cart-line" data-product="${p.id}">
        <a href="/p/${p.id}">${illustration(p, localized(p.name, lang), 'small')}</a>
        <div class="line-text"><a class="name" href="/p/${p.id}">${localized(p.name, lang)}</a>
        <span class="price">${formatPrice(p.price, lang)}</span></div>
        <form method="post" action="/cart/remove"><input type="hidden" name="index" value="${i}"><button type="submit" class="button secondary small">${t.remove}</button></form></li>`,
        )}</ul>
  <aside class="panel summary">${totalsBlock(products, lang)}
    <a class="button" id="checkout" href="/checkout">${t.checkout}</a>
    <p><a href="/">${t.keepShopping}</a></p></aside></div>`
  }
</section>`;
  return page(state, { title: t.cart, body });
}

/** The checkout step: delivery details and the order summary. The demo keeps nothing typed here. */
export function checkoutPage(state, items, placed = false) {
  const lang = state.lang;
  const t = texts(lang);
  const products = items.map((id) => productById(id)).filter(Boolean);
  if (placed) {
    return page(state, {
      title: t.checkout,
      body: html`<section class="message" id="order-placed"><h1>${t.orderPlaced}</h1><p>${t.orderPlacedText}</p><p><a class="button" href="/">${t.backHome}</a></p></section>`,
    });
  }
  if (products.length === 0) return cartPage(state, []);
  const field = (name, label, type = 'text', auto = '') =>
    html`<label class="field"><span>${label}</span><input type="${type}" name="${name}" required${auto ? html` autocomplete="${auto}"` : ''}></label>`;
  const body = html`<section class="checkout">
  <h1>${t.checkout}</h1>
  <div class="cart-layout">
  <form method="post" action="/checkout" class="panel checkout-form">
    <h2>${t.deliveryTo}</h2>
    ${field('name', t.fieldName, 'text', 'name')}
    ${field('phone', t.fieldPhone, 'tel', 'tel')}
    ${field('address', t.fieldAddress, 'text', 'street-address')}
    <fieldset><legend>${t.payment}</legend>
      <label><input type="radio" name="payment" value="cod" checked> ${t.cod}</label>
      <label><input type="radio" name="payment" value="transfer"> ${t.transfer}</label>
    </fieldset>
    <p class="hint">${t.checkoutPrivacy}</p>
    <button type="submit" class="button" id="place-order">${t.placeOrder}</button>
  </form>
  <aside class="panel summary"><h2>${t.yourOrder}</h2>
    <ul class="summary-lines">${products.map((p) => html`<li><span>${localized(p.name, lang)}</span><span>${formatPrice(p.price, lang)}</span></li>`)}</ul>
    ${totalsBlock(products, lang)}</aside>
  </div>
</section>`;
  return page(state, { title: t.checkout, body });
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
