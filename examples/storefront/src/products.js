// The shop's products and categories (demo data). Each product belongs to one category and is
// about a few topics; the topics feed the anonymous session's interest scores.

/** The site's category order (also the anonymous session's `categories` option). */
export const CATEGORY_ORDER = ['women', 'men', 'home', 'rain', 'kids'];

/** Category names and one-line descriptions, in English and Vietnamese. */
export const CATEGORIES = {
  women: {
    name: { en: 'Women', vi: 'Thời trang nữ' },
    blurb: { en: 'Light dresses and shirts for the tropics.', vi: 'Váy áo nhẹ mát cho ngày nắng.' },
  },
  men: {
    name: { en: 'Men', vi: 'Thời trang nam' },
    blurb: { en: 'Linen shirts and everyday sandals.', vi: 'Áo sơ mi lanh và dép đi hằng ngày.' },
  },
  home: {
    name: { en: 'Home', vi: 'Nhà cửa' },
    blurb: { en: 'Lanterns, tea sets and things for the table.', vi: 'Đèn lồng, bộ ấm trà và đồ bày bàn.' },
  },
  rain: {
    name: { en: 'Rain gear', vi: 'Đồ đi mưa' },
    blurb: { en: 'Ponchos, boots and umbrellas for monsoon days.', vi: 'Áo mưa, ủng và ô cho mùa mưa.' },
  },
  kids: {
    name: { en: 'Kids', vi: 'Trẻ em' },
    blurb: { en: 'Toys and clothes for little explorers.', vi: 'Đồ chơi và quần áo cho bé.' },
  },
};

/** A product: id, category, topics, price in VND, and a colour for its picture. */
export const PRODUCTS = [
  p('ao-dai-silk', 'women', ['women', 'tet'], 1_250_000, '#b83b5e', 'Silk áo dài', 'Áo dài lụa'),
  p('linen-dress', 'women', ['women'], 690_000, '#e6a57e', 'Linen summer dress', 'Váy lanh mùa hè'),
  p('straw-hat', 'women', ['women', 'sun'], 220_000, '#d9b26f', 'Straw sun hat', 'Mũ cói đi nắng'),
  p('linen-shirt', 'men', ['men'], 540_000, '#5b8c85', 'Linen shirt', 'Áo sơ mi lanh'),
  p('leather-sandals', 'men', ['men'], 480_000, '#8d6e63', 'Leather sandals', 'Dép da'),
  p('lantern-set', 'home', ['home', 'tet'], 350_000, '#d7263d', 'Red lantern set', 'Bộ đèn lồng đỏ'),
  p('tea-set', 'home', ['home'], 760_000, '#6a994e', 'Bát Tràng tea set', 'Bộ ấm trà Bát Tràng'),
  p('poncho', 'rain', ['rain'], 150_000, '#1d3557', 'Rain poncho', 'Áo mưa cánh dơi'),
  p('umbrella', 'rain', ['rain'], 190_000, '#457b9d', 'Folding umbrella', 'Ô gấp'),
  p('rain-boots', 'rain', ['rain'], 320_000, '#2a9d8f', 'Rain boots', 'Ủng đi mưa'),
  p('wooden-train', 'kids', ['kids', 'toys'], 280_000, '#f4a261', 'Wooden train', 'Tàu hỏa gỗ'),
  p('kids-raincoat', 'kids', ['kids', 'rain'], 210_000, '#e9c46a', "Kids' raincoat", 'Áo mưa trẻ em'),
  p('picture-book', 'kids', ['kids', 'books'], 95_000, '#9b5de5', 'Picture book', 'Sách tranh'),
];

function p(id, category, topics, price, colour, en, vi) {
  // The picture is an SVG drawing of the product (illustrations.js), in its colour.
  return Object.freeze({ id, category, topics, price, colour, name: { en, vi } });
}

const byId = new Map(PRODUCTS.map((product) => [product.id, product]));

/** The product with this id, or undefined. */
export function productById(id) {
  return byId.get(id);
}

/** The products of a category, in catalog order. */
export function productsIn(category) {
  return PRODUCTS.filter((product) => product.category === category);
}

const PRICE_FORMATS = {
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'VND' }),
  vi: new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' }),
};

/** A price in đồng, formatted by `Intl` for the language (`₫1,250,000`, `1.250.000 ₫`). */
export function formatPrice(price, lang) {
  return (PRICE_FORMATS[lang] ?? PRICE_FORMATS.en).format(price);
}

/** Orders from this amount are delivered free (the home page banner says so). */
export const FREE_DELIVERY_FROM = 500_000;

/** The delivery fee below that amount. */
export const DELIVERY_FEE = 30_000;
