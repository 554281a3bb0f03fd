import { TemplateSyntaxError } from './template-syntax.js';
import { decodeCharacterReferences, isSafeUrl, type UrlPolicy } from './url.js';

/** Where a placeholder sits in an HTML template, which decides how its value is escaped. */
export type HtmlSlotContext = 'text' | 'attribute' | 'url-start' | 'url-part';

/** Elements a template may never contain: they run code or change where the page's links point. */
export const FORBIDDEN_ELEMENTS: ReadonlySet<string> = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'noscript',
  'template',
  'portal',
  // SVG animation can rewrite an href to a script URL after load.
  'animate',
  'set',
  'animatemotion',
  'animatetransform',
  'handler',
  'listener',
]);

const SCRIPT_URL = /(?:java|vb|live)script:|data:text\/html/i;

/** Attributes whose value is a URL: a placeholder there only ever yields an http, https or mailto URL. */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'background',
  'cite',
  'longdesc',
  'usemap',
  'xlink:href',
  'ping',
  'manifest',
  'codebase',
  'dynsrc',
  'lowsrc',
  'data',
]);

const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set(['style', 'xmp']);

type State =
  | 'text'
  | 'tagOpen'
  | 'tagName'
  | 'inTag'
  | 'attrName'
  | 'afterAttrName'
  | 'beforeValue'
  | 'valueDq'
  | 'valueSq'
  | 'valueUnq'
  | 'comment'
  | 'markup'
  | 'rawText';

/**
 * Scans an HTML template's static text around its placeholders and returns, for each placeholder, the
 * escaping context it needs. Rejects what could run script or hide it: forbidden elements, event
 * handler attributes (`on*`), `srcdoc`, `http-equiv`, unsafe static URLs, and placeholders anywhere
 * a value could change the markup's structure (tag or attribute names, unquoted attribute values,
 * comments, `style`, raw-text elements).
 * @throws TemplateSyntaxError
 */
export function analyzeHtml(
  texts: readonly string[],
  textOffsets: readonly number[],
  placeholderOffsets: readonly number[],
  policy: UrlPolicy,
): HtmlSlotContext[] {
  const contexts: HtmlSlotContext[] = [];
  let state = 'text' as State;
  let tagName = '';
  let endTag = false;
  let rawTextUntil = '';
  let attrName = '';
  let attrValue = '';
  let attrHasPlaceholder = false;
  let commentDashes = '';
  let textOffset = 0;

  const fail = (message: string, at: number): never => {
    throw new TemplateSyntaxError(message, at);
  };

  const finishTagName = (at: number): void => {
    const name = tagName.toLowerCase();
    if (!endTag && FORBIDDEN_ELEMENTS.has(name))
      fail(`<${name}> is not allowed in a template (it can run code)`, at);
  };
  const finishAttrName = (at: number): void => {
    const name = attrName.toLowerCase();
    if (name.startsWith('on')) fail(`event handler attribute "${attrName}" is not allowed in a template`, at);
    if (name === 'srcdoc' || name === 'http-equiv')
      fail(`attribute "${attrName}" is not allowed in a template`, at);
  };
  const finishAttrValue = (at: number): void => {
    const name = attrName.toLowerCase();
    if (URL_ATTRIBUTES.has(name) && !attrHasPlaceholder) {
      const url = decodeCharacterReferences(attrValue);
      if (!isSafeUrl(url, policy)) {
        fail(
          policy === 'absolute'
            ? `${attrName}="${attrValue}" must be an absolute http, https or mailto URL (emails have no base address)`
            : `${attrName}="${attrValue}" must be an http, https, mailto or relative URL`,
          at,
        );
      }
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these inside a scheme
    if (SCRIPT_URL.test(decodeCharacterReferences(attrValue).replace(/[\s\u0000-\u001f]/g, ''))) {
      fail(`${attrName}="${attrValue}" holds a script URL`, at);
    }
  };
  const endOfTag = (): void => {
    const name = tagName.toLowerCase();
    state = !endTag && RAW_TEXT_ELEMENTS.has(name) ? 'rawText' : 'text';
    if (state === 'rawText') rawTextUntil = `</${name}`;
  };

  for (let part = 0; part < texts.length; part++) {
    const text = texts[part]!;
    textOffset = textOffsets[part] ?? 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      const at = textOffset + i;
      switch (state) {
        case 'text':
          if (ch === '<') state = 'tagOpen';
          break;
        case 'tagOpen':
          if (/[A-Za-z]/.test(ch)) {
            tagName = ch;
            endTag = false;
            state = 'tagName';
          } else if (ch === '/') {
            tagName = '';
            endTag = true;
            state = 'tagName';
          } else if (ch === '!') {
            if (text.startsWith('--', i + 1)) {
              state = 'comment';
              commentDashes = '';
              i += 2;
            } else state = 'markup';
          } else if (ch === '?') state = 'markup';
          else state = ch === '<' ? 'tagOpen' : 'text';
          break;
        case 'tagName':
          if (/[\s/>]/.test(ch)) {
            finishTagName(at);
            if (ch === '>') endOfTag();
            else state = 'inTag';
          } else tagName += ch;
          break;
        case 'inTag':
          if (ch === '>') endOfTag();
          else if (!/[\s/]/.test(ch)) {
            if (ch === '"' || ch === "'" || ch === '<' || ch === '=')
              fail(`unexpected "${ch}" inside <${tagName}>`, at);
            attrName = ch;
            state = 'attrName';
          }
          break;
        case 'attrName':
          if (ch === '=' || /[\s/>]/.test(ch)) {
            finishAttrName(at);
            if (ch === '=') {
              state = 'beforeValue';
            } else if (ch === '>') endOfTag();
            else state = 'afterAttrName';
          } else if (ch === '"' || ch === "'" || ch === '<')
            fail(`unexpected "${ch}" in attribute name "${attrName}"`, at);
          else attrName += ch;
          break;
        case 'afterAttrName':
          if (ch === '=') state = 'beforeValue';
          else if (ch === '>') endOfTag();
          else if (!/[\s/]/.test(ch)) {
            attrName = ch;
            state = 'attrName';
          }
          break;
        case 'beforeValue':
          attrValue = '';
          attrHasPlaceholder = false;
          if (ch === '"') state = 'valueDq';
          else if (ch === "'") state = 'valueSq';
          else if (ch === '>') fail(`attribute "${attrName}" has no value after "="`, at);
          else if (!/\s/.test(ch)) {
            attrValue = ch;
            state = 'valueUnq';
          }
          break;
        case 'valueDq':
        case 'valueSq':
          if ((state === 'valueDq' && ch === '"') || (state === 'valueSq' && ch === "'")) {
            finishAttrValue(at);
            state = 'inTag';
          } else attrValue += ch;
          break;
        case 'valueUnq':
          if (/[\s>]/.test(ch)) {
            finishAttrValue(at);
            if (ch === '>') endOfTag();
            else state = 'inTag';
          } else attrValue += ch;
          break;
        case 'comment':
          if (ch === '>' && commentDashes.endsWith('--')) state = 'text';
          commentDashes = ch === '-' ? `${commentDashes}-`.slice(-2) : '';
          break;
        case 'markup':
          if (ch === '>') state = 'text';
          break;
        case 'rawText':
          if (ch === '<' && text.slice(i, i + rawTextUntil.length).toLowerCase() === rawTextUntil) {
            state = 'tagName';
            tagName = '';
            endTag = true;
            i += 1;
          }
          break;
      }
    }
    if (part === texts.length - 1) break;
    // A placeholder follows this static text.
    const at = placeholderOffsets[part]!;
    const here = `placeholder at offset ${at}`;
    switch (state) {
      case 'text':
        contexts.push('text');
        break;
      case 'valueDq':
      case 'valueSq': {
        const name = attrName.toLowerCase();
        if (name === 'style') fail(`${here}: values can't be placed in a style attribute`, at);
        if (name === 'srcset') fail(`${here}: values can't be placed in srcset; use src`, at);
        if (URL_ATTRIBUTES.has(name)) {
          if (!attrHasPlaceholder && attrValue.trim() === '') contexts.push('url-start');
          else {
            if (!attrHasPlaceholder) {
              const prefix = decodeCharacterReferences(attrValue);
              if (!isSafeUrl(prefix, policy)) {
                fail(
                  `${here}: the URL in ${attrName} starts with "${attrValue}", which is not ${policy === 'absolute' ? 'an absolute ' : 'an '}http, https or mailto URL`,
                  at,
                );
              }
            }
            contexts.push('url-part');
          }
        } else contexts.push('attribute');
        attrHasPlaceholder = true;
        attrValue += '\u0000';
        break;
      }
      case 'valueUnq':
      case 'beforeValue':
        fail(`${here}: put quotes around the attribute value, e.g. ${attrName}="{{ value }}"`, at);
        break;
      case 'comment':
        fail(`${here}: values can't be placed inside an HTML comment`, at);
        break;
      case 'rawText':
        fail(`${here}: values can't be placed inside <${tagName || rawTextUntil.slice(2)}>`, at);
        break;
      default:
        fail(
          `${here}: values can only be placed in text or inside a quoted attribute value, not in a tag or attribute name`,
          at,
        );
    }
  }
  if (state !== 'text' && state !== 'rawText') {
    throw new TemplateSyntaxError(
      `the template ends inside a tag, attribute or comment (${state}); close it`,
      0,
    );
  }
  return contexts;
}
