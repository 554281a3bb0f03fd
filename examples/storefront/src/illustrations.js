// The demo's product pictures: small SVG drawings made for the shop and drawn inline (nothing is
// fetched), one per product, in the product's colour.
import { html, raw } from './html.js';

/** The drawing of each product, in a 120×90 box; `C` is the product colour, `D` a darker shade. */
const DRAWINGS = {
  'ao-dai-silk': `<path d="M52 14h16l4 8-4 4 10 50H42l10-50-4-4z" fill="C"/><path d="M52 14c2 6 14 6 16 0" fill="none" stroke="D" stroke-width="2"/><path d="M48 30l-14 22M72 30l14 22" stroke="C" stroke-width="7" stroke-linecap="round"/><path d="M60 26v50" stroke="D" stroke-width="1.5" opacity=".5"/>`,
  'linen-dress': `<path d="M50 14h20l-2 14 18 48H34l18-48z" fill="C"/><path d="M50 14l-6-4M70 14l6-4" stroke="D" stroke-width="3" stroke-linecap="round"/><path d="M46 40h28" stroke="D" stroke-width="3"/>`,
  'straw-hat': `<ellipse cx="60" cy="58" rx="46" ry="12" fill="C"/><path d="M38 56c0-22 44-22 44 0z" fill="C"/><path d="M38 52c8 4 36 4 44 0" stroke="D" stroke-width="5" fill="none"/><path d="M24 60c12 6 60 6 72 0" stroke="D" stroke-width="1.5" fill="none" opacity=".6"/>`,
  'linen-shirt': `<path d="M44 14l-22 12 8 14 10-6v42h40V34l10 6 8-14-22-12c-2 6-8 9-16 9s-14-3-16-9z" fill="C"/><path d="M60 23v53" stroke="D" stroke-width="2"/><circle cx="60" cy="36" r="1.8" fill="D"/><circle cx="60" cy="48" r="1.8" fill="D"/><circle cx="60" cy="60" r="1.8" fill="D"/>`,
  'leather-sandals': `<path d="M30 70c-8-20-6-50 10-50s16 30 10 50z" fill="C"/><path d="M70 70c-8-20-6-50 10-50s16 30 10 50z" fill="C"/><path d="M31 40h20M71 40h20M34 30l8 6 8-6M74 30l8 6 8-6" stroke="D" stroke-width="4" fill="none" stroke-linecap="round"/>`,
  'lantern-set': `<path d="M60 8v8" stroke="D" stroke-width="2"/><rect x="52" y="16" width="16" height="6" rx="2" fill="#d9a441"/><ellipse cx="60" cy="44" rx="26" ry="22" fill="C"/><path d="M48 24c-6 12-6 28 0 40M72 24c6 12 6 28 0 40M60 22v44" stroke="D" stroke-width="1.5" fill="none"/><rect x="52" y="65" width="16" height="6" rx="2" fill="#d9a441"/><path d="M56 71v10M60 71v12M64 71v10" stroke="#d9a441" stroke-width="2"/>`,
  'tea-set': `<path d="M36 40h40c0 22-8 32-20 32s-20-10-20-32z" fill="C"/><path d="M76 46c10 0 10 14 0 14" stroke="C" stroke-width="5" fill="none"/><path d="M36 46c-10-4-16 2-18 8" stroke="C" stroke-width="5" fill="none" stroke-linecap="round"/><ellipse cx="56" cy="40" rx="20" ry="4" fill="D"/><circle cx="56" cy="33" r="4" fill="D"/><path d="M84 66h18v6c0 5-18 5-18 0z" fill="C"/><path d="M46 56c6 4 14 4 20 0" stroke="#fff" stroke-width="2" fill="none" opacity=".7"/>`,
  poncho: `<circle cx="60" cy="22" r="10" fill="D"/><path d="M60 22L18 74h84z" fill="C"/><path d="M50 22c0-10 20-10 20 0" fill="C"/><path d="M18 74h84" stroke="D" stroke-width="3"/><path d="M60 32v42" stroke="D" stroke-width="1.5" opacity=".6"/>`,
  umbrella: `<path d="M16 46C16 20 104 20 104 46c-7-6-15-6-22 0-7-6-15-6-22 0-7-6-15-6-22 0-7-6-15-6-22 0z" fill="C"/><path d="M60 22v50c0 8-12 8-12 0" stroke="D" stroke-width="4" fill="none" stroke-linecap="round"/><path d="M60 22l-12 24M60 22l12 24M60 22L38 46M60 22l22 24" stroke="D" stroke-width="1" opacity=".4"/>`,
  'rain-boots': `<path d="M26 16h20v44h14c6 0 10 6 10 12v4H26z" fill="C"/><path d="M64 16h20v44h14c6 0 10 6 10 12v4H64z" fill="C" opacity=".85"/><path d="M26 70h44M64 70h44" stroke="D" stroke-width="4"/><path d="M26 24h20M64 24h20" stroke="D" stroke-width="3"/>`,
  'wooden-train': `<rect x="18" y="36" width="44" height="26" rx="4" fill="C"/><rect x="26" y="22" width="20" height="16" rx="2" fill="D"/><rect x="62" y="44" width="34" height="18" rx="4" fill="C" opacity=".85"/><path d="M50 22v-8h8v8" fill="D"/><circle cx="30" cy="66" r="8" fill="D"/><circle cx="52" cy="66" r="8" fill="D"/><circle cx="72" cy="66" r="7" fill="D"/><circle cx="88" cy="66" r="7" fill="D"/><path d="M62 54h0" stroke="D"/>`,
  'kids-raincoat': `<path d="M48 16h24l20 18-8 10-6-6v38H42V38l-6 6-8-10z" fill="C"/><path d="M48 16c0 8 24 8 24 0" fill="D"/><circle cx="60" cy="44" r="2.5" fill="D"/><circle cx="60" cy="56" r="2.5" fill="D"/><circle cx="60" cy="68" r="2.5" fill="D"/><path d="M88 18l4 6M96 26l3 5M84 28l3 5" stroke="#7fb3d5" stroke-width="2.5" stroke-linecap="round"/>`,
  'picture-book': `<path d="M20 22c14-4 28-4 40 4v50c-12-8-26-8-40-4z" fill="C"/><path d="M100 22c-14-4-28-4-40 4v50c12-8 26-8 40-4z" fill="D"/><circle cx="40" cy="42" r="7" fill="#ffd166"/><path d="M28 64l10-10 8 6 8-8" stroke="#fff" stroke-width="3" fill="none"/><path d="M68 38h22M68 46h22M68 54h16" stroke="#fff" stroke-width="2.5" opacity=".8"/>`,
};

/** A colour made darker by `amount` (0..1), for outlines and shadows. */
function darker(hex, amount = 0.35) {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (shift) => Math.round(((n >> shift) & 255) * (1 - amount));
  return `#${[16, 8, 0].map((s) => channel(s).toString(16).padStart(2, '0')).join('')}`;
}

/** The product's picture as inline SVG (labelled with its name for screen readers). */
export function illustration(product, label, size = '') {
  const drawing = (DRAWINGS[product.id] ?? DRAWINGS['picture-book'])
    .replaceAll('"C"', `"${product.colour}"`)
    .replaceAll('"D"', `"${darker(product.colour)}"`);
  return html`<span class="picture${size ? ` ${size}` : ''}" style="--tint:${product.colour}"><svg viewBox="0 0 120 90" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg">${raw(drawing)}</svg></span>`;
}

/** The ids of the products that have their own drawing (all of them; a test checks). */
export const DRAWN = Object.freeze(Object.keys(DRAWINGS));
