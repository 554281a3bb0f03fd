import {
  type CategoryRead,
  type LocalizedText,
  type PluginCallContext,
  type Proposal,
  type ProposalFallback,
  type SignalUse,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
  TactfulError,
  defineStrategy,
  isCallAborted,
} from '@tactful/core';
import { version } from '../package.json';
import type {
  CatalogSlot as AnySlot,
  CatalogVariant as AnyVariant,
  CatalogView,
  RenderableContent,
} from './catalog.js';
import { buildFacts, decisionLocale, FACT_SIGNALS, type FactNeeds } from './facts.js';
import type { checkDynamicContentOptions } from './options-check.js';
import { type SelectionContext, selectInOrder, selectionOrder } from './select.js';

type CatalogSlot = AnySlot<RenderableContent>;
type CatalogVariant = AnyVariant<RenderableContent>;
type CompiledContent = RenderableContent;

/** Options after their check. */
export type CheckedOptions = ReturnType<typeof checkDynamicContentOptions>;

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

/**
 * The signals a variant rests on, with the top-level fields it read (`context.daypart` →
 * `contextual.context` field `daypart`), so its explanation names only the data behind those.
 */
function signalsUsedOf(variant: CatalogVariant): readonly SignalUse[] {
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
  const uses: SignalUse[] = [];
  for (const [signal, set] of fields)
    uses.push(
      Object.freeze(
        set === undefined || set.size === 0 ? { signal } : { signal, fields: Object.freeze([...set].sort()) },
      ) as SignalUse,
    );
  return Object.freeze(uses);
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
 * What a variant's proposals hold besides their content, built once with the strategy: every
 * decision hands out these same frozen lists (the orchestrator copies what it keeps).
 */
interface VariantParts {
  /** Its topics, when it has some. */
  readonly topics: string[] | undefined;
  readonly reason: LocalizedText;
  readonly signals: string[];
  readonly categories: string[];
  readonly signalsUsed: SignalUse[];
  /** Its score as a fallback: 1 for a condition that held, 0.5 for a variant for everyone. */
  readonly score: number;
}

/** A slot's variants in selection order, each with its parts. */
interface SlotPlan {
  readonly slot: CatalogSlot;
  readonly order: readonly CatalogVariant[];
  readonly parts: ReadonlyMap<CatalogVariant, VariantParts>;
  /** Fallbacks to look for: MAX_FALLBACKS when some variant is about a topic (P4), else 0. */
  readonly fallbacks: number;
}

const NO_VARIANTS: CatalogVariant[] = [];

function planSlot(slot: CatalogSlot): SlotPlan {
  const parts = new Map<CatalogVariant, VariantParts>();
  let topical = false;
  for (let i = 0; i < slot.variants.length; i++) {
    const v = slot.variants[i]!;
    if (v.topics.length > 0) topical = true;
    // The catalog's lists are frozen already.
    parts.set(v, {
      topics: v.topics.length > 0 ? (v.topics as string[]) : undefined,
      reason: reasonFor(v, false),
      signals: v.paths as string[],
      categories: v.categories as string[],
      signalsUsed: signalsUsedOf(v) as SignalUse[],
      score: v.condition === undefined ? 0.5 : 1,
    });
  }
  return { slot, order: selectionOrder(slot), parts, fallbacks: topical ? MAX_FALLBACKS : 0 };
}

/** A proposal's body from a variant's parts (its topics only when it has some). */
function bodyOf(v: CatalogVariant, p: VariantParts, content: unknown, score: number): ProposalFallback {
  const body: ProposalFallback = {
    content,
    variant: v.id,
    score,
    reason: p.reason,
    signals: p.signals,
    categories: p.categories,
    signalsUsed: p.signalsUsed,
  };
  if (p.topics !== undefined) body.topics = p.topics;
  return body;
}

/** A variant's content for the decision's locale (`tag` lower-cased, `language` its language), rendered. */
function contentOf(
  locales: ReadonlyMap<string, CompiledContent>,
  fallback: CompiledContent,
  tag: string | undefined,
  language: string | undefined,
  facts: Record<string, unknown>,
): unknown {
  let content: CompiledContent | undefined;
  if (tag !== undefined && locales.size > 0) {
    content = locales.get(tag);
    if (content === undefined && language !== tag) content = locales.get(language!);
  }
  return (content ?? fallback).render(facts);
}

/**
 * The strategy on a checked catalog (compiled, or loaded from a prebuilt one): `knownPurpose` says
 * whether a purpose of `options.purposes` is in the catalog's taxonomy.
 */
export function contentStrategy<C extends CatalogView>(
  o: CheckedOptions,
  catalog: C,
  knownPurpose: (purpose: string) => boolean,
): Strategy & { readonly catalog: C } {
  const purposes = o.purposes ?? [o.channel === 'email' ? 'marketing.email' : 'personalization.contextual'];
  for (const p of purposes) {
    if (!knownPurpose(p)) {
      throw new TactfulError('INVALID_OPTIONS', `${o.name}: unknown purpose "${p}" in options.purposes`, {
        plugin: o.name,
        path: ['purposes'],
      });
    }
  }
  const mainPurpose = purposes[0]!;
  const plans = new Map<string, SlotPlan>();
  let splits = false;
  let bySubject = false;
  for (const slot of catalog.slots.values()) {
    plans.set(slot.id, planSlot(slot));
    if (slot.experiment !== undefined && slot.variants.length > 1) {
      splits = true;
      if (slot.experiment.bucketBy === 'subject') bySubject = true;
    }
  }
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
  const decide = (input: StrategyInput, ctx: PluginCallContext): StrategyOutput => {
    if (isCallAborted(ctx))
      throw new TactfulError('ABORTED', `${o.name}: the decision was aborted`, { plugin: o.name });
    const locale = decisionLocale(input, readsContext);
    const facts = buildFacts(input, needs, locale);
    // pickLocale's lookups, with the tag lower-cased once per decision.
    const tag = locale?.toLowerCase();
    const dash = tag === undefined ? -1 : tag.indexOf('-');
    const language = dash === -1 ? tag : tag!.slice(0, dash);
    const grantedList = input.granted;
    const granted = { has: (purpose: string) => grantedList.includes(purpose) };
    const keys: { session?: string; subject?: string } = {};
    if (splits) {
      const sessionId = input.data['session.id'];
      if (typeof sessionId === 'string' && sessionId !== '') keys.session = sessionId;
    }
    if (bySubject) {
      const subjectId = input.data['subject.id'];
      if (typeof subjectId === 'string' && subjectId !== '' && granted.has(o.subjectKeyPurpose))
        keys.subject = subjectId;
    }
    // Schedules follow the request's simulated time when it gave one (a preview of a campaign);
    // nothing here is stored, so the server's clock is not needed.
    const context: SelectionContext = { facts, granted, now: input.contextNow ?? input.now, keys };
    const proposals: Proposal[] = [];
    const requestedSlots = input.slots;
    for (let r = 0; r < requestedSlots.length; r++) {
      const id = requestedSlots[r]!.id;
      const plan = plans.get(id);
      if (plan === undefined || firstIndexOf(requestedSlots, id) !== r) continue;
      const slot = plan.slot;
      // A slot with no topic looks for no fallbacks, so the shared empty list stays empty.
      const alternatives: CatalogVariant[] = plan.fallbacks > 0 ? [] : NO_VARIANTS;
      const selection = selectInOrder(slot, plan.order, context, plan.fallbacks, alternatives);
      if (selection === undefined) {
        if (o.fallback === 'default') {
          proposals.push({
            slot: id,
            content: contentOf(slot.defaultLocales, slot.defaultContent, tag, language, facts),
            variant: 'default',
            score: 0,
            reason: DEFAULT_REASON,
            signals: [],
            categories: [],
          });
        }
        continue;
      }
      const { variant, by, key } = selection;
      const parts = plan.parts.get(variant)!;
      const proposal = bodyOf(
        variant,
        parts,
        contentOf(variant.locales, variant.content, tag, language, facts),
        by === 'condition' ? 1 : 0.5,
      ) as Proposal;
      proposal.slot = id;
      if (by === 'split') {
        // Rare (a split slot, keyed): its own lists, built here.
        proposal.reason = reasonFor(variant, true);
        proposal.signals = [...parts.signals, `split:${slot.experiment?.id}@v${slot.experiment?.version}`];
      }
      if (key !== undefined) proposal.categories = [...parts.categories, `${key}.id`];
      // The next variants that apply, for when a declared "not interested" removes this one (P4):
      // only worth sending when this one is about a topic.
      if (parts.topics !== undefined && alternatives.length > 0) {
        const fallbacks: ProposalFallback[] = new Array(alternatives.length);
        for (let a = 0; a < alternatives.length; a++) {
          const v = alternatives[a]!;
          const p = plan.parts.get(v)!;
          fallbacks[a] = bodyOf(v, p, contentOf(v.locales, v.content, tag, language, facts), p.score);
        }
        proposal.fallbacks = fallbacks;
      }
      proposals.push(proposal);
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
