// Bundled for the browser with React 19 and loaded by a real Chromium. Exposed as `window.tactfulTest`.
import { anonymousSession } from '@tactful/anonymous-session';
import { type Decision, type DecisionRequestInput, defineConsentProvider } from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import { type ConsentStatus, createClient } from '@tactful/client';
import { type Decider, type InitialDecision, Slot, TactfulProvider } from '@tactful/react';
import { useState } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { CATEGORIES, CategoriesApp, HERO_DEFAULT, HeroApp, phase, renders } from './app.js';

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

/** Counts the page's calls of the decision server's decide route. */
const countingFetch: typeof fetch = (input, init) => {
  if (String(input).endsWith('/v1/decide')) decideCalls += 1;
  return fetch(input, init);
};

/** The decision server through its client, as a page uses it: the client is the provider's decider. */
const client = createClient({ baseUrl: '', fetch: countingFetch });

/** Server-rendered pages hydrate without asking: any call here is counted, and fails. */
const noCalls: Decider = {
  decide() {
    decideCalls += 1;
    return Promise.reject(new Error('the hydrated page asked for a decision'));
  },
};

/** The purposes a consent answer of the server grants, as the provider's snapshot. */
const grantedIn = (status: ConsentStatus) =>
  Object.entries(status.purposes)
    .filter(([, p]) => p.status === 'granted')
    .map(([purpose]) => purpose);

const now = Date.now();
const KIDS = ['wooden-train', 'rain-boots-kids', 'picture-book'].map((target, i) => ({
  type: 'product_view' as const,
  target,
  topics: ['kids'],
  at: new Date(now - (3 - i) * 1000).toISOString(),
}));

/** Changes the signed-in page's locale (a new request: the provider decides again). */
let signedInLocale: ((locale: string) => void) | undefined;

/** A page the server rendered for a signed-in person, hydrated with a client of the server. */
function SignedIn(props: {
  token: string | undefined;
  subject: string;
  granted: string[];
  initial: InitialDecision;
}) {
  const [decider] = useState(() =>
    createClient({
      baseUrl: '',
      fetch: countingFetch,
      ...(props.token ? { subjectToken: props.token } : {}),
    }),
  );
  const [locale, setLocale] = useState<string | undefined>(undefined);
  signedInLocale = setLocale;
  const request = {
    subject: { id: props.subject },
    ...(locale === undefined ? {} : { context: { locale } }),
  };
  return (
    <HeroApp
      decider={decider}
      consent={{ granted: props.granted }}
      request={request}
      initial={props.initial}
    />
  );
}

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
  return <HeroApp decider={client} consent={{ granted }} request={{}} />;
}

/** What the degraded page saw: its slot's states, in order. */
const degradedLog: Array<{ isDefault: boolean; status: string; title: string; reason: string | undefined }> =
  [];
let degradedSetGranted: ((g: string[]) => void) | undefined;
/** A page whose decision server is `baseUrl` (down, or answering 503), with consent the page believes granted. */
function Degraded({ baseUrl }: { baseUrl: string }) {
  const [down] = useState(() => createClient({ baseUrl, timeoutMs: 2000 }));
  const [granted, setGranted] = useState(['personalization.profile', 'personalization.contextual']);
  degradedSetGranted = setGranted;
  return (
    <TactfulProvider decider={down} consent={{ granted }}>
      <Slot id="home.hero" default={HERO_DEFAULT}>
        {(hero, state) => {
          const reason = Array.isArray(state.error)
            ? (state.error as Array<{ reason?: string } | undefined>).map((d) => d?.reason).join(',')
            : undefined;
          degradedLog.push({ isDefault: state.isDefault, status: state.status, title: hero.title, reason });
          return <h1>{hero.title}</h1>;
        }}
      </Slot>
    </TactfulProvider>
  );
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
  /** Grants through the client; the page's snapshot is what the server answered. */
  async remoteGrant(purposes: string[]) {
    const status = await client.choose({ grant: purposes });
    phase.current = 'granted';
    flushSync(() => remoteSetGranted?.(grantedIn(status)));
    return grantedIn(status);
  },
  declare: async (interests: string[]) => (await client.declarePreferences({ interests })).changes.length,
  /** Withdraws through the client; the render the answer causes is committed before this returns. */
  async remoteWithdraw(purpose: string) {
    const status = await client.withdraw(purpose);
    phase.current = 'withdrawn';
    flushSync(() => remoteSetGranted?.(grantedIn(status)));
    return grantedIn(status);
  },
  // --- a decision server that is down or overloaded ---
  degradedLog,
  mountDegraded(baseUrl: string) {
    createRoot(document.getElementById('root') as HTMLElement).render(<Degraded baseUrl={baseUrl} />);
  },
  /** A consent change asks again (the client backs off after a Retry-After: no request is sent). */
  degradedRegrant() {
    flushSync(() => degradedSetGranted?.(['personalization.profile']));
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
        decider={noCalls}
        consent={{ granted }}
        request={{ subject: { id: subject } }}
        initial={initial}
      />,
      { onRecoverableError: (error) => console.error(`recoverable: ${String(error)}`) },
    );
  },
  /** Hydrates a signed-in page with the server's subject token (or, `false`, without it). */
  hydrateSignedIn(withToken: boolean) {
    const initial = JSON.parse(
      document.getElementById('tactful-initial')?.textContent ?? 'null',
    ) as InitialDecision;
    const { granted, subject, token } = JSON.parse(
      document.getElementById('page-data')?.textContent ?? '{}',
    ) as {
      granted: string[];
      subject: string;
      token: string;
    };
    phase.current = 'hydrate';
    hydrateRoot(
      document.getElementById('root') as HTMLElement,
      <SignedIn
        token={withToken ? token : undefined}
        subject={subject}
        granted={granted}
        initial={initial}
      />,
      { onRecoverableError: (error) => console.error(`recoverable: ${String(error)}`) },
    );
  },
  signedInLocale(locale: string) {
    phase.current = 'after';
    flushSync(() => signedInLocale?.(locale));
  },
};
