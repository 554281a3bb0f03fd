import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Tactful, createTactful } from '@tactful/config';
import { type Decision, type DecisionRequestInput, isTactfulError } from '@tactful/core';
import { noticeReference } from '@tactful/notice';
import type { DecisionPreview } from '@tactful/orchestrator';
import { loadValidConfig } from '../config-file.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { type CliIo, printJson, progress } from '../io.js';

/** Options of `tactful explain`. */
export interface ExplainOptions {
  config?: string;
  /** Purposes to treat as granted by the request's subject (comma-separated), as a consent banner would record. */
  grant?: string | string[];
  /** Also make the decision and show each slot's content and explanation. */
  decide?: boolean;
  lang?: string;
  json?: boolean;
  quiet?: boolean;
}

function list(value: string | string[] | undefined): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

async function readRequest(io: CliIo, file: string): Promise<DecisionRequestInput> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the request ${file}: ${(error as Error).message}`, EXIT_CODES.invalid);
  }
  try {
    return JSON.parse(text) as DecisionRequestInput;
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`, EXIT_CODES.invalid);
  }
}

async function grant(tactful: Tactful, request: DecisionRequestInput, purposes: string[]): Promise<void> {
  if (purposes.length === 0) return;
  const subject = request.subject?.id;
  if (subject === undefined) {
    throw new CliError(
      '--grant needs a request with a subject ("subject": { "id": "…" }): consent is recorded for a person',
      EXIT_CODES.invalid,
    );
  }
  for (const purpose of purposes) {
    if (!tactful.notice.purposes[purpose]) {
      throw new CliError(
        `--grant: the configuration uses no purpose "${purpose}"`,
        EXIT_CODES.invalid,
        `purposes in use: ${Object.keys(tactful.notice.purposes).join(', ') || '(none)'}`,
      );
    }
    await tactful.consent.grant({
      subject,
      purpose,
      method: 'api',
      notice: noticeReference(tactful.notice, purpose),
    });
  }
}

const mark = (yes: boolean) => (yes ? '✓' : '✗');

/** The preview as text a person reads: consent, then each strategy and source, with why. */
export function formatPreview(preview: DecisionPreview): string {
  const lines: string[] = ['Consent'];
  const purposes = Object.entries(preview.consent.purposes).sort(([a], [b]) => a.localeCompare(b));
  if (purposes.length === 0) lines.push('  (no purpose is granted)');
  for (const [purpose, state] of purposes) {
    const why = state.reason ? `: ${state.reason}` : '';
    lines.push(
      `  ${mark(state.status === 'granted')} ${purpose}  ${state.status} by ${state.provider}${why}`,
    );
  }
  for (const failure of preview.consentFailures) {
    lines.push(`  ! consent provider ${failure.plugin} failed (${failure.code}): ${failure.reason}`);
  }
  lines.push('', 'Strategies (in the order they run)');
  for (const s of [...preview.strategies].sort((a, b) => a.layer - b.layer)) {
    const status = s.willRun
      ? 'will run'
      : `skipped: ${s.skipped ? `${s.skipped.reason} [${s.skipped.code}]` : 'not permitted'}`;
    lines.push(`  ${mark(s.willRun)} ${s.name}  ${status}`);
    lines.push(`      needs ${s.purposes.length > 0 ? s.purposes.join(', ') : 'no purpose'}`);
    for (const c of s.categories) {
      const from = c.from === 'request' ? 'the request' : c.from.length > 0 ? c.from.join(', ') : 'no source';
      lines.push(`      ${c.permitted ? 'sees' : 'would not see'} ${c.category} (${c.purpose}) from ${from}`);
    }
    if (s.waitsFor.length > 0) lines.push(`      waits for signals ${s.waitsFor.join(', ')}`);
  }
  if (preview.sources.length > 0) {
    lines.push('', 'Data sources');
    for (const src of preview.sources) {
      lines.push(
        src.willCall
          ? `  ✓ ${src.name}  will be called for ${src.categories.join(', ')}`
          : `  ✗ ${src.name}  not called: ${src.reason ?? 'not needed'}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A decision as text: each slot's content and the explanation a person would see. */
export function formatDecision(decision: Decision, lang: 'en' | 'vi'): string {
  const lines: string[] = ['', 'Decision'];
  for (const slot of decision.slots) {
    const by = slot.isDefault
      ? 'default content'
      : `${slot.strategy}${slot.variant ? ` (variant ${slot.variant})` : ''}`;
    lines.push(`  ${slot.slot}: ${JSON.stringify(slot.content)}  ← ${by}`);
    const summary = slot.explanation.summary as Record<string, string | undefined>;
    const text = summary[lang] ?? summary.en;
    if (text) lines.push(`      why: ${text}`);
    if (slot.explanation.categories.length > 0)
      lines.push(`      data used: ${slot.explanation.categories.join(', ')}`);
  }
  for (const d of decision.dropped)
    lines.push(`  dropped ${d.kind} ${d.plugin} (${d.outcome}, ${d.code}): ${d.reason}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `tactful explain <request.json>`: what a decision for that request would do — which strategies
 * would run or be skipped and why, what each would see, which sources would be called — from the
 * orchestrator's dry run (`preview`), in memory, writing nothing. `--decide` makes the decision too.
 */
export async function explainCommand(
  io: CliIo,
  requestFile: string,
  options: ExplainOptions,
): Promise<number> {
  const lang = options.lang ?? 'en';
  if (lang !== 'en' && lang !== 'vi')
    throw new CliError(`--lang must be en or vi, not "${lang}"`, EXIT_CODES.usage);
  const say = progress(io, options.quiet || options.json);
  const request = await readRequest(io, requestFile);
  const { file, config } = await loadValidConfig(io, options.config);
  say(`assembling ${file.name} in memory (nothing is written)`);
  const tactful = await createTactful(config, { baseDir: file.baseDir, memory: true });
  try {
    await grant(tactful, request, list(options.grant));
    let preview: DecisionPreview;
    let decision: Decision | undefined;
    try {
      preview = await tactful.engine.preview(request);
      if (options.decide) decision = await tactful.engine.decide(request);
    } catch (error) {
      if (isTactfulError(error) && error.code === 'INVALID_REQUEST') {
        const issues = error.issues
          .map((i) => `  ${i.path.join('.') || '(request)'}: ${i.message}`)
          .join('\n');
        throw new CliError(
          `${requestFile} is not a valid decision request`,
          EXIT_CODES.invalid,
          issues || error.message,
        );
      }
      throw error;
    }
    if (options.json) {
      printJson(io, decision ? { preview, decision } : { preview });
    } else {
      io.stdout(formatPreview(preview));
      if (decision) io.stdout(formatDecision(decision, lang));
    }
    return EXIT_CODES.ok;
  } finally {
    await tactful.close();
  }
}
