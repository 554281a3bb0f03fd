import {
  type CategoryRead,
  type LocalizedText,
  type PluginCallContext,
  type Proposal,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
  TactfulError,
  defineStrategy,
  isCallAborted,
  checkOrThrow,
} from '@tactful/core';
import { version } from '../package.json';
import { applyNoise } from './noise.js';
import { checkAnonymousSessionOptions } from './options-check.js';
import type { AnonymousSessionOptions, ResolvedAnonymousSessionOptions } from './options.js';
import { timedEvents } from './instant.js';
import { type ContinueContent, continueFromTimed, reorderCategories } from './proposals.js';
import { fnv1a, type RandomSource, seededRandom } from './random.js';
import { type Interest, scoreInterests, scoreTimedEvents } from './scoring.js';

/** The signal this strategy publishes: topic → score in [0, 1]. */
export const SESSION_INTERESTS_SIGNAL = 'session.interests';

const REASON: LocalizedText = {
  en: 'Based on what you looked at during this visit only; forgotten when the visit ends.',
  vi: 'Dựa trên hành vi trong phiên truy cập hiện tại; sẽ bị xóa khi phiên kết thúc.',
};

/** The topics of the items, each once, in order of first appearance. */
function topicsOf(items: ContinueContent['items']): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const topics = items[i]!.topics;
    for (let t = 0; t < topics.length; t++) {
      if (seen.has(topics[t]!)) continue;
      seen.add(topics[t]!);
      out.push(topics[t]!);
    }
  }
  return out;
}

/** The anonymous-session strategy: a Tactful strategy plus its scoring, for reuse and tests. */
export type AnonymousSessionStrategy = Strategy & {
  /** The options with defaults applied. */
  readonly options: ResolvedAnonymousSessionOptions;
  /** The interests the strategy would reveal for these events (noise included when configured). */
  interests(events: readonly unknown[], now: number, sessionId?: string): Interest[];
};

/**
 * The anonymous-session strategy (P7): turns the current session's events into interest scores
 * (strength per event type, caps, half-life decay), publishes them as `session.interests` for other
 * strategies, and fills its own slots: categories reordered by interest and "continue where you
 * left off". It reads only `session.events` under `personalization.session` (plus the session id,
 * only to keep optional noise stable within the session); it knows no person and keeps nothing.
 *
 * @throws TactfulError `INVALID_OPTIONS` naming the field
 * @example
 * ```ts
 * const session = anonymousSession({
 *   halfLifeMs: 10 * 60_000,
 *   slots: { categories: 'home.categories', continue: 'home.continue' },
 *   categories: ['women', 'men', 'kids', 'home', 'sale'],
 * });
 * const orchestrator = createOrchestrator({ consent: [optIn], strategies: [session, content] });
 * ```
 */
export function anonymousSession(options: AnonymousSessionOptions = {}): AnonymousSessionStrategy {
  const o = checkOrThrow(checkAnonymousSessionOptions, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: '@tactful/anonymous-session',
  });
  const salt = new Uint32Array(2);
  globalThis.crypto.getRandomValues(salt);
  const secret = `${salt[0]}:${salt[1]}`;

  // Noise is seeded from a per-instance secret and the session id (or, without one, the interests
  // themselves): stable for the same input, so repeating a request can't average it out, and
  // unpredictable to anyone who doesn't know the secret.
  const randomFor = (sessionId: string | undefined, scored: readonly Interest[]): RandomSource => {
    if (o.noise?.random) return o.noise.random;
    const key = sessionId ?? scored.map((i) => i.topic).join(',');
    return seededRandom(fnv1a(`${secret}:${key}`));
  };
  const interests = (events: readonly unknown[], now: number, sessionId?: string): Interest[] => {
    const scored = scoreInterests(events, o, now);
    return o.noise ? applyNoise(scored, o.noise, randomFor(sessionId, scored)) : scored;
  };

  const reads: CategoryRead[] = [
    {
      category: 'session.events',
      purpose: 'personalization.session',
      why: {
        en: 'to adapt this visit to what you look at',
        vi: 'để điều chỉnh nội dung theo những gì bạn xem trong phiên này',
      },
    },
  ];
  if (o.noise !== undefined && o.noise.random === undefined) {
    reads.push({
      category: 'session.id',
      purpose: 'personalization.session',
      why: {
        en: 'to keep the privacy noise stable during this visit',
        vi: 'để giữ nhiễu bảo vệ quyền riêng tư ổn định trong phiên này',
      },
    });
  }

  const decide = (input: StrategyInput, ctx: PluginCallContext): StrategyOutput => {
    if (isCallAborted(ctx))
      throw new TactfulError('ABORTED', `${o.name}: the decision was aborted`, { plugin: o.name });
    const raw = input.data['session.events'];
    const events = Array.isArray(raw) ? raw : [];
    const keyed = o.noise !== undefined && o.noise.random === undefined;
    const rawId = keyed ? input.data['session.id'] : undefined;
    const sessionId = typeof rawId === 'string' ? rawId : undefined;
    // Interest decay is about what is shown now: under a simulated moment (whose events were
    // stamped at that moment), it follows that moment. Session expiry stays the store's clock.
    const at = input.contextNow ?? input.now;
    // Every event's time is read once, for the scores and the recently viewed alike.
    const timed = timedEvents(events, at);
    const scored = scoreTimedEvents(timed, o, at);
    const revealed = o.noise ? applyNoise(scored, o.noise, randomFor(sessionId, scored)) : scored;
    const proposals: Proposal[] = [];
    // Which of this strategy's slots the request wants (an index loop: the slots are frozen).
    let categoriesWanted = false;
    let continueWanted = false;
    for (let i = 0; i < input.slots.length; i++) {
      const id = input.slots[i]!.id;
      if (id === o.slots.categories) categoriesWanted = true;
      if (id === o.slots.continue) continueWanted = true;
    }
    if (categoriesWanted && revealed.length > 0) {
      const content = reorderCategories(o.categories, revealed);
      const top = content.top;
      if (top.length > 0) {
        proposals.push({
          slot: o.slots.categories!,
          content,
          variant: 'by-interest',
          score: revealed[0]!.score,
          origin: 'observed',
          topics: [...top],
          reason: REASON,
          // `top` is this call's own array (not frozen): map is as fast as a loop on it.
          signals: top.map((t) => `interest:${t}`),
          categories: ['session.events'],
        });
      }
    }
    if (continueWanted) {
      const content = continueFromTimed(timed, o.continueLimit);
      if (content.items.length > 0) {
        proposals.push({
          slot: o.slots.continue!,
          content,
          variant: 'continue',
          score: 0.6,
          origin: 'observed',
          topics: topicsOf(content.items),
          reason: REASON,
          signals: ['recently-viewed'],
          categories: ['session.events'],
        });
      }
    }
    const signal: Record<string, number> = {};
    for (let i = 0; i < revealed.length; i++) signal[revealed[i]!.topic] = revealed[i]!.score;
    return { proposals, signals: { [SESSION_INTERESTS_SIGNAL]: signal } };
  };

  const strategy = defineStrategy({
    manifest: {
      name: o.name,
      version,
      core: '^0.1.0',
      description: {
        en: 'Adapts content to what a visitor looks at during the current visit, without knowing who they are.',
        vi: 'Điều chỉnh nội dung theo hành vi trong phiên truy cập hiện tại mà không cần biết khách truy cập là ai.',
      },
      purposes: ['personalization.session'],
      reads,
      signals: {
        publishes: [
          {
            name: SESSION_INTERESTS_SIGNAL,
            description: {
              en: 'Interest scores of this visit, topic → score in [0, 1]',
              vi: 'Mức độ quan tâm trong phiên truy cập này, theo chủ đề (0 đến 1)',
            },
          },
        ],
        reads: [],
      },
      priority: o.priority,
      ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
    },
    decide,
  });
  return Object.freeze({ ...strategy, options: o, interests });
}
