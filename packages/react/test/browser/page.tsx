// Bundled for the browser with React 19 and loaded by a real Chromium. Exposed as `window.tactfulTest`.
import { anonymousSession } from '@tactful/anonymous-session';
import { type Decision, type DecisionRequestInput, defineConsentProvider } from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import type { Decider, InitialDecision } from '@tactful/react';
import { useState } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { CATEGORIES, CategoriesApp, HeroApp, phase, renders } from './app.js';

const SESSION = 'personalization.session';

/** What the visitor chose in the banner; the engine's consent provider reads it for every decision. */
const banner = new Set<string>();
const bannerConsent = defineConsentProvider({
  manifest: { name: 'page-banner', version: '1.0.0', core: '^0.1.0' },
  resolve: ({ purposes }) => ({
    purposes: Object.fromEntries(
      purposes.map((p) => [p, { status: banner.has(p) ? 'granted' : 'denied', provider: 'page-banner' }]),
    ),
  }),
});
const engine = createOrchestrator({
  consent: [bannerConsent],
  strategies: [anonymousSession({ slots: { categories: 'home.categories' }, categories: CATEGORIES })],
});

/** The in-page engine, with an adjustable delay before each answer (to race consent changes). */
const delay = { ms: 0 };
let decideCalls = 0;
const inPage: Decider = {
  async decide(request: DecisionRequestInput): Promise<Decision> {
    decideCalls += 1;
    const decision = await engine.decide(request);
    if (delay.ms > 0) await new Promise((r) => setTimeout(r, delay.ms));
    return decision;
  },
};

/** The decision server over HTTP, as a page calls it (cookies carry the person). */
const remote: Decider = {
  async decide(request: DecisionRequestInput): Promise<Decision> {
    decideCalls += 1;
    const response = await fetch('/v1/decide', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        slots: request.slots,
        ...(request.context ? { context: request.context } : {}),
      }),
    });
    if (!response.ok) throw new Error(`decide answered ${response.status}`);
    return (await response.json()) as Decision;
  },
};

const now = Date.now();
const KIDS = ['wooden-train', 'rain-boots-kids', 'picture-book'].map((target, i) => ({
  type: 'product_view' as const,
  target,
  topics: ['kids'],
  at: new Date(now - (3 - i) * 1000).toISOString(),
}));

let setters: { granted(g: string[]): void; locale(l: 'en' | 'vi'): void } | undefined;

function InPage() {
  const [granted, setGranted] = useState<string[]>([]);
  const [locale, setLocale] = useState<'en' | 'vi'>('en');
  setters = { granted: setGranted, locale: setLocale };
  return (
    <CategoriesApp
      decider={inPage}
      consent={{ granted }}
      request={{ session: { id: 'visit_0123456789abcdefgh', events: KIDS } }}
      locale={locale}
    />
  );
}

let remoteSetGranted: ((g: string[]) => void) | undefined;
function Remote() {
  const [granted, setGranted] = useState<string[]>([]);
  remoteSetGranted = setGranted;
  return <HeroApp decider={remote} consent={{ granted }} request={{}} />;
}

async function post(path: string, method: string, body?: unknown): Promise<number> {
  const response = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.status;
}

export const api = {
  renders,
  delay,
  decideCalls: () => decideCalls,
  text: (selector: string) => document.querySelector(selector)?.textContent ?? null,
  mountInPage() {
    createRoot(document.getElementById('root') as HTMLElement).render(<InPage />);
  },
  /** Grants in the banner and in the page's state, in one synchronous step. */
  grant(purposes: string[]) {
    for (const p of purposes) banner.add(p);
    phase.current = 'granted';
    flushSync(() => setters?.granted([...banner]));
  },
  /** Withdraws everything, in one synchronous step: the render it causes is committed before this returns. */
  withdraw() {
    banner.clear();
    phase.current = 'withdrawn';
    flushSync(() => setters?.granted([]));
  },
  locale(l: 'en' | 'vi') {
    flushSync(() => setters?.locale(l));
  },
  grantSession: () => api.grant([SESSION]),
  // --- against the decision server ---
  mountRemote() {
    createRoot(document.getElementById('root') as HTMLElement).render(<Remote />);
  },
  async remoteGrant(purposes: string[]) {
    const status = await post('/v1/consent', 'POST', { grant: purposes });
    phase.current = 'granted';
    flushSync(() => remoteSetGranted?.(purposes));
    return status;
  },
  declare: (interests: string[]) => post('/v1/me/preferences', 'PATCH', { interests }),
  async remoteWithdraw(purpose: string) {
    const status = await post(`/v1/consent/${purpose}`, 'DELETE');
    phase.current = 'withdrawn';
    flushSync(() => remoteSetGranted?.([]));
    return status;
  },
  // --- hydrating a server-rendered page ---
  hydrate() {
    const initial = JSON.parse(
      document.getElementById('tactful-initial')?.textContent ?? 'null',
    ) as InitialDecision;
    const { granted, subject } = JSON.parse(document.getElementById('page-data')?.textContent ?? '{}') as {
      granted: string[];
      subject: string;
    };
    phase.current = 'hydrate';
    hydrateRoot(
      document.getElementById('root') as HTMLElement,
      <HeroApp
        decider={remote}
        consent={{ granted }}
        request={{ subject: { id: subject } }}
        initial={initial}
      />,
      { onRecoverableError: (error) => console.error(`recoverable: ${String(error)}`) },
    );
  },
};
