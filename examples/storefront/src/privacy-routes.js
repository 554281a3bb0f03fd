// The consent banner's form and the privacy center: consent per purpose, declared interests,
// the export and erasure — each a call to the decision API on behalf of the browser, which
// forwards the browser's own Origin so the API's CSRF check judges the browser's request.
import { localPath } from './html.js';
import { apiError, consentToken } from './page-state.js';
import { DECLARABLE_TOPICS, privacyPage } from './pages/privacy-page.js';

/** The person's declared preferences in an export document (the subject store's section). */
function findPreferences(document) {
  const sections = Array.isArray(document?.sections) ? document.sections : [];
  const subject = sections.find((s) => s?.kind === 'subject');
  const preferences = subject?.data?.preferences;
  return preferences && typeof preferences === 'object' ? preferences : undefined;
}

/**
 * Adds the banner and privacy center routes.
 *
 * @param {import('hono').Hono} app
 * @param {{ pageState: (c: import('hono').Context) => Promise<any>, readConsent: (client: any) => Promise<any> }} helpers
 */
export function privacyRoutes(app, { pageState, readConsent }) {
  const notices = new Map();

  // The banner: accept all, reject all, or per purpose. Recorded by the API against the notice shown.
  app.post('/consent', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const state = await pageState(c);
    const asked = Object.keys(state.consent.purposes);
    const chosen = new Set([form.purpose ?? []].flat().map(String));
    const action = String(form.action ?? 'choose');
    const grant = action === 'accept' ? asked : action === 'reject' ? [] : asked.filter((p) => chosen.has(p));
    const deny = asked.filter((p) => !grant.includes(p));
    const answer = await state.client.call(
      'POST',
      '/v1/consent',
      {
        grant,
        deny,
        method: 'banner',
        locale: state.lang,
        ...(typeof form.noticeVersion === 'string' ? { noticeVersion: form.noticeVersion } : {}),
      },
      { asBrowser: true },
    );
    if (!answer.ok) return apiError(c, state, answer);
    return c.redirect(localPath(form.return), 303);
  });

  async function renderPrivacy(c, state, extra = {}) {
    const exported = await state.client.call('GET', '/v1/me/export');
    const hasSubject = exported.status !== 401;
    const preferences = exported.ok ? findPreferences(exported.data) : undefined;
    const [en, vi] = await Promise.all(
      ['en', 'vi'].map(async (lang) => {
        if (!notices.has(lang)) {
          const answer = await state.client.call('GET', `/v1/notice?format=html&lang=${lang}`);
          notices.set(lang, String(answer.data));
        }
        return notices.get(lang);
      }),
    );
    return c.html(
      privacyPage(state, { exported, preferences, hasSubject, notices: { en, vi }, ...extra }).toString(),
      extra.status ?? 200,
    );
  }

  /** Withdraws every granted purpose (one DELETE each); the first refusal is returned. */
  async function withdrawAll(state, purposes) {
    for (const purpose of purposes) {
      const gone = await state.client.call(
        'DELETE',
        `/v1/consent/${encodeURIComponent(purpose)}`,
        undefined,
        {
          asBrowser: true,
        },
      );
      if (!gone.ok) return gone;
    }
    return undefined;
  }

  app.get('/privacy', async (c) => {
    const state = await pageState(c);
    return renderPrivacy(c, state, { saved: c.req.query('saved') === '1' });
  });

  // Consent toggles: ticked purposes are granted; a granted purpose unticked is withdrawn. A form
  // drawn from consent that has changed since (an erasure, another tab) changes nothing (409).
  app.post('/privacy/consent', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const state = await pageState(c);
    if (form.shown !== consentToken(state.consent))
      return renderPrivacy(c, state, { stale: true, status: 409 });
    const purposes = state.consent.purposes;
    const granted = Object.keys(purposes).filter((p) => purposes[p].status === 'granted');
    if (form.action === 'withdraw-all') {
      const refused = await withdrawAll(state, granted);
      if (refused) return apiError(c, state, refused);
      return c.redirect('/privacy?saved=1#consent', 303);
    }
    const ticked = new Set([form.purpose ?? []].flat().map(String));
    const grant = Object.keys(purposes).filter((p) => ticked.has(p));
    const withdraw = granted.filter((p) => !ticked.has(p));
    const deny = Object.keys(purposes).filter((p) => !ticked.has(p) && purposes[p].status !== 'granted');
    if (grant.length + deny.length > 0) {
      const answer = await state.client.call(
        'POST',
        '/v1/consent',
        {
          grant,
          deny,
          method: 'preference-center',
          locale: state.lang,
          ...(typeof form.noticeVersion === 'string' ? { noticeVersion: form.noticeVersion } : {}),
        },
        { asBrowser: true },
      );
      if (!answer.ok) return apiError(c, state, answer);
    }
    const refused = await withdrawAll(state, withdraw);
    if (refused) return apiError(c, state, refused);
    return c.redirect('/privacy?saved=1#consent', 303);
  });

  // Declared interests and "not interested" (zero-party data).
  app.post('/privacy/preferences', async (c) => {
    const form = await c.req.parseBody();
    const state = await pageState(c);
    const interests = DECLARABLE_TOPICS.filter((t) => form[`topic.${t}`] === 'interested');
    const notInterested = DECLARABLE_TOPICS.filter((t) => form[`topic.${t}`] === 'not');
    const answer = await state.client.call(
      'PATCH',
      '/v1/me/preferences',
      { interests, notInterested },
      { asBrowser: true },
    );
    if (!answer.ok) return apiError(c, state, answer);
    return c.redirect('/privacy?saved=1#interests', 303);
  });

  // Erasure: every store and source, with a receipt shown on the page.
  app.post('/privacy/delete', async (c) => {
    const state = await pageState(c);
    const answer = await state.client.call('DELETE', '/v1/me', undefined, { asBrowser: true });
    if (answer.status === 401) return c.redirect('/privacy#know', 303);
    if (!answer.ok) return apiError(c, state, answer);
    // The page is drawn from the consent as it is after the erasure, not as it was before it.
    const after = { ...state, consent: await readConsent(state.client) };
    return renderPrivacy(c, after, { receipt: answer.data });
  });
}
