import { TactfulError } from '@tactful/core';
import {
  type ReactNode,
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';
import { isPermitted, requestKey } from './gate.js';
import { type DecisionStore, createDecisionStore } from './store.js';
import type {
  ConsentSnapshot,
  Decider,
  Explanation,
  InitialDecision,
  PageRequest,
  SlotState,
} from './types.js';

interface TactfulContextValue {
  readonly store: DecisionStore;
  readonly key: string;
  readonly consent: ConsentSnapshot | undefined;
  readonly refresh: () => void;
}

const TactfulContext = createContext<TactfulContextValue | null>(null);

/** Props of {@link TactfulProvider}. */
export interface TactfulProviderProps {
  /** Makes the decisions: the in-page engine, or a client of the decision server. */
  decider: Decider;
  /**
   * What the person has consented to now. Change it when they grant or withdraw: the very next
   * render shows no content decided under the previous consent, and a new decision is asked for.
   * Omitted: nothing personalized is shown.
   */
  consent?: ConsentSnapshot;
  /** The page's request without slots: subject, context, session. */
  request?: PageRequest;
  /** A decision made before rendering (`decideForPage` on the server), shown on the first render. */
  initial?: InitialDecision;
  children?: ReactNode;
}

/**
 * Gives the components below it decisions for the slots they render, batched into one request per
 * change. Decisions are kept per consent snapshot and request: a change of either discards them at
 * once (the very next render shows defaults) and asks again.
 *
 * @example
 * ```tsx
 * <TactfulProvider decider={engine} consent={{ granted }} request={{ context: { locale: 'vi-VN' } }}>
 *   <Slot id="home.hero" default={{ title: 'Welcome' }}>{(hero) => <h1>{hero.title}</h1>}</Slot>
 *   <WhyAmISeeingThis slot="home.hero" locale="vi" />
 * </TactfulProvider>
 * ```
 */
export function TactfulProvider({ decider, consent, request, initial, children }: TactfulProviderProps) {
  const [store] = useState(() => createDecisionStore(initial));
  const key = requestKey(consent, request);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the request is compared by its canonical key
  useEffect(() => {
    store.update(key, request ?? {}, decider);
  }, [store, key, decider]);
  const value = useMemo<TactfulContextValue>(
    () => ({ store, key, consent, refresh: () => store.refresh() }),
    [store, key, consent],
  );
  return <TactfulContext.Provider value={value}>{children}</TactfulContext.Provider>;
}

function useTactfulContext(what: string): TactfulContextValue {
  const context = useContext(TactfulContext);
  if (context === null) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${what}: no <TactfulProvider> above this component; wrap the page (or the part that personalizes) in one`,
    );
  }
  return context;
}

/** Asks for a new decision of every slot on the page (after session events were recorded, say). */
export function useTactfulRefresh(): () => void {
  return useTactfulContext('useTactfulRefresh').refresh;
}

function slotState<T>(
  context: TactfulContextValue,
  slot: string,
  defaultContent: T,
  version: number,
): SlotState<T> {
  void version;
  const entry = context.store.read(context.key, slot);
  const base = {
    content: defaultContent,
    isDefault: true,
    variant: undefined,
    strategy: 'default',
    withheld: false,
    error: undefined,
  };
  if (entry === undefined) {
    return {
      ...base,
      status: 'loading',
      loading: true,
      degraded: false,
      explanation: undefined,
      traceId: undefined,
    };
  }
  if (entry.kind === 'failed') {
    return {
      ...base,
      status: 'degraded',
      loading: false,
      degraded: true,
      explanation: DEFAULT_CONTENT_EXPLANATION,
      error: entry.error,
      traceId: undefined,
    };
  }
  const { slot: decided, decision } = entry;
  // A plugin failed, or the server could not read consent (its `degraded` answer): P8.
  const failed: unknown[] = Array.isArray(decision.dropped)
    ? decision.dropped.filter((d) => d?.outcome === 'failed')
    : [];
  const serverDegraded = (decision as { degraded?: unknown }).degraded;
  if (serverDegraded !== undefined && serverDegraded !== null) failed.push(serverDegraded);
  const permitted = isPermitted(decided, context.consent);
  if (decided.isDefault || !permitted) {
    const degraded = failed.length > 0;
    return {
      ...base,
      content: decided.isDefault && decided.content !== undefined ? (decided.content as T) : defaultContent,
      status: degraded ? 'degraded' : 'ready',
      loading: false,
      degraded,
      withheld: !permitted,
      explanation: decided.isDefault ? decided.explanation : DEFAULT_CONTENT_EXPLANATION,
      error: degraded ? failed : undefined,
      traceId: decision.traceId,
    };
  }
  return {
    content: decided.content as T,
    isDefault: false,
    status: 'ready',
    loading: false,
    degraded: false,
    withheld: false,
    variant: decided.variant,
    strategy: decided.strategy,
    explanation: decided.explanation,
    error: undefined,
    traceId: decision.traceId,
  };
}

/** What a slot shows when its decision cannot be shown: the default, chosen without the person's data. */
export const DEFAULT_CONTENT_EXPLANATION: Explanation = Object.freeze({
  strategy: 'default',
  summary: Object.freeze({
    en: 'This is the default content: nothing about you was used to choose it.',
    vi: 'Đây là nội dung mặc định: không có dữ liệu nào về bạn được dùng để chọn nội dung này.',
  }),
  signals: [],
  purposes: [],
  categories: [],
}) as Explanation;

function useSlot<T>(slot: string, defaultContent: T, register: boolean, what: string): SlotState<T> {
  const context = useTactfulContext(what);
  const { store } = context;
  const version = useSyncExternalStore(store.subscribe, store.version, store.version);
  const defaultJson = register ? JSON.stringify(defaultContent ?? null) : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: the default is compared by its JSON
  useEffect(
    () => (register ? store.register(slot, defaultContent) : undefined),
    [store, slot, register, defaultJson],
  );
  return slotState(context, slot, defaultContent, version);
}

/**
 * The decision for one slot: its content (the default until a decision the person's consent
 * permits arrives), its explanation, and whether it is loading or degraded.
 *
 * @example
 * ```tsx
 * const hero = useDecision('home.hero', { title: 'Welcome' });
 * return <h1 aria-busy={hero.loading}>{hero.content.title}</h1>;
 * ```
 */
export function useDecision<T = unknown>(slot: string, defaultContent?: T): SlotState<T | undefined> {
  return useSlot<T | undefined>(slot, defaultContent, true, 'useDecision');
}

/** Props of {@link Slot}. */
export interface SlotProps<T> {
  /** The slot id, e.g. `home.hero`. */
  id: string;
  /** The content rendered first, and whenever personalization may not or does not apply. */
  default: T;
  /** Renders the content (a function), or nothing: the content is rendered as text. */
  children?: (content: T, state: SlotState<T>) => ReactNode;
}

/**
 * Renders a slot: its default first, then the decided content once a decision the person's
 * consent permits arrives. Personalized content is never rendered for a consent it was not decided
 * under, nor when its purposes are not granted.
 */
export function Slot<T>({ id, default: defaultContent, children }: SlotProps<T>) {
  const state = useSlot<T>(id, defaultContent, true, '<Slot>');
  const body = children ? children(state.content, state) : String(state.content ?? '');
  return (
    <div
      data-tactful-slot={id}
      data-tactful-status={state.status}
      data-tactful-default={state.isDefault ? 'true' : 'false'}
      aria-busy={state.loading}
    >
      {body}
    </div>
  );
}

/** The label of the explanation, per language. */
const LABELS = {
  en: 'Why am I seeing this?',
  vi: 'Tại sao tôi thấy nội dung này?',
} as const;

/** Props of {@link WhyAmISeeingThis}. */
export interface WhyAmISeeingThisProps {
  /** The slot whose content is explained. */
  slot: string;
  /** The language shown: `en` (default) or `vi` (English when no Vietnamese text exists). */
  locale?: 'en' | 'vi';
  /** A custom rendering of the explanation. */
  children?: (explanation: Explanation, text: string) => ReactNode;
}

/**
 * "Why am I seeing this?": the end-user explanation of what the slot shows now, in English or
 * Vietnamese. Renders nothing until the slot is decided; for withheld or default content it says
 * that nothing about the person was used.
 */
export function WhyAmISeeingThis({ slot, locale = 'en', children }: WhyAmISeeingThisProps) {
  const state = useSlot<unknown>(slot, undefined, false, '<WhyAmISeeingThis>');
  const explanation = state.explanation;
  if (explanation === undefined) return null;
  const text = (locale === 'vi' ? explanation.summary.vi : undefined) ?? explanation.summary.en;
  if (children) return <>{children(explanation, text)}</>;
  return (
    <details data-tactful-why={slot} lang={locale}>
      <summary>{LABELS[locale]}</summary>
      <p>{text}</p>
    </details>
  );
}
