// How long a read holds the caller's thread with `reads: 'main-first'`, on a database of realistic
// size (SUBJECTS people, 10 consent records each, a profile, 20 page views and a cart each), and
// what a decision's reads (consent, preferences, attributes) cost there against the reader
// thread's round trip (`reads: 'thread'`) in the same run. Reports the longest synchronous read
// seen (the bound on the event loop), its p99, and per-decision ratios thread / main-first.
//
//   pnpm --filter @tactful/store-sqlite build && node packages/store-sqlite/bench/main-reads.bench.mjs
//   SUBJECTS=10000 READS=20000 node bench/main-reads.bench.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, openSqliteStores, sqliteConsentStore, sqliteSubjectStore } from '../dist/index.js';

const SUBJECTS = Number(process.env.SUBJECTS ?? 10_000);
const READS = Number(process.env.READS ?? 20_000);
const PURPOSES = [
  'personalization.profile',
  'personalization.contextual',
  'personalization.session',
  'measurement',
  'marketing',
];
const NOTICE = { version: '2026-03', hash: `sha256-${'a'.repeat(64)}` };
const dir = mkdtempSync(join(tmpdir(), 'tactful-main-reads-bench-'));
const filename = join(dir, 'bench.sqlite');

function fill() {
  const consent = sqliteConsentStore({ filename, cacheSize: 0 });
  const subject = sqliteSubjectStore({ filename });
  subject.close();
  consent.close?.();
  const consentWriter = sqliteConsentStore({ filename, cacheSize: 0 });
  const batch = [];
  const flush = async () => {
    if (batch.length) await consentWriter.appendAll(batch.splice(0));
  };
  return (async () => {
    for (let s = 0; s < SUBJECTS; s++) {
      for (let r = 0; r < 10; r++) {
        batch.push({
          subject: `s-${s}`,
          purpose: PURPOSES[r % PURPOSES.length],
          status: r % 7 === 6 ? 'withdrawn' : 'granted',
          method: r % 7 === 6 ? 'preference-center' : 'banner',
          notice: NOTICE,
          source: 'web:/privacy',
          locale: 'vi-VN',
          jurisdiction: 'VN',
        });
      }
      if (batch.length >= 5000) await flush();
    }
    await flush();
    consentWriter.close?.();
    const db = openDatabase(filename);
    const now = Date.now();
    const profile = db.prepare(
      'INSERT INTO subject_profiles (subject_id, preferences, attributes, updated_at) VALUES (?, ?, ?, ?)',
    );
    const event = db.prepare(
      'INSERT INTO subject_events (subject_id, id, category, at_ms, received_at, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const cart = db.prepare('INSERT INTO subject_carts (subject_id, cart, updated_ms) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let s = 0; s < SUBJECTS; s++) {
        const id = `s-${s}`;
        profile.run(
          id,
          JSON.stringify({ interests: ['kids', 'home'], notInterested: ['rain'] }),
          JSON.stringify({ tier: s % 3 ? 'silver' : 'gold', city: 'Hà Nội' }),
          new Date(now).toISOString(),
        );
        for (let e = 0; e < 20; e++) {
          const at = now - e * 60_000;
          event.run(
            id,
            `e-${e}`,
            'behavior.pageviews',
            at,
            new Date(at).toISOString(),
            JSON.stringify({ at: new Date(at).toISOString(), path: `/p/${e}` }),
          );
        }
        cart.run(
          id,
          JSON.stringify({ items: [{ sku: 'x', qty: 1 }], updatedAt: new Date(now).toISOString() }),
          now,
        );
      }
    })();
    db.close();
  })();
}

const pick = (i) => `s-${(i * 7919) % SUBJECTS}`;

async function measure(reads) {
  const stores = await openSqliteStores({ filename, reads });
  const sync = [];
  let decisions = 0;
  // Warm up (the page cache, the statements).
  for (let i = 0; i < 2000; i++) await stores.consent.latest(pick(i));
  const started = performance.now();
  for (let i = 0; i < READS; i++) {
    const id = pick(i + 17);
    // A decision's reads, each timed as the synchronous part the caller's thread runs.
    for (const read of [
      () => stores.consent.latest(id),
      () => stores.subject.getPreferences(id),
      () => stores.subject.getAttributes(id),
      () => stores.subject.listEvents(id, 'behavior.pageviews'),
      () => stores.consent.history(id),
    ]) {
      const t = performance.now();
      const answer = read();
      sync.push(performance.now() - t);
      await answer;
    }
    decisions++;
  }
  const perDecisionUs = ((performance.now() - started) * 1000) / decisions;
  const stats = stores.stats();
  await stores.close();
  sync.sort((a, b) => a - b);
  const q = (p) => sync[Math.min(sync.length - 1, Math.floor(p * sync.length))] * 1000;
  return { reads, perDecisionUs, p50: q(0.5), p99: q(0.99), maxUs: sync.at(-1) * 1000, stats };
}

try {
  const t = performance.now();
  await fill();
  console.log(
    `filled ${SUBJECTS} subjects, ${SUBJECTS * 10} consent records in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const thread = await measure('thread');
  const main = await measure('main-first');
  for (const r of [thread, main]) {
    console.log(
      `${r.reads.padEnd(10)} synchronous part of one read: p50 ${r.p50.toFixed(1)} µs, p99 ${r.p99.toFixed(1)} µs, longest ${r.maxUs.toFixed(0)} µs` +
        (r.stats.mainReads
          ? ` (served here ${r.stats.mainReads.served}, fell back ${r.stats.mainReads.fellBack})`
          : ''),
    );
  }
  console.log(
    `a decision's five reads, awaited one after another: thread / main-first = ${(thread.perDecisionUs / main.perDecisionUs).toFixed(2)}×`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
