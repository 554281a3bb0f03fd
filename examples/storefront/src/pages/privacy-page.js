// The privacy center: consent per purpose, what we know (the export, readable), declared
// interests (zero-party data), download, erasure with a receipt, and the notice in both languages.
import { html, raw } from '../html.js';
import { localized, texts } from '../i18n.js';
import { askedPurposes, page } from '../layout.js';

/** The topics a person can declare interest (or no interest) in. */
export const DECLARABLE_TOPICS = ['kids', 'home', 'rain', 'women', 'men'];

/** Most items of one list the readable export shows. */
const MAX_LIST = 3;

/** Renders any JSON value as nested lists a person can read (keys as labels, empty parts left out). */
export function readable(value, depth = 0) {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return html`<span class="value">${String(value)}</span>`;
  if (depth > 6) return html`<code>${JSON.stringify(value)}</code>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return html`<span class="empty">—</span>`;
    // Long lists (the decision log) show their latest entries; the JSON below has them all.
    const shown = value.length > MAX_LIST ? value.slice(-MAX_LIST) : value;
    return html`<ol>${shown.map((v) => html`<li>${readable(v, depth + 1)}</li>`)}</ol>${
      value.length > MAX_LIST ? html`<p class="more">+ ${value.length - MAX_LIST} …</p>` : ''
    }`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return html`<span class="empty">—</span>`;
  return html`<dl>${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${readable(v, depth + 1)}</dd>`)}</dl>`;
}

/** True when an export holds no data about the person (the rights service says so in `empty`). */
export function exportIsEmpty(document) {
  return document?.empty === true;
}

/** Leaves out what holds nothing (null, empty lists and records), so a person reads only what is there. */
function withoutEmpty(value) {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  if (value === null || typeof value !== 'object') return value ?? undefined;
  const kept = Object.entries(value)
    .map(([k, v]) => [k, withoutEmpty(v)])
    .filter(([, v]) => v !== undefined);
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

/** The export, readable: who it is about, then each store's section with only what it holds. */
function readableExport(document, lang) {
  const t = texts(lang);
  const sections = Array.isArray(document.sections) ? document.sections : [];
  return html`<p class="export-meta">${t.pcSubject}: <code>${document.subject?.id ?? ''}</code> · ${t.pcGenerated}: ${
    document.generatedAt ?? ''
  }${document.request?.law ? html` · ${document.request.law}` : ''}</p>
  ${sections.map((section) => {
    const data = withoutEmpty(section.data);
    return html`<div class="export-section" data-kind="${section.kind ?? ''}"><h3>${section.name ?? section.kind}</h3>${
      data === undefined ? html`<p class="empty">${t.pcSectionEmpty}</p>` : readable(data)
    }</div>`;
  })}`;
}

function consentSection(state) {
  const t = texts(state.lang);
  return html`<section class="panel" id="consent">
  <h2>${t.pcConsent}</h2>
  <p>${t.pcConsentHelp}</p>
  ${state.consent.signals.gpc ? html`<p class="gpc">${t.gpcNotice}</p>` : ''}
  <form method="post" action="/privacy/consent">
    <input type="hidden" name="noticeVersion" value="${state.consent.noticeVersion}">
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
    <button type="submit" class="button" id="save-consent">${t.pcSave}</button>
  </form>
</section>`;
}

function knowSection(state, exported) {
  const t = texts(state.lang);
  let content;
  if (exported.status === 401) content = html`<p id="export-empty">${t.pcKnowNoId}</p>`;
  else if (!exported.ok)
    content = html`<p class="error" id="export-error">${exported.data?.error?.message ?? t.errorTitle}</p>`;
  else {
    const empty = exportIsEmpty(exported.data);
    content = html`${empty ? html`<p id="export-empty">${t.pcKnowNothing}</p>` : ''}
  <div class="readable" id="export-readable">${readableExport(exported.data, state.lang)}</div>
  <details><summary>${t.pcRawExport}</summary><pre id="export-json">${JSON.stringify(exported.data, null, 2)}</pre></details>`;
  }
  return html`<section class="panel" id="know">
  <h2>${t.pcKnow}</h2>
  ${content}
  <p><a class="button" id="download" href="/v1/me/export?download=1" download="my-data.json">${t.pcDownload}</a></p>
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

function deleteSection(state, receipt) {
  const t = texts(state.lang);
  return html`<section class="panel danger" id="delete">
  <h2>${t.pcDelete}</h2>
  <p>${t.pcDeleteHelp}</p>
  ${
    receipt
      ? html`<div class="receipt" id="receipt"><h3>${t.pcReceipt}</h3><p>${t.pcReceiptHelp}</p>
    <p class="receipt-summary" id="receipt-summary">${t.pcReceiptSummary(receipt)}</p>${readable(receipt)}
    <details><summary>JSON</summary><pre>${JSON.stringify(receipt, null, 2)}</pre></details></div>`
      : ''
  }
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
 *   `notices` ({ en, vi } HTML generated by the notice package), `receipt`, `saved`
 */
export function privacyPage(state, parts) {
  const t = texts(state.lang);
  const body = html`<section class="privacy">
  <h1>${t.privacyCenter}</h1>
  <p>${t.pcIntro}</p>
  ${parts.saved ? html`<p class="saved" id="saved" role="status">${t.saved}</p>` : ''}
  ${consentSection(state)}
  ${knowSection(state, parts.exported)}
  ${interestsSection(state, parts.preferences, parts.hasSubject)}
  ${deleteSection(state, parts.receipt)}
  ${noticeSection(state, parts.notices)}
</section>`;
  return page(state, { title: t.privacyCenter, body });
}
