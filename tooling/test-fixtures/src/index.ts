// Fixtures shared by the tests of @tactful/client, @tactful/react, @tactful/openfeature and the
// storefront example. Source only (no build): the tests' bundler reads the TypeScript.
export {
  CONTEXTUAL,
  GARDEN_HERO,
  HERO_DEFAULT,
  PROFILE,
  SHOP_CONFIG,
  gardener,
  grantedOf,
  shop,
} from './shop.js';
export { browserFetch } from './browser-fetch.js';
export { CHROMIUM, launchChromium } from './chromium.js';
