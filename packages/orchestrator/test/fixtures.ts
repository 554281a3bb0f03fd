import {
  type ConsentProvider,
  type DataSource,
  type PurposeConsent,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
  type PluginCallContext,
  type DataSourceQuery,
  defineConsentProvider,
  defineDataSource,
  defineStrategy,
} from '@tactful/core';

export const NOW = '2026-01-15T10:00:00.000Z';

/** A consent provider that grants `granted` (all asked purposes by default) and denies `denied`. */
export function consentProvider(
  name: string,
  init: {
    granted?: readonly string[] | 'all';
    denied?: readonly string[];
    resolve?: ConsentProvider['resolve'];
  } = {},
): ConsentProvider {
  const granted = init.granted ?? 'all';
  const denied = new Set(init.denied ?? []);
  return defineConsentProvider({
    manifest: { name, version: '1.0.0', core: '^0.1.0' },
    resolve:
      init.resolve ??
      (({ purposes }) => {
        const out: Record<string, PurposeConsent> = {};
        for (const p of purposes) {
          if (denied.has(p)) out[p] = { status: 'denied', provider: name, reason: 'withdrawn' };
          else if (granted === 'all' || granted.includes(p))
            out[p] = { status: 'granted', provider: name, recordId: `${name}:${p}` };
        }
        return { purposes: out };
      }),
  });
}

/** A consent provider whose answer can be changed between decisions. */
export function mutableConsent(name: string, initial: readonly string[]) {
  const state = { granted: new Set(initial) };
  const provider = consentProvider(name, {
    resolve: ({ purposes }) => ({
      purposes: Object.fromEntries(
        purposes.map((p) => [
          p,
          state.granted.has(p)
            ? { status: 'granted' as const, provider: name }
            : { status: 'denied' as const, provider: name, reason: 'withdrawn' },
        ]),
      ),
    }),
  });
  return { provider, state };
}

/** An in-memory data source that records every call. */
export function memorySource(
  name: string,
  data: Record<string, unknown>,
  init: {
    requiresSubject?: boolean;
    erase?: boolean;
    load?: (query: DataSourceQuery, ctx: PluginCallContext) => unknown;
  } = {},
): DataSource & { calls: DataSourceQuery[] } {
  const calls: DataSourceQuery[] = [];
  const erase = init.erase ?? true;
  const source = defineDataSource({
    manifest: {
      name,
      version: '1.0.0',
      core: '^0.1.0',
      provides: Object.keys(data).map((category) => ({ category })),
      requiresSubject: init.requiresSubject ?? true,
      rights: { erase },
    },
    load: (query: DataSourceQuery, ctx: PluginCallContext) => {
      calls.push(query);
      if (init.load) return init.load(query, ctx) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const c of query.categories) out[c] = data[c];
      return out;
    },
    ...(erase ? { erase: async () => ({ erased: 0 }) } : {}),
  });
  return Object.assign(source, { calls });
}

/** Options of {@link strategy}. */
export interface StrategyInit {
  purposes?: string[];
  reads?: Array<{ category: string; purpose: string }>;
  publishes?: Array<string | { name: string; fields?: Record<string, string[]> }>;
  signalReads?: string[];
  priority?: number;
  timeoutMs?: number;
  decide?: (input: StrategyInput, ctx: PluginCallContext) => StrategyOutput | Promise<StrategyOutput>;
}

/** A strategy that records its inputs; by default proposes `<name>` content for every slot. */
export function strategy(name: string, init: StrategyInit = {}): Strategy & { inputs: StrategyInput[] } {
  const inputs: StrategyInput[] = [];
  const s = defineStrategy({
    manifest: {
      name,
      version: '1.0.0',
      core: '^0.1.0',
      purposes: init.purposes ?? ['personalization.contextual'],
      reads: init.reads ?? [],
      signals: {
        publishes: (init.publishes ?? []).map((n) => (typeof n === 'string' ? { name: n } : n)),
        reads: init.signalReads ?? [],
      },
      priority: init.priority ?? 0,
      ...(init.timeoutMs === undefined ? {} : { timeoutMs: init.timeoutMs }),
    },
    decide: (input: StrategyInput, ctx: PluginCallContext) => {
      inputs.push(input);
      if (init.decide) return init.decide(input, ctx);
      return {
        proposals: input.slots.map((slot) => ({
          slot: slot.id,
          content: `${name}:${slot.id}`,
          reason: { en: `chosen by ${name}` },
        })),
      };
    },
  });
  return Object.assign(s, { inputs });
}

/** A request with the fixed time and trace id, so decisions are reproducible. */
export function request(init: Record<string, unknown> = {}) {
  return {
    traceId: 'trace-0001',
    context: { now: NOW, ...((init['context'] as object | undefined) ?? {}) },
    slots: [{ id: 'home.hero', default: { title: 'Welcome' } }],
    ...Object.fromEntries(Object.entries(init).filter(([k]) => k !== 'context')),
  };
}

/** Milliseconds since `start`. */
export function since(start: number): number {
  return performance.now() - start;
}
