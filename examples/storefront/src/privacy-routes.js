// The consent banner's form and the privacy center: consent per purpose, declared interests,
// the export and erasure — each a call of `@tactful/client` on behalf of the browser; the form
// posts go through `state.forms`, which forwards the browser's own Origin so the API's CSRF check
// judges the browser's request.
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
    try {
      await state.forms.choose({
        grant,
        deny,
        method: 'banner',
        locale: state.lang,
        ...(typeof form.noticeVersion === 'string' ? { noticeVersion: form.noticeVersion } : {}),
      });
    } catch (error) {
      return apiError(c, state, error);
    }
    return c.redirect(localPath(form.return), 303);
  });

  async function renderPrivacy(c, state, extra = {}) {
    const exported = await state.client.exportData().then(
      (data) => ({ ok: true, status: 200, data }),
      (error) => ({ ok: false, status: error.status, data: undefined }),
    );
    const hasSubject = exported.status !== 401;
    const preferences = exported.ok ? findPreferences(exported.data) : undefined;
    const [en, vi] = await Promise.all(
      ['en', 'vi'].map(async (lang) => {
        if (!notices.has(lang)) {
          // A notice that could not be read now is not kept: the page links to it instead.
          const text = await state.client.notice({ format: 'html', lang }).catch(() => undefined);
          if (text === undefined)
            return `<p><a href="/v1/notice?format=html&amp;lang=${lang}">${lang === 'vi' ? 'Thông báo về xử lý dữ liệu cá nhân' : 'Privacy notice'}</a></p>`;
          notices.set(lang, text);
        }
        return notices.get(lang);
      }),
    );
    return c.html(
      privacyPage(state, { exported, preferences, hasSubject, notices: { en, vi }, ...extra }).toString(),
      extra.status ?? 200,
    );
  }

  /** Withdraws each purpose; the first refusal is returned. */
  async function withdrawEach(state, purposes) {
    for (const purpose of purposes) {
      try {
        await state.forms.withdraw(purpose, { method: 'preference-center', locale: state.lang });
      } catch (error) {
        return error;
      }
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
      // One call, as easy as the grant was.
      if (granted.length > 0) {
        try {
          await state.forms.withdrawAll({ method: 'preference-center', locale: state.lang });
        } catch (error) {
          return apiError(c, state, error);
        }
      }
      return c.redirect('/privacy?saved=1#consent', 303);
    }
    const ticked = new Set([form.purpose ?? []].flat().map(String));
    const grant = Object.keys(purposes).filter((p) => ticked.has(p));
    const withdraw = granted.filter((p) => !ticked.has(p));
    const deny = Object.keys(purposes).filter((p) => !ticked.has(p) && purposes[p].status !== 'granted');
    if (grant.length + deny.length > 0) {
      try {
        await state.forms.choose({
          grant,
          deny,
          method: 'preference-center',
          locale: state.lang,
          ...(typeof form.noticeVersion === 'string' ? { noticeVersion: form.noticeVersion } : {}),
        });
      } catch (error) {
        return apiError(c, state, error);
      }
    }
    const refused = await withdrawEach(state, withdraw);
    if (refused) return apiError(c, state, refused);
    return c.redirect('/privacy?saved=1#consent', 303);
  });

  // Declared interests and "not interested" (zero-party data).
  app.post('/privacy/preferences', async (c) => {
    const form = await c.req.parseBody();
    const state = await pageState(c);
    const interests = DECLARABLE_TOPICS.filter((t) => form[`topic.${t}`] === 'interested');
    const notInterested = DECLARABLE_TOPICS.filter((t) => form[`topic.${t}`] === 'not');
    try {
      await state.forms.declarePreferences({ interests, notInterested });
    } catch (error) {
      return apiError(c, state, error);
    }
    return c.redirect('/privacy?saved=1#interests', 303);
  });

  // Erasure: every store and source, with a receipt shown on the page.
  app.post('/privacy/delete', async (c) => {
    const state = await pageState(c);
    let receipt;
    try {
      receipt = await state.forms.erase();
    } catch (error) {
      if (error?.status === 401) return c.redirect('/privacy#know', 303);
      return apiError(c, state, error);
    }
    // The page is drawn from the consent as it is after the erasure, not as it was before it.
    const after = { ...state, consent: await readConsent(state.client) };
    return renderPrivacy(c, after, { receipt });
  });
}
