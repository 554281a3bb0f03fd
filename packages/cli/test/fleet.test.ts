import { createAuditTrail } from '@tactful/audit';
import { postgresAuditStore } from '@tactful/store-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FLEET_SECRET,
  type FleetServer,
  PG_URL,
  fleetBrowser,
  startServer,
  writeFleetConfig,
} from './fleet-helpers.js';
import { tempDir } from './run-cli.js';

type Slot = { slot: string; content?: unknown; isDefault: boolean };
type DecisionBody = { slots: Slot[]; degraded?: unknown };
const SLOTS = [{ id: 'home.banner' }, { id: 'home.categories' }];
const slot = (body: DecisionBody, id: string) => body.slots.find((s) => s.slot === id) as Slot;

// Three `tactful serve` processes on one PostgreSQL schema and one Redis prefix.
let servers: FleetServer[] = [];
let schema: string;
let remove: () => Promise<void>;
const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
const urls = () => servers.map((s) => s.url);

beforeAll(async () => {
  const temp = await tempDir('tactful-fleet-');
  remove = temp.remove;
  ({ schema } = writeFleetConfig(temp.dir, { rightsPerHour: 2 }));
  // Started at the same time: each applies the migrations under the advisory lock, once.
  servers = await Promise.all([0, 1, 2].map(() => startServer(temp.dir)));
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
  await remove();
}, 60_000);

describe('a fleet of three servers on one PostgreSQL and one Redis', () => {
  it('applied each migration once although the servers started together', async () => {
    const { rows } = await admin.query(
      `SELECT component, COUNT(*)::int AS n FROM "${schema}".tactful_migrations GROUP BY component ORDER BY component`,
    );
    expect(rows).toEqual([
      { component: 'audit', n: 1 },
      { component: 'consent', n: 1 },
      { component: 'fleet', n: 1 },
      { component: 'subject', n: 1 },
    ]);
  });

  it("keeps a browser's session on every hop, and a withdrawal on A applies to the very next decision on B", async () => {
    const b = fleetBrowser(urls);
    const granted = await b.json('/v1/consent', {
      at: 0,
      body: { grant: ['personalization.session', 'personalization.contextual'] },
    });
    expect(granted.status).toBe(200);
    const first = await b.json('/v1/session/events', {
      at: 1,
      body: { events: [{ type: 'category_view', target: 'kids', topics: ['kids'] }] },
    });
    expect(first.body).toEqual({ recorded: 1, session: 'active' });
    const session = b.cookies.get('tactful_session');
    expect(session).toBeDefined();
    for (let hop = 0; hop < 6; hop++) {
      const next = await b.json('/v1/session/events', {
        body: { events: [{ type: 'product_view', target: `p-${hop}`, topics: ['kids'] }] },
      });
      expect(next.body).toEqual({ recorded: 1, session: 'active' });
      // The same session, whichever server answered: its cookie never changed.
      expect(b.cookies.get('tactful_session')).toBe(session);
    }
    for (const at of [0, 1, 2]) {
      const decision = await b.json<DecisionBody>('/v1/decide', { at, body: { slots: SLOTS } });
      expect((slot(decision.body, 'home.categories').content as { order: string[] }).order[0]).toBe('kids');
      expect(slot(decision.body, 'home.banner').content).toEqual({ banner: 'app-download' });
    }
    const withdrawn = await b.json('/v1/consent/personalization.contextual', { at: 0, method: 'DELETE' });
    expect(withdrawn.status).toBe(200);
    const after = await b.json<DecisionBody>('/v1/decide', { at: 1, body: { slots: SLOTS } });
    expect(slot(after.body, 'home.banner').isDefault).toBe(true);
  });

  it('holds the rights limit fleet-wide; an export on B has what was written through A; erasure on A is complete on B', async () => {
    const a = fleetBrowser(urls);
    await a.json('/v1/consent', { at: 0, body: { grant: ['personalization.profile'] } });
    const patched = await a.json('/v1/me/preferences', {
      at: 0,
      method: 'PATCH',
      body: { interests: ['garden'], notInterested: ['sports'] },
    });
    expect(patched.status).toBe(200);
    const exported = await a.json('/v1/me/export', { at: 1 });
    expect(exported.status).toBe(200);
    expect(JSON.stringify(exported.body)).toContain('garden');
    expect((await a.json('/v1/me/export', { at: 2 })).status).toBe(200);
    // A limit of 2 per hour allows 2 across the whole fleet, not 2 per server.
    const third = await a.json<{ error: { code: string } }>('/v1/me/export', { at: 0 });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('RATE_LIMITED');

    const e = fleetBrowser(urls);
    await e.json('/v1/consent', {
      at: 0,
      body: { grant: ['personalization.profile', 'personalization.session'] },
    });
    await e.json('/v1/me/preferences', { at: 0, method: 'PATCH', body: { interests: ['kitchen'] } });
    await e.json('/v1/session/events', { at: 2, body: { events: [{ type: 'page_view', target: '/x' }] } });
    const erased = await e.json<{ erased?: unknown }>('/v1/me', { at: 0, method: 'DELETE' });
    expect(erased.status).toBe(200);
    const empty = await e.json<{ empty: boolean }>('/v1/me/export', { at: 1 });
    expect(empty.status).toBe(200);
    expect(empty.body.empty).toBe(true);
    expect(JSON.stringify(empty.body)).not.toContain('kitchen');
  });

  it('keeps one audit trail that verifies end to end, with entries from every server', async () => {
    const b = fleetBrowser(urls);
    await b.json('/v1/consent', { at: 0, body: { grant: ['personalization.contextual'] } });
    await Promise.all(Array.from({ length: 12 }, () => b.json('/v1/decide', { body: { slots: SLOTS } })));
    // The servers write the trail in batches: give them a moment to commit the last ones.
    await new Promise((r) => setTimeout(r, 1500));
    const store = await postgresAuditStore({ url: PG_URL, schema, migrate: false });
    const trail = createAuditTrail({ store, key: FLEET_SECRET });
    const result = await trail.verify();
    expect(result).toMatchObject({ ok: true });
    expect(result.checked).toBeGreaterThanOrEqual(12);
    await store.close();
  });
});
