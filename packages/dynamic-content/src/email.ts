import type { Decision, DecisionRequestInput } from '@tactful/core';
import { TactfulError, isTactfulError } from '@tactful/core';
import type { Catalog } from './catalog.js';
import { type CompiledTemplate, compileTemplate } from './template.js';

/** Anything that makes decisions: an orchestrator, or a function. */
export type Decider =
  | { decide(request: DecisionRequestInput): Promise<Decision> }
  | ((request: DecisionRequestInput) => Promise<Decision>);

/** An email template: subject (plain text), HTML body, optional plain-text body. Sources or compiled. */
export interface EmailTemplate {
  subject: string | CompiledTemplate;
  html: string | CompiledTemplate;
  text?: string | CompiledTemplate;
}

/** One recipient of a batch. */
export interface EmailRecipient {
  /** Your id for the recipient (echoed back), e.g. a pseudonymous subject id. */
  id: string;
  /** The decision request: the subject, its slots (with defaults), the locale ... */
  request: DecisionRequestInput;
  /** Personal values for the personalized version only (`{{ recipient.firstName }}`). */
  values?: Record<string, unknown>;
  /** Values both versions need (`{{ common.unsubscribeUrl }}`), e.g. the unsubscribe link. */
  common?: Record<string, unknown>;
}

/** An email rendered for one recipient, or why there is none. */
export type RenderedEmail =
  | {
      readonly recipient: string;
      readonly status: 'personalized' | 'generic';
      readonly subject: string;
      readonly html: string;
      readonly text?: string;
      /** The decision behind a personalized email (slots, explanations, consent snapshot). */
      readonly decision?: Decision;
    }
  | { readonly recipient: string; readonly status: 'skipped'; readonly reason: 'no-consent' }
  | { readonly recipient: string; readonly status: 'failed'; readonly error: TactfulError };

/** Options of {@link renderEmailBatch}. */
export interface EmailBatchOptions {
  template: EmailTemplate;
  /** What recipients without `marketing.email` consent get: nothing (`skip`) or the non-personalized version (`generic`). */
  nonConsented: 'skip' | 'generic';
  /** Slot defaults for the generic version, when the request's slots carry none. */
  catalog?: Catalog;
  /** How many decisions run at once (default 8). Memory stays bounded by it, not by the batch size. */
  concurrency?: number;
  /** The purpose that must be granted for personalized email (default `marketing.email`). */
  purpose?: string;
}

type Compiled = { subject: CompiledTemplate; html: CompiledTemplate; text: CompiledTemplate | undefined };

function compileEmail(template: EmailTemplate): Compiled {
  const get = (
    t: string | CompiledTemplate,
    context: 'text' | 'email-html',
    field: string,
  ): CompiledTemplate => {
    if (typeof t !== 'string') {
      if (t.context !== context) {
        throw new TactfulError(
          'INVALID_OPTIONS',
          `email template "${field}" must be compiled for "${context}", not "${t.context}"`,
          {
            path: ['template', field],
          },
        );
      }
      return t;
    }
    try {
      return compileTemplate(t, context);
    } catch (error) {
      throw new TactfulError('INVALID_OPTIONS', `email template "${field}": ${(error as Error).message}`, {
        path: ['template', field],
        cause: error,
      });
    }
  };
  return {
    subject: get(template.subject, 'text', 'subject'),
    html: get(template.html, 'email-html', 'html'),
    text: template.text === undefined ? undefined : get(template.text, 'text', 'text'),
  };
}

function toIterator<T>(items: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> | Iterator<T> {
  if (Symbol.asyncIterator in items) return (items as AsyncIterable<T>)[Symbol.asyncIterator]();
  return (items as Iterable<T>)[Symbol.iterator]();
}

/**
 * Decides and renders one email per recipient, streaming: recipients are pulled lazily and at most
 * `concurrency` are in flight, so a batch of any size runs in bounded memory; results come out in
 * input order. A recipient gets a personalized email only when the decision's consent snapshot
 * grants `marketing.email`; the others get nothing or the generic version (slot defaults, no
 * personal values, no decision content). A recipient whose request is invalid yields a `failed`
 * entry; the batch goes on.
 *
 * @throws TactfulError `INVALID_OPTIONS` for a bad template (before any recipient is read)
 * @example
 * ```ts
 * for await (const email of renderEmailBatch(orchestrator, recipients, {
 *   template: { subject: '{{ slots["email.subject"] ?? "News" }}', html: '<h1>{{ slots["email.hero"].title }}</h1>' },
 *   nonConsented: 'generic',
 * })) if (email.status !== 'skipped' && email.status !== 'failed') await send(email);
 * ```
 */
export async function* renderEmailBatch(
  decider: Decider,
  recipients: AsyncIterable<EmailRecipient> | Iterable<EmailRecipient>,
  options: EmailBatchOptions,
): AsyncGenerator<RenderedEmail, void, undefined> {
  if (options.nonConsented !== 'skip' && options.nonConsented !== 'generic') {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `nonConsented must be "skip" or "generic", got "${String(options.nonConsented)}"`,
      {
        path: ['nonConsented'],
      },
    );
  }
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
    throw new TactfulError('INVALID_OPTIONS', 'concurrency must be an integer from 1 to 1000', {
      path: ['concurrency'],
    });
  }
  const template = compileEmail(options.template);
  const purpose = options.purpose ?? 'marketing.email';
  const decide = typeof decider === 'function' ? decider : (r: DecisionRequestInput) => decider.decide(r);

  const one = async (recipient: EmailRecipient): Promise<RenderedEmail> => {
    let decision: Decision;
    try {
      decision = await decide(recipient.request);
    } catch (error) {
      const e = isTactfulError(error)
        ? error
        : new TactfulError(
            'PLUGIN_FAILED',
            `deciding for recipient "${recipient.id}" failed: ${String(error)}`,
            { cause: error },
          );
      return { recipient: recipient.id, status: 'failed', error: e };
    }
    const granted = decision.consent.purposes[purpose]?.status === 'granted';
    const locale = recipient.request.context?.locale;
    if (granted) {
      const slots: Record<string, unknown> = {};
      for (const s of decision.slots) slots[s.slot] = s.content;
      const values = {
        slots,
        recipient: recipient.values ?? {},
        common: recipient.common ?? {},
        locale,
        personalized: true,
      };
      return render(recipient.id, 'personalized', values, decision);
    }
    if (options.nonConsented === 'skip')
      return { recipient: recipient.id, status: 'skipped', reason: 'no-consent' };
    const slots: Record<string, unknown> = {};
    for (const s of recipient.request.slots) {
      slots[s.id] = s.default !== undefined ? s.default : options.catalog?.defaultContent(s.id, locale);
    }
    const values = { slots, recipient: {}, common: recipient.common ?? {}, locale, personalized: false };
    return render(recipient.id, 'generic', values, undefined);
  };

  const render = (
    id: string,
    status: 'personalized' | 'generic',
    values: unknown,
    decision: Decision | undefined,
  ): RenderedEmail => {
    const subject = template.subject
      .render(values)
      .replace(/[\r\n]+/g, ' ')
      .trim();
    const html = template.html.render(values);
    const text = template.text?.render(values);
    return {
      recipient: id,
      status,
      subject,
      html,
      ...(text === undefined ? {} : { text }),
      ...(decision === undefined ? {} : { decision }),
    };
  };

  const iterator = toIterator(recipients);
  const window: Array<Promise<RenderedEmail>> = [];
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && window.length < concurrency) {
        const next = await iterator.next();
        if (next.done) exhausted = true;
        else window.push(one(next.value));
      }
      const head = window.shift();
      if (head === undefined) return;
      yield await head;
    }
  } finally {
    if (!exhausted) await iterator.return?.();
  }
}
