import { TactfulError, escapeHtml } from '@tactful/core';

export { escapeHtml };
import { type NoticeBlock, type NoticeInline, type NoticeListItem, noticeDocument } from './document.js';
import { type Notice, NoticeSchema } from './schema.js';
import { NOTICE_LANGUAGES, type NoticeLanguage } from './texts.js';

/** Output formats of a notice. */
export const NOTICE_FORMATS = ['markdown', 'html', 'json'] as const;
/** An output format of a notice. */
export type NoticeOutputFormat = (typeof NOTICE_FORMATS)[number];

/** Escapes text so Markdown shows it literally (no emphasis, links, HTML or headings from data). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]#|~>]/g, (ch) => `\\${ch}`)
    .replace(/</g, '&lt;')
    .replace(/^(\s*)([-=+])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\./gm, '$1\\.');
}

/** Links the notice may carry: http(s), mailto, and a path on the service's own site (the privacy center). */
const SAFE_HREF = /^(https?:\/\/|mailto:|\/(?![/\\]))[^\s<>"]*$/i;

function inlineMarkdown(part: NoticeInline): string {
  if (typeof part === 'string') return escapeMarkdown(part);
  if (part.code) return `\`${part.text.replace(/`/g, '')}\``;
  let text = escapeMarkdown(part.text);
  if (part.strong) text = `**${text}**`;
  if (part.href && SAFE_HREF.test(part.href)) text = `[${text}](<${part.href.replace(/[<>]/g, '')}>)`;
  return text;
}

function inlineHtml(part: NoticeInline): string {
  if (typeof part === 'string') return escapeHtml(part);
  let text = escapeHtml(part.text);
  if (part.code) text = `<code>${text}</code>`;
  if (part.strong) text = `<strong>${text}</strong>`;
  if (part.href && SAFE_HREF.test(part.href)) text = `<a href="${escapeHtml(part.href)}">${text}</a>`;
  return text;
}

function itemMarkdown(item: NoticeListItem): string {
  if (!('content' in item)) return `- ${item.map(inlineMarkdown).join('')}`;
  const nested = item.children.map((child) => `  - ${child.map(inlineMarkdown).join('')}`);
  return [`- ${item.content.map(inlineMarkdown).join('')}`, ...nested].join('\n');
}

function itemHtml(item: NoticeListItem): string {
  if (!('content' in item)) return `<li>${item.map(inlineHtml).join('')}</li>`;
  const nested = item.children.map((child) => `<li>${child.map(inlineHtml).join('')}</li>`).join('\n');
  return `<li>${item.content.map(inlineHtml).join('')}\n<ul>\n${nested}\n</ul>\n</li>`;
}

/** Serialises notice blocks as CommonMark. */
export function blocksToMarkdown(blocks: ReadonlyArray<NoticeBlock>): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.type === 'heading') out.push(`${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`);
    else if (b.type === 'paragraph') out.push(b.content.map(inlineMarkdown).join(''));
    else out.push(b.items.map(itemMarkdown).join('\n'));
  }
  return `${out.join('\n\n')}\n`;
}

/** Serialises notice blocks as an HTML fragment (every piece of text escaped). */
export function blocksToHtml(
  blocks: ReadonlyArray<NoticeBlock>,
  lang: NoticeLanguage,
  version?: string,
): string {
  // The full version, for machines (consent forms, tools), in an attribute no person reads.
  const attr = version === undefined ? '' : ` data-notice-version="${escapeHtml(version)}"`;
  const out: string[] = [`<section class="tactful-notice" lang="${lang}"${attr}>`];
  for (const b of blocks) {
    if (b.type === 'heading') out.push(`<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`);
    else if (b.type === 'paragraph') out.push(`<p>${b.content.map(inlineHtml).join('')}</p>`);
    else out.push(`<ul>\n${b.items.map(itemHtml).join('\n')}\n</ul>`);
  }
  out.push('</section>');
  return `${out.join('\n')}\n`;
}

/** Options of {@link renderNotice}. */
export interface RenderNoticeOptions {
  /** `markdown` (default; `md` also accepted), `html` (a standalone, escaped fragment) or `json` (the documented structure). */
  format?: NoticeOutputFormat | 'md';
  /** `en` (default) or `vi`. Ignored for `json`, which holds both languages. */
  lang?: NoticeLanguage;
}

/**
 * Renders a notice as Markdown, HTML or JSON, in English or Vietnamese.
 *
 * @example
 * ```ts
 * const notice = generateNotice({ plugins: engine.plugins, taxonomy: engine.taxonomy, controller });
 * const md = renderNotice(notice, { format: 'markdown', lang: 'vi' });
 * const html = renderNotice(notice, { format: 'html', lang: 'en' });
 * ```
 */
export function renderNotice(notice: Notice, options: RenderNoticeOptions = {}): string {
  const format = options.format ?? 'markdown';
  const lang = options.lang ?? 'en';
  if (!(NOTICE_LANGUAGES as readonly string[]).includes(lang)) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `notice: unknown language "${lang}"; use one of: ${NOTICE_LANGUAGES.join(', ')}`,
      {
        path: ['lang'],
      },
    );
  }
  switch (format) {
    case 'json':
      return `${JSON.stringify(NoticeSchema.parse(notice), null, 2)}\n`;
    case 'html':
      return blocksToHtml(noticeDocument(notice, lang), lang, notice.version);
    case 'markdown':
    case 'md':
      return blocksToMarkdown(noticeDocument(notice, lang));
    default:
      throw new TactfulError(
        'INVALID_OPTIONS',
        `notice: unknown format "${String(format)}"; use one of: ${NOTICE_FORMATS.join(', ')}`,
        { path: ['format'] },
      );
  }
}
