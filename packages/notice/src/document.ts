import { pick, type NoticeLanguage, WORDING } from './texts.js';
import { RECORDS_WORDING } from './texts-records.js';
import type { Notice, NoticePlugin } from './schema.js';

/** A run of text inside a block: plain, strong, code, or a link. */
export type NoticeInline =
  | string
  | { readonly text: string; readonly strong?: boolean; readonly code?: boolean; readonly href?: string };

/** A block of the rendered notice. Markdown and HTML are both serialisations of the same blocks. */
export type NoticeBlock =
  | { readonly type: 'heading'; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly type: 'paragraph'; readonly content: ReadonlyArray<NoticeInline> }
  | { readonly type: 'list'; readonly items: ReadonlyArray<NoticeListItem> };

/** A list item: its text, and optionally a nested list. */
export type NoticeListItem =
  | ReadonlyArray<NoticeInline>
  | {
      readonly content: ReadonlyArray<NoticeInline>;
      readonly children: ReadonlyArray<ReadonlyArray<NoticeInline>>;
    };

/** A text without its closing full stop, for use inside a sentence. */
const clause = (text: string): string => text.trim().replace(/[.!;:]+$/, '');

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const URL_RE = /^https?:\/\/[^\s<>"]+$/i;

function contactInline(contact: string): NoticeInline {
  if (EMAIL.test(contact)) return { text: contact, href: `mailto:${contact}` };
  if (URL_RE.test(contact)) return { text: contact, href: contact };
  return contact;
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The plugins' descriptions in one language, each once, without closing stops; plugins without one are left out. */
function plainWords(plugins: ReadonlyArray<NoticePlugin | undefined>, lang: NoticeLanguage): string[] {
  const out: string[] = [];
  for (const pl of plugins) {
    if (!pl?.description) continue;
    const text = clause(pick(pl.description, lang));
    if (text !== '' && !out.includes(text)) out.push(text);
  }
  return out;
}

/**
 * Lays the notice out as blocks in one language: the single source of the wording, which the
 * Markdown and HTML renderers serialise.
 */
export function noticeDocument(notice: Notice, lang: NoticeLanguage): NoticeBlock[] {
  const w = WORDING[lang];
  const rw = RECORDS_WORDING[lang];
  const c = notice.controller;
  const blocks: NoticeBlock[] = [];
  const elsewhere: NoticeInline[] = notice.rightsUrl
    ? [w.whereUrl('').trimEnd(), ' ', { text: notice.rightsUrl, href: notice.rightsUrl }]
    : [w.whereContact('').trimEnd(), ' ', contactInline(c.contact)];
  // With a privacy center, that is where to go first; the other way stays open.
  const center = notice.privacyCenter;
  const where: NoticeInline[] = center
    ? (() => {
        const [before, after] = rw.inPrivacyCenter('\u0000').split('\u0000') as [string, string | undefined];
        const or = lang === 'vi' ? ', hoặc ' : ', or ';
        return [before, { text: center, href: center }, after ?? '', or, ...elsewhere].filter(
          (x) => x !== '',
        );
      })()
    : elsewhere;
  const sentence = (make: (where: string) => string): NoticeInline[] => {
    // Splits a sentence around the "where" phrase so that the link stays a link.
    const marker = '\u0000';
    const [before, after] = make(marker).split(marker) as [string, string | undefined];
    return [before, ...where, after ?? ''].filter((part) => part !== '');
  };

  blocks.push({ type: 'heading', level: 1, text: w.title(c.name) });
  blocks.push({ type: 'paragraph', content: [w.intro(c.name)] });
  if (notice.jurisdictions.length > 0)
    blocks.push({ type: 'paragraph', content: [w.law(notice.jurisdictions)] });
  // People read the date a version applies from; the hash stays in the JSON form (and the HTML's
  // data-notice-version), where consent records and tools need it.
  if (notice.date !== undefined) blocks.push({ type: 'paragraph', content: [w.versionOf(notice.date)] });

  blocks.push({ type: 'heading', level: 2, text: w.controllerHeading });
  const who: NoticeInline[][] = [[w.controllerIs(c.name)], [`${w.contact} `, contactInline(c.contact)]];
  if (c.address) who.push([`${w.address} ${c.address}`]);
  blocks.push({ type: 'list', items: who });

  blocks.push({ type: 'heading', level: 2, text: w.purposesHeading });
  const purposes = Object.values(notice.purposes).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (purposes.length === 0) blocks.push({ type: 'paragraph', content: [w.noPurposes] });
  for (const p of purposes) {
    blocks.push({ type: 'heading', level: 3, text: pick(p.label, lang) });
    if (p.description) blocks.push({ type: 'paragraph', content: [pick(p.description, lang)] });
    const items: NoticeListItem[] = [[{ text: w.consentLabel, strong: true }, ` ${w.consent[p.consent]}`]];
    if (p.categories.length === 0) items.push([{ text: w.dataLabel, strong: true }, ` ${w.noData}`]);
    else {
      items.push({
        content: [{ text: w.dataLabel, strong: true }],
        children: p.categories.map((cat) => {
          // Looked-up data says where it is looked up (e.g. which weather service), from the source's manifest.
          // In the plugin's own plain words; a source without a description is not named by its package.
          const from = plainWords(
            cat.providedBy.map((name) => p.plugins.find((pl) => pl.name === name)),
            lang,
          );
          const facts =
            cat.storage === 'fetched'
              ? [
                  from.length > 0 ? rw.fetchedFrom(from.join('; ')) : w.storage(cat),
                  ...(cat.sensitive ? [w.sensitive] : []),
                ]
              : [w.origin[cat.origin], w.storage(cat), ...(cat.sensitive ? [w.sensitive] : [])];
          const line: NoticeInline[] = [
            { text: pick(cat.label, lang), strong: true },
            `: ${facts.join('; ')}.`,
          ];
          if (cat.why.length > 0) line.push(` ${w.why} ${cat.why.map((t) => pick(t, lang)).join(' ')}`);
          return line;
        }),
      });
    }
    items.push([
      { text: w.withdrawLabel, strong: true },
      ' ',
      ...(p.consent === 'none' ? [w.notWithdrawable] : sentence(w.withdraw)),
    ]);
    // What does the processing, in the plugins' own descriptions (package names are for the JSON form).
    const doers = plainWords(p.plugins, lang);
    if (doers.length > 0) items.push([{ text: w.pluginsLabel, strong: true }, ` ${doers.join('; ')}.`]);
    blocks.push({ type: 'list', items });
  }

  blocks.push({ type: 'heading', level: 2, text: w.rightsHeading });
  const labelOf = (id: string): string => {
    for (const p of purposes) {
      const cat = p.categories.find((x) => x.id === id);
      if (cat) return pick(cat.label, lang);
    }
    return id;
  };
  const list = (ids: ReadonlyArray<string>): string => ids.map(labelOf).join(', ');
  const r = notice.rights;
  const rights: NoticeInline[][] = [];
  if (purposes.some((p) => p.consent !== 'none')) rights.push(sentence(w.rightWithdraw));
  if (r.access.length > 0) rights.push([w.rightAccess(list(r.access))]);
  if (r.rectify.length > 0) rights.push([w.rightRectify(list(r.rectify))]);
  if (r.erase.length > 0) rights.push([w.rightErase(list(r.erase))]);
  if (r.notErasable.length > 0) rights.push([w.notErasable(list(r.notErasable))]);
  if (r.access.length + r.erase.length + r.rectify.length + r.notErasable.length === 0)
    rights.push([w.nothingStored]);
  rights.push(sentence(w.otherRights));
  if (notice.jurisdictions.length > 0) rights.push([rw.complain(notice.jurisdictions)]);
  blocks.push({ type: 'list', items: rights });

  // How choices are read, in each provider's own words; one with neither words nor a limit to state is left out.
  const readers: NoticeInline[][] = notice.consentProviders.flatMap((cp) => {
    const notes = [
      ...(cp.description ? [clause(pick(cp.description, lang))] : []),
      ...(cp.canGrant ? [] : [w.denyOnly]),
    ];
    return notes.length > 0 ? [[`${capitalize(notes.join('; '))}.`]] : [];
  });
  if (readers.length > 0) {
    blocks.push({ type: 'heading', level: 2, text: w.choicesHeading });
    blocks.push({ type: 'paragraph', content: [w.choicesIntro] });
    blocks.push({
      type: 'list',
      items: readers,
    });
  }

  const storage = notice.storage ?? [];
  if (storage.length > 0) {
    blocks.push({ type: 'heading', level: 2, text: rw.storageHeading });
    blocks.push({ type: 'paragraph', content: [rw.storageIntro] });
    blocks.push({
      type: 'list',
      items: storage.map((item) => {
        const section = item.purpose === undefined ? undefined : notice.purposes[item.purpose];
        const when = section ? rw.forPurpose(pick(section.label, lang)) : rw.necessary;
        return [
          { text: item.name, code: true },
          ` (${rw.kind[item.kind]}): ${clause(pick(item.description, lang))}; ${when}; ${rw.lifetime(item)}.`,
        ];
      }),
    });
  }

  // The records the framework itself keeps: what, on which legal basis, for how long.
  const kept: NoticeInline[][] = [];
  if (purposes.some((p) => p.consent !== 'none'))
    kept.push([`${rw.consentRecordsBasis} ${rw.consentRecordsKept(notice.retention.consentRecordsDays)}`]);
  if (notice.retention.auditDays !== undefined)
    kept.push([`${rw.auditBasis} ${rw.auditKept(notice.retention.auditDays)}`]);
  if (kept.length > 0) {
    blocks.push({ type: 'heading', level: 2, text: w.retentionHeading });
    blocks.push({ type: 'list', items: kept });
  }
  return blocks;
}
