// "What we know about you" and the erasure receipt, for people: plain sentences grouped by where
// the data came from (you told us / we saw on this site / we worked out / this visit only), with
// since when, until when and why. Ids, hashes and trace ids stay in the machine-readable export.
import { html } from '../html.js';
import { formatDay, formatMoment, inSentence, joinList, privacyWords } from '../i18n-privacy.js';
import { localized, texts } from '../i18n.js';

const DAY = 86_400_000;

/** The labels a person reads for purposes, data categories, segments and topics. */
export function labelsOf(state) {
  const categories = new Map();
  for (const section of Object.values(state.purposes ?? {}))
    for (const c of section.categories ?? []) categories.set(c.id, c.label);
  return {
    purpose: (id) => localized(state.purposes?.[id]?.label, state.lang) || id,
    category: (id) => localized(categories.get(id), state.lang) || id,
    segment: (name) => localized(state.segments?.[name], state.lang) || name,
    topic: (topic) => texts(state.lang).topics[topic] ?? topic,
  };
}

const list = (value) => (Array.isArray(value) ? value : []);
const latest = (items, key) =>
  items.reduce((max, item) => (String(item?.[key] ?? '') > max ? String(item[key]) : max), '');

/** The latest consent record of each purpose (records are oldest first). */
function currentRecords(records) {
  const byPurpose = new Map();
  for (const r of list(records)) if (typeof r?.purpose === 'string') byPurpose.set(r.purpose, r);
  return [...byPurpose.values()].sort((a, b) => (a.purpose < b.purpose ? -1 : 1));
}

function consentItems(section, state, labels) {
  const w = privacyWords(state.lang);
  const days = state.notice?.retention?.consentRecordsDays;
  // Why consent records are kept is said once, after the first of them.
  return currentRecords(section.records).map((r, i) => {
    const how = w.method[r.method] ?? w.methodOther;
    const until = r.expiresAt ? w.consentUntil(formatDay(r.expiresAt, state.lang)) : w.consentUntilChange;
    return html`<li class="fact" data-purpose="${r.purpose}"><strong>${labels.purpose(r.purpose)}</strong>: ${w.consentItem(
      r.status,
      formatMoment(r.recordedAt, state.lang),
      how,
    )}${until}${
      i === 0
        ? html` <span class="why-kept">${w.consentWhy}${days ? ` ${w.consentKept(days)}` : ''}</span>`
        : ''
    }</li>`;
  });
}

function subjectItems(data, state, labels) {
  const w = privacyWords(state.lang);
  const told = [];
  const saw = [];
  const inferred = [];
  const prefs = data?.preferences ?? {};
  const interests = list(prefs.interests).map(labels.topic);
  const not = list(prefs.notInterested).map(labels.topic);
  const why = html` <span class="why-kept">${w.preferencesWhy} ${w.untilDeleted}</span>`;
  if (interests.length > 0)
    told.push(html`<li class="fact">${w.interests(joinList(interests, state.lang))}${why}</li>`);
  if (not.length > 0)
    told.push(html`<li class="fact">${w.notInterested(joinList(not, state.lang))}${why}</li>`);
  const answers = Object.keys(prefs.answers ?? {}).length;
  if (answers > 0) told.push(html`<li class="fact">${w.answers(answers)}</li>`);
  const attributes = Object.keys(data?.attributes ?? {}).length;
  if (attributes > 0) told.push(html`<li class="fact">${w.attributes(attributes)}</li>`);
  const purchases = list(data?.purchases);
  if (purchases.length > 0)
    saw.push(
      html`<li class="fact">${w.purchases(purchases.length, formatDay(latest(purchases, 'at'), state.lang))}</li>`,
    );
  const views = list(data?.pageviews);
  if (views.length > 0)
    saw.push(
      html`<li class="fact">${w.pageviews(views.length, formatDay(latest(views, 'at'), state.lang))}</li>`,
    );
  const cart = list(data?.cart?.items ?? data?.cart);
  if (cart.length > 0) saw.push(html`<li class="fact">${w.cart(cart.length)}</li>`);
  const segments = list(data?.segments?.memberships ?? data?.segments).map((s) =>
    labels.segment(typeof s === 'string' ? s : s?.name),
  );
  if (segments.length > 0)
    inferred.push(html`<li class="fact">${w.segments(joinList(segments, state.lang))}</li>`);
  return { told, saw, inferred };
}

function auditItems(data, state, labels) {
  const w = privacyWords(state.lang);
  // Decisions only: entries that record the person's own rights requests are not something we saw.
  const entries = list(data?.entries).filter((e) => e?.rights === undefined);
  if (entries.length === 0) return [];
  const first = entries[0]?.at;
  const last = entries[entries.length - 1]?.at;
  const days = state.notice?.retention?.auditDays;
  const shown = entries.slice(-3).reverse();
  return [
    html`<li class="fact">${w.decisions(entries.length, formatMoment(first, state.lang), formatMoment(last, state.lang))}${
      days
        ? html` <span class="why-kept">${w.decisionsKept(days, formatDay(Date.parse(first) + days * DAY, state.lang))}</span>`
        : ''
    }
    <ul class="decisions">${shown.map((e) => {
      const used = list(e.categories).map((c) => inSentence(labels.category(c), state.lang));
      return html`<li>${w.decisionLine(
        formatMoment(e.at, state.lang),
        used.length > 0 ? w.decisionUsed(joinList(used, state.lang)) : w.decisionNothing,
      )}</li>`;
    })}</ul></li>`,
  ];
}

/** How many items a value holds (for sections the shop doesn't know the shape of). */
function countOf(value) {
  if (Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') return Object.values(value).filter((v) => v !== null).length;
  return value === null || value === undefined ? 0 : 1;
}

/** The export as groups of sentences, by where the data came from. */
export function knowGroups(document, state) {
  const labels = labelsOf(state);
  const w = privacyWords(state.lang);
  const groups = { told: [], saw: [], inferred: [], visit: [] };
  for (const section of list(document?.sections)) {
    if (section?.kind === 'consent') groups.told.push(...consentItems(section, state, labels));
    else if (section?.kind === 'subject') {
      const s = subjectItems(section.data, state, labels);
      groups.told.push(...s.told);
      groups.saw.push(...s.saw);
      groups.inferred.push(...s.inferred);
    } else if (section?.kind === 'audit') groups.saw.push(...auditItems(section.data, state, labels));
    else if (section?.kind === 'session') {
      const n = countOf(section.data?.events ?? section.data);
      if (n > 0) groups.visit.push(html`<li class="fact">${w.sessionItem(n)}</li>`);
    } else {
      const n = countOf(section?.data ?? section?.categories);
      if (n > 0) groups.saw.push(html`<li class="fact">${w.other(section.name ?? '', n)}</li>`);
    }
  }
  return groups;
}

/** "What we know about you": the groups, then the machine-readable export one click away. */
export function knowView(document, state) {
  const w = privacyWords(state.lang);
  const groups = knowGroups(document, state);
  const order = [
    ['told', w.told, w.toldHelp],
    ['saw', w.saw, w.sawHelp],
    ['inferred', w.inferred, w.inferredHelp],
    ['visit', w.visit, w.visitHelp],
  ].filter(([key]) => groups[key].length > 0);
  if (order.length === 0) return html`<p id="export-empty">${w.nothing}</p>`;
  return html`<div class="readable" id="export-readable">${order.map(
    ([
      key,
      title,
      help,
    ]) => html`<div class="origin" data-origin="${key}"><h3>${title}</h3><p class="help">${help}</p>
    <ul class="facts">${groups[key]}</ul></div>`,
  )}</div>`;
}

/** The erasure receipt, for people: when, how much from where, what was kept; the JSON one click away. */
export function receiptView(receipt, lang) {
  const w = privacyWords(lang);
  const holders = list(receipt?.holders).filter((h) => h.erased > 0);
  const byKind = new Map();
  for (const h of holders) byKind.set(h.kind, (byKind.get(h.kind) ?? 0) + h.erased);
  const json = JSON.stringify(receipt, null, 2);
  return html`<section class="panel receipt" id="receipt" role="status">
  <h2>${w.receiptTitle}</h2>
  <p>${w.receiptWhen(formatMoment(receipt?.completedAt, lang))}</p>
  ${
    holders.length === 0
      ? html`<p id="receipt-summary">${w.receiptNothing}</p>`
      : html`<p id="receipt-summary">${w.receiptItems(receipt.erased ?? 0)}</p>
  <ul class="facts">${[...byKind].map(([kind, n]) => html`<li>${w.receiptHolder(w.holder[kind] ?? kind, n)}</li>`)}</ul>`
  }
  ${list(receipt?.retained).map((r) => html`<p class="kept">${w.receiptKept(r.name, r.reason)}</p>`)}
  <p>${w.receiptNext}</p>
  <p class="hint">${w.receiptKeep}</p>
  <details class="machine"><summary>${w.receiptDownload}</summary><pre id="receipt-json">${json}</pre></details>
</section>`;
}
