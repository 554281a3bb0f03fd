// The home page, rendered on the server with React: the hero slot and its explanation.
import { Slot, TactfulProvider, WhyAmISeeingThis } from '@tactful/react';
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';

export const HERO_DEFAULT = { title: 'Welcome to the shop' };
export const SLOTS = [{ id: 'home.hero', default: HERO_DEFAULT }];

function Home({ initial, consent, request }) {
  return h(
    TactfulProvider,
    {
      decider: { decide: () => Promise.reject(new Error('the server render does not decide')) },
      consent,
      request,
      ...(initial ? { initial } : {}),
    },
    h(Slot, { id: 'home.hero', default: HERO_DEFAULT }, (hero) => h('h1', null, hero.title)),
    h(WhyAmISeeingThis, { slot: 'home.hero' }),
  );
}

// The buttons call the mounted server through `@tactful/client`, whose ESM build the app serves
// from the installed package (see `CLIENT_ASSETS` in app.js).
const BUTTONS = `<p><button id="personalize">Personalize for me</button> <button id="withdraw">Withdraw my consent</button></p>
<script type="module">
import { createClient } from '/assets/tactful-client/index.js';
const tactful = createClient({ baseUrl: '/tactful' });
document.getElementById('personalize').onclick = async () => {
  await tactful.choose({ grant: ['personalization.profile', 'personalization.contextual'] });
  await tactful.declarePreferences({ interests: ['garden'] });
  location.reload();
};
document.getElementById('withdraw').onclick = async () => {
  await tactful.withdrawAll();
  location.reload();
};
</script>`;

/** The whole HTML document. */
export function renderHome(initial, consent, request) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Garden Shop</title></head><body><main id="root">${renderToString(
    h(Home, { initial, consent, request }),
  )}</main>${BUTTONS}</body></html>`;
}
