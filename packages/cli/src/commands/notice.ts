import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createTactful } from '@tactful/config';
import { renderNotice } from '@tactful/notice';
import { loadValidConfig } from '../config-file.js';
import { EXIT_CODES, usageError } from '../exit-codes.js';
import { type CliIo, progress } from '../io.js';

/** Options of `tactful notice`. */
export interface NoticeCommandOptions {
  config?: string;
  /** `en` (default) or `vi`. */
  lang?: string;
  /** `md` (default), `html` or `json`. */
  format?: string;
  /** Write to this file instead of standard output. */
  out?: string;
  quiet?: boolean;
}

const FORMATS = { md: 'markdown', markdown: 'markdown', html: 'html', json: 'json' } as const;

/**
 * `tactful notice`: the privacy notice generated from the manifests of the configured plugins —
 * the same ones the engine enforces — in English or Vietnamese, as Markdown, HTML or JSON.
 */
export async function noticeCommand(io: CliIo, options: NoticeCommandOptions): Promise<number> {
  const lang = options.lang ?? 'en';
  if (lang !== 'en' && lang !== 'vi') throw usageError(`--lang must be en or vi, not "${lang}"`, 'notice');
  const format = FORMATS[(options.format ?? 'md') as keyof typeof FORMATS];
  if (format === undefined)
    throw usageError(`--format must be md, html or json, not "${options.format}"`, 'notice');
  const say = progress(io, options.quiet);
  const { file, config } = await loadValidConfig(io, options.config);
  say(`generating the notice of ${file.name} (${lang}, ${format})`);
  const tactful = await createTactful(config, { baseDir: file.baseDir, memory: true });
  let text: string;
  try {
    text = renderNotice(tactful.notice, { lang, format });
  } finally {
    await tactful.close();
  }
  if (!text.endsWith('\n')) text += '\n';
  if (options.out) {
    const out = resolve(io.cwd, options.out);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, text);
    say(`wrote ${options.out} (notice version ${tactful.notice.version})`);
  } else {
    io.stdout(text);
  }
  return EXIT_CODES.ok;
}
