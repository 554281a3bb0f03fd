/** A fenced code block of a docs page marked `runnable`: ```` ```sh runnable ````, ```` ```json runnable config file=tactful.config.json ````. */
export interface DocSample {
  /** The page it is on, from the repository root. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** `sh`, `json`, `ts` … */
  lang: string;
  /** Words after the language: `runnable`, `config`, `request`, `file=<name>`, `exit=<code>`. */
  attrs: Record<string, string | true>;
  code: string;
}

const FENCE = /^(`{3,})([A-Za-z0-9_-]*)([^\n`]*)\n([\s\S]*?)^\1[ \t]*$/gm;

/** Every fenced block marked `runnable` in a Markdown page, in order. */
export function runnableSamples(markdown: string, page: string): DocSample[] {
  const samples: DocSample[] = [];
  for (const match of markdown.matchAll(FENCE)) {
    const [, , lang = '', info = '', code = ''] = match;
    const attrs: Record<string, string | true> = {};
    for (const word of info.trim().split(/\s+/).filter(Boolean)) {
      const eq = word.indexOf('=');
      if (eq > 0) attrs[word.slice(0, eq)] = word.slice(eq + 1);
      else attrs[word] = true;
    }
    if (attrs.runnable !== true) continue;
    const line = markdown.slice(0, match.index).split('\n').length;
    samples.push({ page, line, lang, attrs, code });
  }
  return samples;
}
