import {
  type CategoryRead,
  type LocalizedText,
  type PluginCallContext,
  type Proposal,
  type SignalUse,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
  TactfulError,
  defineStrategy,
  isCallAborted,
  checkOrThrow,
} from '@tactful/core';
import { version } from '../package.json';
import { type Catalog, type CatalogVariant, isCatalog, parseCatalog, pickLocale } from './catalog.js';
import { buildFacts, decisionLocale, FACT_SIGNALS, type FactNeeds } from './facts.js';
import { checkDynamicContentOptions } from './options-check.js';
import type { DynamicContentOptions } from './options-schema.js';
import { type SelectionContext, selectVariant, selectWithAlternatives } from './select.js';

/** The dynamic-content strategy: a Tactful strategy plus its compiled catalog. */
export type DynamicContentStrategy = Strategy & { readonly catalog: Catalog };

const REASONS: Record<'segments' | 'interests' | 'context' | 'data' | 'none', LocalizedText> = {
  segments: {
    en: 'Because you belong to a customer group this content is meant for.',
    vi: 'Vì bạn thuộc phân khúc khách hàng mà nội dung này hướng đến.',
  },
  interests: {
    en: 'Because of what you looked at during this visit.',
    vi: 'Dựa trên hành vi trong phiên truy cập hiện tại của bạn.',
  },
  context: {
    en: 'Because of the time, place, language or device of your visit.',
    vi: 'Dựa trên thời gian, địa điểm, ngôn ngữ hoặc thiết bị bạn đang dùng.',
  },
  data: {
    en: 'Because of information in your profile.',
    vi: 'Dựa trên thông tin trong hồ sơ của bạn.',
  },
  none: {
    en: 'This version is shown to everyone at the moment.',
    vi: 'Phiên bản này đang được hiển thị cho mọi người.',
  },
};
/** Most fallbacks one proposal carries (the orchestrator accepts up to 20). */
const MAX_FALLBACKS = 8;

const DEFAULT_REASON: LocalizedText = {
  en: 'The standard content for this place.',
  vi: 'Nội dung mặc định cho vị trí này.',
};

const SPLIT_REASON: LocalizedText = {
  en: 'One of several versions we are comparing; this one was assigned to you at random.',
  vi: 'Một trong các phiên bản chúng tôi đang so sánh; phiên bản này được chọn ngẫu nhiên cho bạn.',
};

const used = new WeakMap<CatalogVariant, SignalUse[]>();

/**
 * The signals a variant rests on, with the top-level fields it read (`context.daypart` →
 * `contextual.context` field `daypart`), so its explanation names only the data behind those.
 */
function signalsUsedOf(variant: CatalogVariant): SignalUse[] {
  const known = used.get(variant);
  if (known) return known;
  const fields = new Map<string, Set<string> | undefined>();
  for (const path of variant.paths) {
    const [head, field] = path.split('.');
    if (head !== 'segments' && head !== 'context' && head !== 'interests') continue;
    const signal = FACT_SIGNALS[head];
    if (!fields.has(signal)) fields.set(signal, new Set());
    const set = fields.get(signal);
    // A whole-signal read (`segments`, or a template over `context`) uses every field.
    if (field === undefined || head === 'segments') fields.set(signal, undefined);
    else set?.add(field);
  }
  const uses = [...fields].map(([signal, set]) =>
    set === undefined || set.size === 0 ? { signal } : { signal, fields: [...set].sort() },
  );
  used.set(variant, uses);
  return uses;
}

/** The index of the first requested slot with this id (a request lists a handful). */
function firstIndexOf(slots: StrategyInput['slots'], id: string): number {
  for (let i = 0; i < slots.length; i++) if (slots[i]!.id === id) return i;
  return -1;
}

function reasonFor(variant: CatalogVariant, split: boolean): LocalizedText {
  if (variant.reason) return variant.reason;
  if (split && variant.namespaces.size === 0) return SPLIT_REASON;
  for (const n of ['data', 'segments', 'interests', 'context'] as const)
    if (variant.namespaces.has(n)) return REASONS[n];
  return REASONS.none;
}

/**
 * The dynamic-content strategy: fills slots from a content catalog. Per requested slot it picks one
 * variant deterministically (schedule, purpose, condition, priority, then a seeded weighted split on
 * a stable key), localizes it and renders its templates. The manifest is derived from the catalog:
 * it declares reading only the signals and data categories the catalog's variants use.
 *
 * @throws TactfulError `INVALID_OPTIONS` for bad options; catalog errors when given catalog JSON
 * @example
 * ```ts
 * const content = dynamicContent({ catalog: defineCatalog({ slots: [{ id: 'home.hero',
 *   default: { content: { title: 'New this week' } },
 *   variants: [{ id: 'kids', when: { 'interests.kids': { $gte: 0.5 } }, content: { title: 'For little explorers' } }] }] }) });
 * const orchestrator = createOrchestrator({ consent: [...], strategies: [anonymousSession(), content] });
 * ```
 */
export function dynamicContent(options: DynamicContentOptions): DynamicContentStrategy {
  const o = checkOrThrow(checkDynamicContentOptions, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: '@tactful/dynamic-content',
  });
  // Catalog JSON is parsed against the built-in taxonomy; for vendor categories or purposes, pass
  // `parseCatalog(json, { taxonomy })` instead.
  const catalog = isCatalog(o.catalog)
    ? o.catalog
    : parseCatalog(o.catalog, o.regex === undefined ? {} : { regex: o.regex });
  const purposes = o.purposes ?? [o.channel === 'email' ? 'marketing.email' : 'personalization.contextual'];
  for (const p of purposes) {
    if (!catalog.taxonomy.purposes.has(p)) {
      throw new TactfulError('INVALID_OPTIONS', `${o.name}: unknown purpose "${p}" in options.purposes`, {
        plugin: o.name,
        path: ['purposes'],
      });
    }
  }
  const mainPurpose = purposes[0]!;
  const slots = [...catalog.slots.values()];
  const splits = slots.some((s) => s.experiment !== undefined && s.variants.length > 1);
  const bySubject = slots.some((s) => s.experiment?.bucketBy === 'subject' && s.variants.length > 1);
  const reads: CategoryRead[] = [...catalog.reads];
  if (
    (catalog.localized || catalog.namespaces.has('locale')) &&
    !reads.some((r) => r.category === 'context.locale')
  ) {
    reads.push({
      category: 'context.locale',
      purpose: mainPurpose,
      why: { en: 'to show content in your language', vi: 'để hiển thị nội dung bằng ngôn ngữ của bạn' },
    });
  }
  if (splits) {
    reads.push({
      category: 'session.id',
      purpose: mainPurpose,
      why: {
        en: 'to keep showing you the same version during this visit',
        vi: 'để giữ nguyên phiên bản nội dung bạn thấy trong phiên truy cập này',
      },
    });
  }
  if (bySubject) {
    reads.push({
      category: 'subject.id',
      purpose: o.subjectKeyPurpose,
      why: {
        en: 'to keep showing you the same version across visits',
        vi: 'để giữ nguyên phiên bản nội dung bạn thấy giữa các lần truy cập',
      },
    });
  }
  const signalReads = (['segments', 'context', 'interests'] as const)
    .filter((n) => catalog.namespaces.has(n))
    .map((n) => FACT_SIGNALS[n]);
  const readsContext = signalReads.includes(FACT_SIGNALS.context);
  const needs: FactNeeds = { namespaces: catalog.namespaces, categories: catalog.categories };
  // Slots where a chosen variant may be about a topic, and so may carry fallbacks (P4): there
  // every variant is judged once for both the choice and the fallbacks.
  const topical = new Set(slots.filter((s) => s.variants.some((v) => v.topics.length > 0)).map((s) => s.id));

  const decide = (input: StrategyInput, ctx: PluginCallContext): StrategyOutput => {
    if (isCallAborted(ctx))
      throw new TactfulError('ABORTED', `${o.name}: the decision was aborted`, { plugin: o.name });
    const locale = decisionLocale(input, readsContext);
    const facts = buildFacts(input, needs, locale);
    const grantedList = input.granted;
    const granted = { has: (purpose: string) => grantedList.includes(purpose) };
    const sessionId = splits ? input.data['session.id'] : undefined;
    const subjectId = bySubject ? input.data['subject.id'] : undefined;
    const keys: SelectionContext['keys'] = {
      ...(typeof sessionId === 'string' && sessionId !== '' ? { session: sessionId } : {}),
      ...(typeof subjectId === 'string' && subjectId !== '' && granted.has(o.subjectKeyPurpose)
        ? { subject: subjectId }
        : {}),
    };
    // Schedules follow the request's simulated time when it gave one (a preview of a campaign);
    // nothing here is stored, so the server's clock is not needed.
    const context: SelectionContext = { facts, granted, now: input.contextNow ?? input.now, keys };
    const proposals: Proposal[] = [];
    const requestedSlots = input.slots;
    for (let r = 0; r < requestedSlots.length; r++) {
      const id = requestedSlots[r]!.id;
      const slot = catalog.slots.get(id);
      if (slot === undefined || firstIndexOf(requestedSlots, id) !== r) continue;
      let alternatives: CatalogVariant[] = [];
      let selection: ReturnType<typeof selectVariant>;
      if (topical.has(slot.id))
        ({ selection, alternatives } = selectWithAlternatives(slot, context, MAX_FALLBACKS));
      else selection = selectVariant(slot, context);
      if (selection === undefined) {
        if (o.fallback === 'default') {
          proposals.push({
            slot: slot.id,
            content: (pickLocale(slot.defaultLocales, locale) ?? slot.defaultContent).render(facts),
            variant: 'default',
            score: 0,
            reason: DEFAULT_REASON,
            signals: [],
            categories: [],
          });
        }
        continue;
      }
      const { variant } = selection;
      const localized = pickLocale(variant.locales, locale) ?? variant.content;
      const categories = [...variant.categories];
      if (selection.key === 'session') categories.push('session.id');
      if (selection.key === 'subject') categories.push('subject.id');
      // The next variants that apply, for when a declared "not interested" removes this one (P4):
      // only worth sending when this one is about a topic.
      const fallbacks =
        variant.topics.length === 0
          ? []
          : alternatives.map((v) => ({
              content: (pickLocale(v.locales, locale) ?? v.content).render(facts),
              variant: v.id,
              score: v.condition === undefined ? 0.5 : 1,
              ...(v.topics.length > 0 ? { topics: [...v.topics] } : {}),
              reason: reasonFor(v, false),
              signals: [...v.paths],
              categories: [...v.categories],
              signalsUsed: signalsUsedOf(v),
            }));
      proposals.push({
        slot: slot.id,
        content: localized.render(facts),
        variant: variant.id,
        score: selection.by === 'condition' ? 1 : 0.5,
        ...(variant.topics.length > 0 ? { topics: [...variant.topics] } : {}),
        reason: reasonFor(variant, selection.by === 'split'),
        signals: [
          ...variant.paths,
          ...(selection.by === 'split' ? [`split:${slot.experiment?.id}@v${slot.experiment?.version}`] : []),
        ],
        categories,
        signalsUsed: signalsUsedOf(variant),
        ...(fallbacks.length > 0 ? { fallbacks } : {}),
      });
    }
    return { proposals };
  };

  const strategy = defineStrategy({
    manifest: {
      name: o.name,
      version,
      core: '^0.1.0',
      description: {
        en: 'Chooses which version of a page or email block to show, from a content catalog.',
        vi: 'Chọn phiên bản nội dung (trang web hoặc email) phù hợp từ danh mục nội dung động.',
      },
      purposes,
      reads,
      signals: { publishes: [], reads: signalReads },
      priority: o.priority,
      ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
    },
    decide,
  });
  return Object.freeze({ ...strategy, catalog });
}
