import {
  type CategoryRead,
  type PluginCallContext,
  PluginNameSchema,
  type Proposal,
  type ProposalFallback,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
  TactfulError,
  defineStrategy,
  isCallAborted,
  assertSafeValue,
  parseOrThrow,
  RegexEngineSchema,
} from '@tactful/core';
import * as z from 'zod/mini';
import { isLanguageTag } from './accept-language.js';
import { type HeaderContext, type HeadersLike, TrustedProxySchema, headerReader } from './headers.js';
import { BUILTIN_HOLIDAYS, HolidayDefinitionSchema, holidayCalendar } from './holidays.js';
import { WEEKDAYS, isValidTimeZone } from './local-time.js';
import { type CompiledRule, ContextualRuleSchema, SIGNAL_CATEGORIES, compileRules } from './rules.js';
import { type ContextSignals, extractSignals } from './signals.js';
import { VERSION } from './version.js';

/** The signal this strategy publishes. */
export const CONTEXT_SIGNAL = 'contextual.context';
const CONTEXTUAL = 'personalization.contextual';
const PRECISE = 'personalization.precise-location';

const PlaceSchema = z.object({
  name: z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9._:-]{1,64}$/, 'use letters, digits and . _ : - only, e.g. "store-hoan-kiem"'),
    ),
  latitude: z.number().check(z.gte(-90), z.lte(90)),
  longitude: z.number().check(z.gte(-180), z.lte(180)),
  radiusKm: z.number().check(z.positive(), z.lte(500)),
});

/** Options of {@link contextual}. */
export const ContextualOptionsSchema = z.object({
  /** The engine of `$regex` patterns, needed when a rule has one: `plainRegex` from `@tactful/core` (plain texts, anchored bounded patterns) or `re2Regex` from `@tactful/core/regex` (any RE2 pattern). */
  regex: z.optional(RegexEngineSchema),
  /** The plugin name (change it to register two contextual strategies). */
  name: z._default(PluginNameSchema, '@tactful/contextual'),
  /** Rules mapping signals to content per slot. */
  rules: z._default(z.array(ContextualRuleSchema).check(z.maxLength(10_000)), []),
  /** Extra holidays (same id as a built-in replaces it). */
  holidays: z._default(z.array(HolidayDefinitionSchema).check(z.maxLength(1000)), []),
  /** Include the built-in holidays (Tết, mid-autumn, Christmas ...). */
  builtinHolidays: z._default(z.boolean(), true),
  /** Time zone used when a request gives none (else the request's own UTC offset, else no time signals). */
  defaultTimeZone: z.optional(
    z.string().check(z.refine(isValidTimeZone, 'use an IANA time zone such as "Asia/Ho_Chi_Minh"')),
  ),
  /** Locales the site supports: the visitor's locale is negotiated against them. */
  supportedLocales: z.optional(
    z.array(z.string().check(z.refine(isLanguageTag, 'use a BCP 47 tag such as "vi-VN"'))),
  ),
  /** Days counted as the weekend (default Saturday and Sunday). */
  weekend: z.optional(z.array(z.enum(WEEKDAYS))),
  /**
   * Named places for `near` rules. Using them reads precise location, a sensitive category, only
   * under `personalization.precise-location` (TCF special feature 1): withheld unless granted.
   */
  places: z.optional(z.array(PlaceSchema).check(z.maxLength(1000))),
  /** Read `context.weather` even when no rule does (to publish it); needs a weather source. */
  weather: z.optional(z.boolean()),
  /** The edge proxy whose location headers are believed, for {@link ContextualStrategy.contextFromHeaders}. */
  trustedProxy: z.optional(TrustedProxySchema),
  /** Merge priority of this strategy under the priority merge policy. */
  priority: z._default(z.number().check(z.int(), z.gte(-1000), z.lte(1000)), 0),
  /** Deadline of one decision call, in milliseconds. */
  timeoutMs: z.optional(z.number().check(z.int(), z.positive(), z.lte(60_000))),
});
/** Options of {@link contextual}, as written. */
export type ContextualOptions = z.input<typeof ContextualOptionsSchema>;

/** The contextual strategy, plus a header reader bound to its trusted proxy. */
export interface ContextualStrategy extends Strategy {
  /** Reads a raw request's headers into a request context (location only via the trusted proxy). */
  contextFromHeaders(headers: HeadersLike, request?: { remoteAddress?: string | undefined }): HeaderContext;
  /** Computes the contextual signals from a strategy input (what `decide` publishes). */
  signals(input: Pick<StrategyInput, 'data' | 'now'>): ContextSignals;
}

const why = (en: string, vi: string) => ({ en, vi });
const READ_WHY: Record<string, { en: string; vi: string }> = {
  'context.time': why(
    'To fit content to your local time of day, day of week, season and holidays.',
    'Để nội dung phù hợp với giờ, ngày trong tuần, mùa và ngày lễ tại nơi bạn ở.',
  ),
  'context.device': why(
    'To fit content to your kind of device.',
    'Để nội dung phù hợp với loại thiết bị của bạn.',
  ),
  'context.locale': why('To show content in your language.', 'Để hiển thị nội dung bằng ngôn ngữ của bạn.'),
  'context.location.coarse': why(
    'To fit content to your country or city.',
    'Để nội dung phù hợp với quốc gia hoặc thành phố của bạn.',
  ),
  'context.weather': why(
    'To fit content to the weather where you are.',
    'Để nội dung phù hợp với thời tiết nơi bạn ở.',
  ),
  'location.precise': why(
    'To show what is near you, only with your explicit consent.',
    'Để hiển thị những gì gần bạn, chỉ khi bạn đồng ý rõ ràng.',
  ),
};

/** The value at a path of the signals, as an explanation names it: `weather.raining=true`. */
function describe(path: string, keys: readonly string[], facts: ContextSignals): string {
  let value: unknown = facts;
  for (let i = 0; i < keys.length; i++)
    value =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[keys[i]!] : undefined;
  if (Array.isArray(value)) return `${path}=${value.join('|')}`;
  return value === undefined ? path : `${path}=${String(value)}`;
}

/** A compiled rule with what a proposal of it needs, prepared once. */
interface SlotRule extends CompiledRule {
  /** Each path of `paths`, split at its dots. */
  readonly keys: readonly (readonly string[])[];
}

/** The signals a rule's proposal names: each path it reads with the value it found. */
function signalsOf(match: SlotRule, facts: ContextSignals): string[] {
  const out: string[] = [];
  for (let i = 0; i < match.paths.length; i++) out.push(describe(match.paths[i]!, match.keys[i]!, facts));
  return out;
}

/** The categories of a rule that the strategy was given. */
function usedOf(match: SlotRule, data: StrategyInput['data']): string[] {
  const out: string[] = [];
  for (let i = 0; i < match.categories.length; i++)
    if (match.categories[i]! in data) out.push(match.categories[i]!);
  return out;
}

/** A rule standing in for the chosen one (built in one literal, optional fields only when present). */
function fallbackOf(match: SlotRule, facts: ContextSignals, data: StrategyInput['data']): ProposalFallback {
  const { rule } = match;
  const out: ProposalFallback = {
    content: rule.content,
    variant: rule.variant ?? rule.id,
    reason: rule.reason,
    signals: signalsOf(match, facts),
    categories: usedOf(match, data),
  };
  if (rule.score !== undefined) out.score = rule.score;
  if (rule.topics !== undefined) out.topics = [...rule.topics];
  return out;
}

/**
 * The contextual strategy: personalizes on the moment, not the person. Publishes
 * `contextual.context` (daypart, weekday, season, holidays, device, locale, coarse location,
 * weather) and proposes content per slot from rules over those signals. Needs no identity and no
 * history; precise location is read only under `personalization.precise-location`.
 *
 * @example
 * ```ts
 * const strategy = contextual({
 *   rules: [{
 *     id: 'rain-gear', slot: 'home.hero', when: { 'weather.raining': true },
 *     content: { banner: 'rain-gear' },
 *     reason: { en: 'It is raining where you are.', vi: 'Trời đang mưa ở nơi bạn ở.' },
 *   }],
 * });
 * const orchestrator = createOrchestrator({ consent, sources: [weatherSource({ baseUrl })], strategies: [strategy] });
 * ```
 */
export function contextual(options: ContextualOptions = {}): ContextualStrategy {
  const plugin = typeof options.name === 'string' ? options.name : '@tactful/contextual';
  // Before zod, which would turn a "__proto__" key into a prototype and drop it.
  for (const key of ['rules', 'places'] as const)
    assertSafeValue(options[key], { code: 'INVALID_OPTIONS', what: 'options', plugin, path: [key] });
  const opts = parseOrThrow(ContextualOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin,
  });
  const compiled = compileRules(opts.rules, opts.name, opts.regex);
  const usesNear = compiled.some((r) => r.categories.includes('location.precise'));
  if (usesNear && (opts.places === undefined || opts.places.length === 0)) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${opts.name}: a rule reads "near" but no "places" are configured; add places or remove the rule`,
      {
        plugin: opts.name,
        path: ['places'],
      },
    );
  }
  const calendar = holidayCalendar([...(opts.builtinHolidays ? BUILTIN_HOLIDAYS : []), ...opts.holidays]);
  const extractOptions = {
    holidays: calendar,
    defaultTimeZone: opts.defaultTimeZone,
    supportedLocales: opts.supportedLocales,
    places: opts.places,
    weekend: opts.weekend,
  };
  const bySlot = new Map<string, SlotRule[]>();
  for (const r of compiled) {
    const list = bySlot.get(r.rule.slot) ?? [];
    list.push({ ...r, keys: r.paths.map((p) => p.split('.')) });
    bySlot.set(r.rule.slot, list);
  }
  for (const list of bySlot.values())
    list.sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index);

  const categories = ['context.time', 'context.device', 'context.locale', 'context.location.coarse'];
  if (opts.weather === true || compiled.some((r) => r.categories.includes('context.weather')))
    categories.push('context.weather');
  const reads: CategoryRead[] = categories.map((category) => ({
    category,
    purpose: CONTEXTUAL,
    why: READ_WHY[category]!,
  }));
  if (opts.places !== undefined && opts.places.length > 0) {
    reads.push({ category: 'location.precise', purpose: PRECISE, why: READ_WHY['location.precise']! });
  }
  const readHeaders = headerReader(
    opts.trustedProxy === undefined ? {} : { trustedProxy: options.trustedProxy! },
  );
  const signals = (input: Pick<StrategyInput, 'data' | 'now'>) =>
    extractSignals(input.data, input.now, extractOptions);

  const strategy = defineStrategy({
    manifest: {
      name: opts.name,
      version: VERSION,
      core: '^0.1.0',
      description: {
        en: 'Adapts content to the moment — time, season, device, language, approximate place and weather — without knowing who you are.',
        vi: 'Điều chỉnh nội dung theo thời điểm — giờ, mùa, thiết bị, ngôn ngữ, vị trí gần đúng và thời tiết — mà không cần biết bạn là ai.',
      },
      purposes: [CONTEXTUAL],
      reads,
      signals: {
        publishes: [
          {
            name: CONTEXT_SIGNAL,
            // What each field is made from, so an explanation names only the data a choice used.
            fields: Object.fromEntries(Object.entries(SIGNAL_CATEGORIES).map(([f, from]) => [f, [...from]])),
            description: {
              en: 'The moment: daypart, weekday, season, holidays, device, language, place, weather.',
              vi: 'Thời điểm: buổi trong ngày, thứ, mùa, ngày lễ, thiết bị, ngôn ngữ, nơi chốn, thời tiết.',
            },
          },
        ],
        reads: [],
      },
      priority: opts.priority,
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    },
    decide(input: StrategyInput, ctx: PluginCallContext): StrategyOutput {
      if (isCallAborted(ctx)) {
        throw new TactfulError('ABORTED', `${opts.name}: the decision was aborted`, { plugin: opts.name });
      }
      const facts = signals(input);
      const proposals: Proposal[] = [];
      // Index loops throughout: the slots and the rules' lists are frozen or long-lived arrays.
      for (let s = 0; s < input.slots.length; s++) {
        const slot = input.slots[s]!.id;
        const rules = bySlot.get(slot);
        if (rules === undefined) continue;
        let at = 0;
        while (at < rules.length && !rules[at]!.test(facts as Record<string, unknown>)) at++;
        if (at === rules.length) continue;
        const match = rules[at]!;
        const { rule } = match;
        const proposal: Proposal = {
          slot,
          content: rule.content,
          variant: rule.variant ?? rule.id,
          origin: 'contextual',
          reason: rule.reason,
          signals: signalsOf(match, facts),
          categories: usedOf(match, input.data),
        };
        if (rule.score !== undefined) proposal.score = rule.score;
        // The other matching rules stand in, in order, when a declared "not interested" removes it
        // (P4): only judged when the chosen rule is about a topic.
        if (rule.topics !== undefined) {
          proposal.topics = [...rule.topics];
          const fallbacks: ProposalFallback[] = [];
          for (let i = at + 1; i < rules.length && fallbacks.length < 8 && rule.topics.length > 0; i++)
            if (rules[i]!.test(facts as Record<string, unknown>))
              fallbacks.push(fallbackOf(rules[i]!, facts, input.data));
          if (fallbacks.length > 0) proposal.fallbacks = fallbacks;
        }
        proposals.push(proposal);
      }
      return { proposals, signals: { [CONTEXT_SIGNAL]: facts } };
    },
  });
  return Object.assign(strategy, { contextFromHeaders: readHeaders, signals });
}
