// The privacy center: consent per purpose, what we know (the export, readable), declared
// interests (zero-party data), download, erasure with a receipt, and the notice in both languages.
import { html, raw } from '../html.js';
import { privacyWords } from '../i18n-privacy.js';
import { localized, texts } from '../i18n.js';
import { askedPurposes, page } from '../layout.js';
import { consentToken } from '../page-state.js';
import { knowView, receiptView } from './know.js';

/** The topics a person can declare interest (or no interest) in. */
export const DECLARABLE_TOPICS = ['kids', 'home', 'rain', 'women', 'men'];

/** True when an export holds no data about the person (the rights service says so in `empty`). */
export function exportIsEmpty(document) {
  return document?.empty === true;
}

function consentSection(state, stale) {
  const t = texts(state.lang);
  const w = privacyWords(state.lang);
  const anyGranted = Object.values(state.consent.purposes).some((p) => p.status === 'granted');
  return html`<section class="panel" id="consent">
  <h2>${t.pcConsent}</h2>
  ${stale ? html`<p class="error" id="stale" role="alert">${w.stale}</p>` : ''}
  <p>${t.pcConsentHelp}</p>
  ${state.consent.signals.gpc ? html`<p class="gpc">${t.gpcNotice}</p>` : ''}
  <form method="post" action="/privacy/consent">
    <input type="hidden" name="noticeVersion" value="${state.consent.noticeVersion}">
    <input type="hidden" name="shown" value="${consentToken(state.consent)}">
    <ul class="purposes">
    ${askedPurposes(state).map(({ id, status, section }) => {
      const granted = status.status === 'granted';
      return html`<li>
      <label><input type="checkbox" name="purpose" value="${id}" data-purpose="${id}"${granted ? html` checked` : ''}>
        <strong>${localized(section?.label, state.lang)}</strong>
        <span class="status ${granted ? 'on' : 'off'}">${granted ? t.pcGranted : t.pcDenied}</span></label>
      <p>${localized(section?.description, state.lang)}</p>
      <p class="uses">${t.pcCategories}: ${(section?.categories ?? []).map((c) => localized(c.label, state.lang)).join(', ')}</p>
    </li>`;
    })}
    </ul>
    <div class="form-buttons">
      <button type="submit" class="button" id="save-consent">${t.pcSave}</button>
      ${
        anyGranted
          ? html`<button type="submit" name="action" value="withdraw-all" class="button secondary" id="withdraw-all">${w.withdrawAll}</button>`
          : ''
      }
    </div>
    ${anyGranted ? html`<p class="hint">${w.withdrawAllHelp}</p>` : ''}
  </form>
  <p class="hint" id="gpc">${t.gpcHelp} <a href="/.well-known/gpc.json">${t.gpcMachine}</a></p>
</section>`;
}

function knowSection(state, exported) {
  const t = texts(state.lang);
  const w = privacyWords(state.lang);
  let content;
  if (exported.status === 401) content = html`<p id="export-empty">${t.pcKnowNoId}</p>`;
  else if (!exported.ok) content = html`<p class="error" id="export-error">${t.errorTitle}</p>`;
  else {
    content = html`${knowView(exported.data, state)}
  <details class="machine"><summary>${w.exportShow}</summary><pre id="export-json">${JSON.stringify(exported.data, null, 2)}</pre></details>`;
  }
  return html`<section class="panel" id="know">
  <h2>${t.pcKnow}</h2>
  ${content}
  <p><a class="button" id="download" href="/v1/me/export?download=1" download="my-data.json">${w.exportLink}</a></p>
</section>`;
}

function interestsSection(state, preferences, hasSubject) {
  const t = texts(state.lang);
  const interests = new Set(preferences?.interests ?? []);
  const notInterested = new Set(preferences?.notInterested ?? []);
  const option = (topic, value, label, checked) =>
    html`<label><input type="radio" name="topic.${topic}" value="${value}"${checked ? html` checked` : ''}> ${label}</label>`;
  return html`<section class="panel" id="interests">
  <h2>${t.pcInterests}</h2>
  <p>${t.pcInterestsHelp}</p>
  ${hasSubject ? '' : html`<p class="hint">${t.pcInterestsNeedId}</p>`}
  <form method="post" action="/privacy/preferences">
    <table>
    ${DECLARABLE_TOPICS.map(
      (topic) => html`<tr data-topic="${topic}"><th>${t.topics[topic]}</th>
      <td>${option(topic, 'interested', t.pcInterested, interests.has(topic))}</td>
      <td>${option(topic, 'none', t.pcNoOpinion, !interests.has(topic) && !notInterested.has(topic))}</td>
      <td>${option(topic, 'not', t.pcNotInterested, notInterested.has(topic))}</td></tr>`,
    )}
    </table>
    <button type="submit" class="button" id="save-interests"${hasSubject ? '' : html` disabled`}>${t.pcSaveInterests}</button>
  </form>
</section>`;
}

function deleteSection(state) {
  const t = texts(state.lang);
  return html`<section class="panel danger" id="delete">
  <h2>${t.pcDelete}</h2>
  <p>${t.pcDeleteHelp}</p>
  <form method="post" action="/privacy/delete">
    <button type="submit" class="button danger" id="delete-data">${t.pcDeleteButton}</button>
  </form>
</section>`;
}

function noticeSection(state, notices) {
  const t = texts(state.lang);
  const other = state.lang === 'en' ? 'vi' : 'en';
  return html`<section class="panel" id="notice">
  <div class="notice" lang="${state.lang}" id="notice-${state.lang}">${raw(notices[state.lang])}</div>
  <details lang="${other}" id="notice-${other}"><summary>${t.pcNoticeOther}</summary><div class="notice">${raw(notices[other])}</div></details>
</section>`;
}

/**
 * The privacy center page.
 *
 * @param {object} parts `exported` (the export call's answer), `preferences`, `hasSubject`,
 *   `notices` ({ en, vi } HTML generated by the notice package), `receipt`, `saved`, `stale`
 */
export function privacyPage(state, parts) {
  const t = texts(state.lang);
  // A receipt, just after an erasure, comes first: it is what the person is looking for.
  const body = html`<section class="privacy">
  ${parts.receipt ? receiptView(parts.receipt, state.lang) : ''}
  <h1>${t.privacyCenter}</h1>
  <p>${t.pcIntro}</p>
  ${parts.saved ? html`<p class="saved" id="saved" role="status">${t.saved}</p>` : ''}
  ${consentSection(state, parts.stale)}
  ${knowSection(state, parts.exported)}
  ${interestsSection(state, parts.preferences, parts.hasSubject)}
  ${deleteSection(state)}
  ${noticeSection(state, parts.notices)}
</section>`;
  // The privacy center asks for consent itself: no banner over it.
  return page(state, { title: t.privacyCenter, body, banner: false });
}
