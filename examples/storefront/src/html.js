// Server-rendered HTML with escaping by default: every value interpolated into `html` is escaped
// for HTML text and quoted attributes, unless it is itself the result of `html` (or `raw`).

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML text and quoted attribute values. */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"'`]/g, (ch) => ESCAPES[ch]);
}

/** A piece of HTML that is already safe (made by `html` or `raw`). */
export class SafeHtml {
  /** @param {string} value */
  constructor(value) {
    this.value = value;
  }
  toString() {
    return this.value;
  }
}

/** Marks trusted markup as safe (only for markup this program generated, e.g. the notice's HTML). */
export function raw(markup) {
  return new SafeHtml(String(markup));
}

function render(value) {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`; nested `html` results pass through. */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** A local path to return to after a form post; anything else (other sites, `//x`) becomes `/`. */
export function localPath(value) {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return '/';
  }
  return value.length > 512 ? '/' : value;
}
