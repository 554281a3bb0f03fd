import {
  type CategoryRead,
  type DataSource,
  type LocalizedText,
  type PluginCallContext,
  PluginNameSchema,
  type Proposal,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
  type Subject,
  TactfulError,
  type TaxonomyExtension,
  TaxonomyIdSchema,
  TopicLabelsSchema,
  type Veto,
  createTaxonomy,
  defineDataSource,
  defineStrategy,
  isCallAborted,
  isTactfulError,
  notInterestedSentence,
  assertSafeValue,
  parseOrThrow,
  RegexEngineSchema,
} from '@tactful/core';
import * as z from 'zod/mini';
import { type CompiledSegment, type CompiledSegments, compileSegments } from './compile.js';
import { SegmentDefinitionSchema } from './definition.js';
import { DEFAULT_K, type PopulationCounter, cachedPopulation } from './population.js';
import type { MembershipStore, StoredMemberships } from './store.js';
import { VERSION } from './version.js';

/** The signal this strategy publishes: the names of the segments the person is in. */
export const MEMBERSHIPS_SIGNAL = 'segments.memberships';

const hasFunctions =
  (...names: string[]) =>
  (v: unknown) =>
    v !== null &&
    typeof v === 'object' &&
    names.every((n) => typeof (v as Record<string, unknown>)[n] === 'function');

/** Options of {@link segments}. */
export const SegmentsOptionsSchema = z.object({
  /** The plugin name (change it to register two segment strategies). */
  name: z._default(PluginNameSchema, '@tactful/segments'),
  /** The engine of `$regex` patterns, needed when a rule has one: `plainRegex` from `@tactful/core` (plain texts, anchored bounded patterns) or `re2Regex` from `@tactful/core/regex` (any RE2 pattern). */
  regex: z.optional(RegexEngineSchema),
  /** The segment definitions (JSON, or from {@link builtins}). */
  segments: z
    .array(SegmentDefinitionSchema)
    .check(z.minLength(1, 'define at least one segment'), z.maxLength(10_000)),
  /**
   * What people call the topics segments are about (`{ "rain": { "en": "rain gear", "vi": "đồ đi mưa" } }`):
   * explanations of a declared "not interested" use these words instead of the topic key.
   */
  topics: z.optional(TopicLabelsSchema),
  /** The purpose segments serve unless they name their own. */
  purpose: z._default(TaxonomyIdSchema, 'personalization.profile'),
  /** Vendor purposes and categories segments may use (e.g. a purpose with explicit consent for "health"). */
  taxonomy: z.optional(
    z.object({ purposes: z.optional(z.array(z.unknown())), categories: z.optional(z.array(z.unknown())) }),
  ),
  /** Counts a segment's members; with it, segments below `k` members never activate. */
  population: z.optional(
    z.custom<PopulationCounter>(hasFunctions('count'), 'give an object with a count(segment) function'),
  ),
  /** The k-anonymity floor (default 50): fewer members than this and a segment does not activate. */
  k: z._default(z.number().check(z.int(), z.gte(2), z.lte(1_000_000)), DEFAULT_K),
  /** How long a population count is reused, in milliseconds. */
  populationCacheMs: z._default(z.number().check(z.int(), z.nonnegative(), z.lte(86_400_000)), 60_000),
  /** Keep memberships (they are not kept without one); they then join the person's export and erasure. */
  store: z.optional(
    z.custom<MembershipStore>(
      hasFunctions('save', 'load', 'erase'),
      'give a store with save, load and erase',
    ),
  ),
  /** How long stored memberships are kept, in days (stated in the notice). */
  retentionDays: z.optional(z.number().check(z.int(), z.positive(), z.lte(36_500))),
  /** Merge priority of this strategy under the priority merge policy. */
  priority: z._default(z.number().check(z.int(), z.gte(-1000), z.lte(1000)), 0),
  /** Deadline of one decision call, in milliseconds. */
  timeoutMs: z.optional(z.number().check(z.int(), z.positive(), z.lte(60_000))),
});
/** Options of {@link segments}, as written. */
export type SegmentsOptions = z.input<typeof SegmentsOptionsSchema>;

/** The segments strategy, with its compiled segments and, when a store is configured, its data source. */
export interface SegmentsStrategy extends Strategy {
  /** The compiled segments, in evaluation order. */
  readonly compiled: CompiledSegments;
  /**
   * With a `store`: the data source that provides `derived.segments` and serves export and
   * erasure. Register it with the orchestrator next to the strategy.
   */
  readonly source: DataSource | undefined;
  /** Everything stored about the person (with a store), else an empty object. */
  export(subject: Subject): Promise<Record<string, unknown>>;
  /** Erases the person's stored memberships; returns how many went. */
  erase(subject: Subject): Promise<{ erased: number }>;
}

const aborted = (plugin: string) =>
  new TactfulError('ABORTED', `${plugin}: the decision was aborted`, { plugin });

function untilAbort<T>(promise: Promise<T>, signal: AbortSignal, plugin: string): Promise<T> {
  if (signal.aborted) return Promise.reject(aborted(plugin));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(aborted(plugin));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function defaultReason(segment: CompiledSegment): LocalizedText {
  const d = segment.definition.description;
  return {
    en: `Chosen for a customer group you are in: ${d.en}.`,
    vi: `Được chọn cho phân khúc khách hàng bạn thuộc về: ${d.vi ?? d.en}.`,
  };
}

function declaredNotInterested(data: Readonly<Record<string, unknown>>): string[] {
  const prefs = data['profile.preferences'];
  if (prefs === null || typeof prefs !== 'object') return [];
  const list = (prefs as { notInterested?: unknown }).notInterested;
  const out: string[] = [];
  if (!Array.isArray(list) || list.length === 0) return out;
  // An index loop (the list is frozen); each topic once, in order.
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const t: unknown = list[i];
    if (typeof t !== 'string' || t.length > 64 || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}

/**
 * The segments strategy: groups, not individuals. Evaluates JSON segment definitions per request
 * and publishes the memberships as `segments.memberships`; proposes the segments' content per
 * slot. Enforced at load: conditions compile, categories are known, no cycles, and the creepy line
 * (a sensitive category only under a purpose with explicit consent for it). At decision time: only
 * segments whose purpose is granted are evaluated, a declared "not interested" beats every
 * observed signal, and with a population counter a segment smaller than `k` never activates.
 *
 * @example
 * ```ts
 * const strategy = segments({
 *   segments: [
 *     builtins.loyalCustomer({ purchases: 3, withinDays: 365 }, { proposals: [{ slot: 'home.hero', content: { banner: 'thank-you' } }] }),
 *     builtins.interestedIn('kids', { observedViews: 3 }),
 *   ],
 *   population: { count: (segment) => analytics.countMembers(segment) },
 * });
 * ```
 */
export function segments(options: SegmentsOptions): SegmentsStrategy {
  const plugin = typeof options?.name === 'string' ? options.name : '@tactful/segments';
  // Before zod, which would turn a "__proto__" key into a prototype and drop it (a rule `{}`
  // matches everyone).
  if (options !== null && typeof options === 'object')
    assertSafeValue(options.segments, {
      code: 'INVALID_OPTIONS',
      what: 'options',
      plugin,
      path: ['segments'],
    });
  const opts = parseOrThrow(SegmentsOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin,
  });
  let taxonomy: ReturnType<typeof createTaxonomy>;
  try {
    taxonomy = createTaxonomy(opts.taxonomy ? [opts.taxonomy as TaxonomyExtension] : []);
  } catch (error) {
    if (isTactfulError(error)) throw error;
    throw new TactfulError('INVALID_OPTIONS', `${opts.name}: invalid taxonomy: ${(error as Error).message}`, {
      plugin: opts.name,
      path: ['taxonomy'],
      cause: error,
    });
  }
  const compiled = compileSegments(opts.segments, {
    taxonomy,
    purpose: opts.purpose,
    plugin: opts.name,
    ...(opts.regex === undefined ? {} : { regex: opts.regex }),
  });
  const count = opts.population ? cachedPopulation(opts.population, opts.populationCacheMs) : undefined;
  const store = opts.store;

  const reads: CategoryRead[] = [];
  const seen = new Set<string>();
  const addRead = (category: string, purpose: string) => {
    const key = `${category}|${purpose}`;
    if (seen.has(key)) return;
    seen.add(key);
    reads.push({
      category,
      purpose,
      why: {
        en: 'To find which customer groups you belong to, and choose content for the group.',
        vi: 'Để xác định bạn thuộc phân khúc khách hàng nào và chọn nội dung cho cả nhóm.',
      },
    });
  };
  for (const s of compiled.segments) for (const c of s.categories) addRead(c, s.purpose);
  if (store) addRead('derived.segments', opts.purpose);

  // Subjects seen by the store source, by trace id, so the strategy can save what it computed.
  // With them, what the store held: unchanged memberships are not written again.
  const subjects = new Map<string, { id: string; expires: number; stored: ReadonlyArray<string> }>();
  const rememberSubject = (traceId: string, id: string, stored: ReadonlyArray<string>) => {
    const now = Date.now();
    if (subjects.size > 10_000) for (const [k, v] of subjects) if (v.expires <= now) subjects.delete(k);
    subjects.set(traceId, { id, expires: now + 60_000, stored });
  };
  /** True when `memberships` holds exactly the names of `stored` (order aside). */
  const sameMemberships = (stored: ReadonlyArray<string>, memberships: ReadonlyArray<string>) => {
    const held = new Set(stored);
    const now = new Set(memberships);
    if (held.size !== now.size) return false;
    for (const name of now) if (!held.has(name)) return false;
    return true;
  };

  const bySlot = new Map<
    string,
    Array<{
      segment: CompiledSegment;
      proposal: NonNullable<CompiledSegment['definition']['proposals']>[number];
    }>
  >();
  for (const s of compiled.segments) {
    for (const p of s.definition.proposals ?? []) {
      const list = bySlot.get(p.slot) ?? [];
      list.push({ segment: s, proposal: p });
      bySlot.set(p.slot, list);
    }
  }
  for (const list of bySlot.values()) {
    list.sort(
      (a, b) =>
        b.segment.definition.priority - a.segment.definition.priority || a.segment.index - b.segment.index,
    );
  }

  // The distinct purposes of the segments (usually one), and each segment's: a decision then asks
  // its granted list once per purpose, not once per segment.
  const purposes: string[] = [];
  const purposeAt = Int32Array.from(compiled.segments, (s) => {
    const i = purposes.indexOf(s.purpose);
    return i >= 0 ? i : purposes.push(s.purpose) - 1;
  });

  /** Segments that may activate: purpose granted, no declared "not interested" in their topics, condition met. */
  function candidates(input: StrategyInput, notInterested: ReadonlyArray<string>) {
    const granted: boolean[] = [];
    for (let p = 0; p < purposes.length; p++) granted.push(input.granted.includes(purposes[p]!));
    const vetoed = notInterested.length > 0 ? new Set(notInterested) : undefined;
    const { facts, memberships } = compiled.facts(input.data, input.now);
    const matcher = compiled.matcher(facts);
    const eligible = (i: number): boolean => {
      if (!granted[purposeAt[i]!]) return false;
      if (vetoed !== undefined) {
        const topics = compiled.segments[i]!.topics;
        for (let t = 0; t < topics.length; t++) if (vetoed.has(topics[t]!)) return false;
      }
      return matcher.matchesAt(i);
    };
    return { memberships, eligible };
  }

  function finish(
    input: StrategyInput,
    ctx: PluginCallContext,
    memberships: string[],
    notInterested: ReadonlyArray<string>,
  ): StrategyOutput | Promise<StrategyOutput> {
    // Made when a slot first has segment content: most decisions ask few slots of this strategy.
    let active: Set<string> | undefined;
    const proposals: Proposal[] = [];
    // Index loops throughout: the slots and each segment's lists are frozen arrays.
    for (let i = 0; i < input.slots.length; i++) {
      const slot = input.slots[i]!.id;
      const list = bySlot.get(slot);
      if (list === undefined) continue;
      active ??= new Set(memberships);
      let c = 0;
      while (c < list.length && !active.has(list[c]!.segment.name)) c++;
      if (c === list.length) continue;
      const { segment, proposal } = list[c]!;
      const categories: string[] = [];
      for (let k = 0; k < segment.categories.length; k++)
        if (segment.categories[k]! in input.data) categories.push(segment.categories[k]!);
      const out: Proposal = {
        slot,
        content: proposal.content,
        variant: proposal.variant ?? segment.name,
        origin: segment.origin,
        reason: proposal.reason ?? defaultReason(segment),
        signals: [`segment:${segment.name}`],
        categories,
      };
      if (proposal.score !== undefined) out.score = proposal.score;
      if (segment.topics.length > 0) out.topics = [...segment.topics];
      proposals.push(out);
    }
    const output: StrategyOutput = { proposals, signals: { [MEMBERSHIPS_SIGNAL]: [...memberships] } };
    if (notInterested.length > 0) {
      const vetoes: Veto[] = [];
      for (let i = 0; i < notInterested.length; i++)
        vetoes.push({
          topic: notInterested[i]!,
          reason: notInterestedSentence(notInterested[i]!, opts.topics),
        });
      output.vetoes = vetoes;
    }
    const link = store === undefined ? undefined : subjects.get(ctx.traceId);
    if (store === undefined || link === undefined) return output;
    subjects.delete(ctx.traceId);
    // Nothing changed since the store was read: no write (a durable write per page view would
    // cost a disk flush each). The kept memberships then age from when they were last computed.
    if (sameMemberships(link.stored, memberships)) return output;
    return (async () => {
      try {
        await untilAbort(Promise.resolve(store.save(link.id, memberships, input.now)), ctx.signal, opts.name);
      } catch (error) {
        if (isTactfulError(error) && error.code === 'ABORTED') throw error;
        // Keeping memberships is best effort: the decision stands without it.
      }
      return output;
    })();
  }

  /** Synchronous unless a population counter or a store needs waiting for. */
  function decide(input: StrategyInput, ctx: PluginCallContext): StrategyOutput | Promise<StrategyOutput> {
    if (isCallAborted(ctx)) throw aborted(opts.name);
    const notInterested = declaredNotInterested(input.data);
    const { memberships, eligible } = candidates(input, notInterested);
    const n = compiled.segments.length;
    if (count === undefined) {
      for (let i = 0; i < n; i++) if (eligible(i)) memberships.push(compiled.segments[i]!.name);
      return finish(input, ctx, memberships, notInterested);
    }
    const counter = count;
    // Count every eligible segment that reads no membership at once: the floor then costs the
    // slowest count, not the sum of them. The others are counted in order, as they qualify.
    const counts = new Map<number, Promise<number>>();
    for (let i = 0; i < n; i++) {
      const s = compiled.segments[i]!;
      if (!s.readsMemberships && eligible(i)) counts.set(i, counter(s.name, input.now));
    }
    return (async () => {
      for (let i = 0; i < n; i++) {
        const s = compiled.segments[i]!;
        const pending = s.readsMemberships
          ? eligible(i)
            ? counter(s.name, input.now)
            : undefined
          : counts.get(i);
        if (pending === undefined) continue;
        const members = await untilAbort(pending, ctx.signal, opts.name);
        if (members >= opts.k) memberships.push(s.name);
      }
      return finish(input, ctx, memberships, notInterested);
    })();
  }

  const source =
    store === undefined
      ? undefined
      : defineDataSource({
          manifest: {
            name: `${opts.name}-store`,
            version: VERSION,
            core: '^0.1.0',
            description: {
              en: 'Customer segments you were found to be in.',
              vi: 'Các phân khúc khách hàng bạn thuộc về.',
            },
            provides: [
              {
                category: 'derived.segments',
                ...(opts.retentionDays === undefined ? {} : { retentionDays: opts.retentionDays }),
              },
            ],
            requiresSubject: true,
            rights: { export: true, erase: true, rectify: false },
          },
          async load(query, ctx) {
            if (isCallAborted(ctx)) throw aborted(`${opts.name}-store`);
            if (query.subject === undefined || !query.categories.includes('derived.segments')) return {};
            const stored = await store.load(query.subject.id);
            rememberSubject(ctx.traceId, query.subject.id, stored?.memberships ?? []);
            return stored === undefined ? {} : { 'derived.segments': [...stored.memberships] };
          },
          async export(subject) {
            const stored: StoredMemberships | undefined = await store.load(subject.id);
            return stored === undefined ? {} : { 'derived.segments': stored };
          },
          async erase(subject) {
            return { erased: await store.erase(subject.id) };
          },
        });

  const strategy = defineStrategy({
    manifest: {
      name: opts.name,
      version: VERSION,
      core: '^0.1.0',
      description: {
        en: 'Puts you in customer groups (such as new or loyal customers) to choose content for the group, never for you alone.',
        vi: 'Xếp bạn vào các phân khúc khách hàng (như khách hàng mới hay trung thành) để chọn nội dung cho cả nhóm, không nhắm riêng bạn.',
      },
      purposes: [opts.purpose],
      reads,
      signals: {
        publishes: [
          {
            name: MEMBERSHIPS_SIGNAL,
            description: {
              en: 'The customer segments you are in.',
              vi: 'Các phân khúc khách hàng bạn thuộc về.',
            },
          },
        ],
        reads: [],
      },
      priority: opts.priority,
      ...(opts.taxonomy ? { taxonomy: opts.taxonomy as never } : {}),
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    },
    decide,
  });
  const noCtx = { signal: new AbortController().signal, traceId: 'rights-request' };
  return Object.assign(strategy, {
    compiled,
    source,
    export: async (subject: Subject) => (source?.export ? source.export(subject, noCtx) : {}),
    erase: async (subject: Subject) => (source?.erase ? source.erase(subject, noCtx) : { erased: 0 }),
  });
}
