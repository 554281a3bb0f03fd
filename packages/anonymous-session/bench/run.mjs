// Session-event ingestion + scoring per decision, and memory per active session, over the BUILT package.
// Run: pnpm build && pnpm bench   (from packages/anonymous-session; the script passes --expose-gc)
import { performance } from 'node:perf_hooks';
import { callContext } from '@tactful/testing';
import { anonymousSession, createSessionStore } from '../dist/index.js';

const topics = ['kids', 'toys', 'garden', 'books', 'tech', 'fashion', 'home', 'sport', 'pets', 'beauty'];
const types = ['page_view', 'product_view', 'category_view', 'search', 'add_to_cart', 'dwell'];
let seed = 42;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const event = () => {
  const type = pick(types);
  return {
    type,
    target: `p-${Math.floor(random() * 500)}`,
    topics: [pick(topics), pick(topics)],
    ...(type === 'dwell' ? { durationMs: Math.floor(random() * 120_000) } : {}),
  };
};

function round(fn, iterations) {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return (performance.now() - start) / iterations;
}
function measure(label, fn, iterations) {
  for (let i = 0; i < 3; i++) round(fn, iterations);
  const rounds = Array.from({ length: 9 }, () => round(fn, iterations)).sort((a, b) => a - b);
  const median = rounds[4];
  console.log(
    `${label}: ${(median * 1000).toFixed(2)} µs/op, ${Math.round(1000 / median).toLocaleString('en-US')} ops/s (median of 9 rounds x ${iterations})`,
  );
}

console.log('@tactful/anonymous-session bench');
const strategy = anonymousSession({
  slots: { categories: 'home.categories', continue: 'home.continue' },
  categories: topics,
});
const ctx = callContext();
const SLOTS = [{ id: 'home.categories' }, { id: 'home.continue' }, { id: 'home.hero' }];
const GRANTED = ['personalization.session'];
for (const size of [20, 200]) {
  const store = createSessionStore({ maxEventsPerSession: size });
  const { id } = store.open();
  for (let i = 0; i < size; i++) store.record(id, event());
  const events = Array.from({ length: 64 }, event);
  measure(
    `ingest 1 event + score + propose, session of ${size} events, per decision`,
    (i) => {
      store.record(id, events[i & 63]);
      const session = store.session(id);
      strategy.decide(
        {
          slots: SLOTS,
          data: { 'session.events': session.events },
          signals: {},
          granted: GRANTED,
          now: Date.now(),
        },
        ctx,
      );
    },
    size === 20 ? 20_000 : 2_000,
  );
}

if (typeof globalThis.gc !== 'function') {
  console.log('memory per session: skipped (run with node --expose-gc)');
} else {
  for (const perSession of [0, 10]) {
    const store = createSessionStore({ maxSessions: 200_000 });
    const sample = Array.from({ length: 32 }, event);
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100_000; i++) {
      const { id } = store.open();
      for (let j = 0; j < perSession; j++) store.record(id, sample[(i + j) & 31]);
    }
    globalThis.gc();
    const after = process.memoryUsage().heapUsed;
    console.log(
      `memory per active session (${perSession} events), 100,000 sessions: ${Math.round((after - before) / 100_000).toLocaleString('en-US')} bytes (heapUsed delta ${((after - before) / 1048576).toFixed(1)} MiB, ${store.size.toLocaleString('en-US')} live)`,
    );
  }
}
