import { Socket as NetSocket, type Server, type Socket, createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FleetServer,
  PG_URL,
  REDIS_URL,
  fleetBrowser,
  startServer,
  writeFleetConfig,
} from './fleet-helpers.js';
import { tempDir } from './run-cli.js';

type DecisionBody = {
  slots: Array<{ slot: string; isDefault: boolean; content?: unknown }>;
  degraded?: { reason: string };
};
const SLOTS = [{ id: 'home.banner' }];

/**
 * A TCP relay between the servers and PostgreSQL: `cut()` drops every open connection and refuses
 * new ones, as a PostgreSQL restart does; `restore()` lets connections through again. The shared
 * PostgreSQL of the machine is never restarted.
 */
async function relay(
  target: URL,
): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  let down = false;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = new NetSocket();
    upstream.connect(Number(target.port), target.hostname);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut() {
      down = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}

let servers: FleetServer[] = [];
let schema: string;
let remove: () => Promise<void>;
let db: Awaited<ReturnType<typeof relay>>;
let cache: Awaited<ReturnType<typeof relay>>;
const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
const urls = () => servers.map((s) => s.url);

beforeAll(async () => {
  const temp = await tempDir('tactful-fleet-faults-');
  remove = temp.remove;
  ({ schema } = writeFleetConfig(temp.dir));
  const target = new URL(PG_URL);
  if (!target.port) target.port = '5432';
  db = await relay(target);
  const through = new URL(PG_URL);
  through.hostname = '127.0.0.1';
  through.port = String(db.port);
  const redisTarget = new URL(REDIS_URL);
  if (!redisTarget.port) redisTarget.port = '6379';
  cache = await relay(redisTarget);
  const redisThrough = new URL(REDIS_URL);
  redisThrough.hostname = '127.0.0.1';
  redisThrough.port = String(cache.port);
  servers = await Promise.all(
    [0, 1, 2].map(() => startServer(temp.dir, { DATABASE_URL: through.href, REDIS_URL: redisThrough.href })),
  );
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await db.close();
  await cache.close();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
  await remove();
}, 60_000);

describe('a fleet under faults', () => {
  it('kill -9 of one server mid-burst: nothing acknowledged is lost, the others keep answering', async () => {
    const browsers = Array.from({ length: 60 }, () => fleetBrowser(urls));
    const victim = servers[1] as FleetServer;
    // Requests leave one every 8 ms; the victim is killed as soon as it has acknowledged three,
    // with more of its requests in flight.
    let victimAcks = 0;
    let kill: () => void = () => {};
    const killed = new Promise<void>((r) => {
      kill = () => {
        victim.child.kill('SIGKILL');
        r();
      };
    });
    const results = await Promise.all(
      browsers.map(async (b, i) => {
        await new Promise((r) => setTimeout(r, i * 8));
        try {
          const answer = await b.json('/v1/consent', {
            at: i % 3,
            body: { grant: ['personalization.profile'] },
          });
          if (answer.server === 1 && answer.status === 200 && ++victimAcks === 3) kill();
          return { i, status: answer.status, at: answer.server };
        } catch {
          return { i, status: 0, at: i % 3 };
        }
      }),
    );
    await killed;
    servers = servers.filter((s) => s !== victim);
    const acknowledged = results.filter((r) => r.status === 200);
    // Some requests reached the victim before it died, some after: both cases were exercised.
    expect(results.some((r) => r.at === 1 && r.status === 200)).toBe(true);
    expect(results.some((r) => r.at === 1 && r.status !== 200)).toBe(true);
    // Servers 0 and 2 answered everything sent to them.
    expect(results.filter((r) => r.at !== 1).every((r) => r.status === 200)).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    // Every acknowledged grant is there, read through a surviving server.
    for (const r of acknowledged) {
      const state = await (browsers[r.i] as ReturnType<typeof fleetBrowser>).json<{
        purposes: Record<string, { status: string }>;
      }>('/v1/consent', { at: r.i % 2 });
      expect(state.status).toBe(200);
      expect(state.body.purposes['personalization.profile']?.status).toBe('granted');
    }
  }, 60_000);

  it('PostgreSQL gone under load: default content with a reason, writes 503, recovery without a restart', async () => {
    const b = fleetBrowser(urls);
    await b.json('/v1/consent', { at: 0, body: { grant: ['personalization.contextual'] } });
    const before = await b.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } });
    expect(before.body.slots[0]?.content).toEqual({ banner: 'app-download' });

    db.cut();
    const during = await Promise.all(
      Array.from({ length: 8 }, () => b.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } })),
    );
    for (const d of during) {
      expect(d.status).toBe(200);
      expect(d.body.slots.every((s) => s.isDefault)).toBe(true);
      expect(d.body.degraded?.reason).toBe('consent-unavailable');
    }
    const write = await b.json<{ error: { code: string } }>('/v1/consent', {
      body: { grant: ['personalization.session'] },
    });
    expect(write.status).toBe(503);

    db.restore();
    // No server restarts: the pools reconnect by themselves.
    const deadline = Date.now() + 20_000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      const all = await Promise.all(
        urls().map((_, at) => b.json<DecisionBody>('/v1/decide', { at, body: { slots: SLOTS } })),
      );
      recovered = all.every(
        (d) => d.status === 200 && d.body.degraded === undefined && !d.body.slots[0]?.isDefault,
      );
      if (!recovered) await new Promise((r) => setTimeout(r, 250));
    }
    expect(recovered).toBe(true);
    const again = await b.json('/v1/consent', { body: { grant: ['personalization.session'] } });
    expect(again.status).toBe(200);
  }, 60_000);

  it('Redis gone: decisions go on without the session, session writes and rights requests get 503, then recover', async () => {
    type Slot = { slot: string; isDefault: boolean; content?: unknown };
    const b = fleetBrowser(urls);
    await b.json('/v1/consent', {
      at: 0,
      body: { grant: ['personalization.session', 'personalization.contextual', 'personalization.profile'] },
    });
    await b.json('/v1/session/events', {
      body: { events: [{ type: 'category_view', target: 'kids', topics: ['kids'] }] },
    });
    const slots = [{ id: 'home.banner' }, { id: 'home.categories' }];
    const before = await b.json<{ slots: Slot[] }>('/v1/decide', { body: { slots } });
    expect(before.body.slots.find((s) => s.slot === 'home.categories')?.isDefault).toBe(false);

    cache.cut();
    const during = await b.json<{ slots: Slot[] }>('/v1/decide', { body: { slots } });
    expect(during.status).toBe(200);
    expect(during.body.slots.find((s) => s.slot === 'home.categories')?.isDefault).toBe(true);
    expect(during.body.slots.find((s) => s.slot === 'home.banner')?.content).toEqual({
      banner: 'app-download',
    });
    expect((await b.json('/v1/session/events', { body: { events: [{ type: 'page_view' }] } })).status).toBe(
      503,
    );
    expect((await b.json('/v1/me/export')).status).toBe(503);

    cache.restore();
    const deadline = Date.now() + 20_000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      const all = await Promise.all(
        urls().map((_, at) => b.json<{ slots: Slot[] }>('/v1/decide', { at, body: { slots } })),
      );
      recovered = all.every(
        (d) => d.body.slots.find((s) => s.slot === 'home.categories')?.isDefault === false,
      );
      if (!recovered) await new Promise((r) => setTimeout(r, 250));
    }
    expect(recovered).toBe(true);
    expect((await b.json('/v1/me/export')).status).toBe(200);
  }, 60_000);
});
