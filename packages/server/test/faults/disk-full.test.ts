import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, PURPOSES, type ServerProcess, grantAll, sleep, startServer, timed } from './harness.js';

/** Mounts a small tmpfs (needs root and the right to mount); undefined, with why, where it can't. */
function mountSmallDisk(): { dir: string; unmount(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'tactful-fulldisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs is not allowed here (${String((error as Error).message).split('\n')[0]})`;
  }
  return {
    dir,
    unmount() {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Writes a file until the disk is full; returns its path. */
function fillDisk(dir: string): string {
  const file = join(dir, 'filler.bin');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch {
    // ENOSPC: full. Top up byte by byte-sized chunks so nothing is left.
    const small = Buffer.alloc(512, 1);
    try {
      for (;;) writeSync(fd, small);
    } catch {
      // full
    }
  } finally {
    closeSync(fd);
  }
  return file;
}

const disk = mountSmallDisk();
const skip = typeof disk === 'string';
if (skip) console.warn(`disk-full faults skipped: ${disk}`);

describe.skipIf(skip)('the database’s disk fills up', () => {
  let server: ServerProcess;
  const mounted = disk as Exclude<typeof disk, string>;
  beforeAll(async () => {
    const data = join(mounted.dir, 'data');
    mkdirSync(data);
    server = await startServer({ dataDir: data });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    mounted.unmount();
  });

  it('is not ready while full, never records half of a consent change, and loses nothing acknowledged', async () => {
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) {
      if ((await grantAll(server.url, `before-${i}`)).status === 200) acked.push(`before-${i}`);
    }
    expect(acked.length).toBe(5);
    expect((await timed(`${server.url}/readyz`)).status).toBe(200);

    const filler = fillDisk(mounted.dir);
    // Readiness follows within its cache time (1.5 s).
    await expect
      .poll(async () => (await timed(`${server.url}/readyz`)).status, { timeout: 10_000 })
      .toBe(503);

    // Every attempt is recorded whole or not at all, and the answer says which.
    const outcomes: Array<{ subject: string; status: number; recorded?: boolean }> = [];
    for (let i = 0; i < 12; i++) {
      const subject = `full-${i}`;
      const r = await grantAll(server.url, subject);
      expect([200, 503]).toContain(r.status);
      const body = JSON.parse(r.body) as { recorded?: boolean };
      if (r.status === 503) expect(typeof body.recorded).toBe('boolean');
      outcomes.push({ subject, status: r.status, ...(r.status === 503 ? { recorded: body.recorded } : {}) });
      if (r.status === 200) acked.push(subject);
    }
    const count = (s: number) => outcomes.filter((o) => o.status === s).length;
    console.info(`disk full: ${count(200)} changes recorded whole, ${count(503)} refused whole (503)`);
    // Health is still fast.
    expect((await timed(`${server.url}/healthz`)).ms).toBeLessThan(2500);

    rmSync(filler);
    await expect
      .poll(async () => (await timed(`${server.url}/readyz`)).status, { timeout: 10_000 })
      .toBe(200);
    await sleep(200);
    for (const { subject, status, recorded } of outcomes) {
      const state = JSON.parse(
        (await timed(`${server.url}/v1/consent`, { headers: { ...AUTH, 'tactful-subject': subject } })).body,
      ) as { purposes: Record<string, { status: string }> };
      const granted = PURPOSES.filter((p) => state.purposes[p]?.status === 'granted').length;
      // All or none, and as the answer said.
      expect([0, PURPOSES.length]).toContain(granted);
      if (status === 200 || recorded === true) expect(granted).toBe(PURPOSES.length);
      if (status === 503 && recorded === false) expect(granted).toBe(0);
    }
    for (const subject of acked) {
      const state = JSON.parse(
        (await timed(`${server.url}/v1/consent`, { headers: { ...AUTH, 'tactful-subject': subject } })).body,
      ) as { purposes: Record<string, { status: string }> };
      for (const p of PURPOSES) expect(state.purposes[p]?.status).toBe('granted');
    }
    // Writes work again.
    expect((await grantAll(server.url, 'after')).status).toBe(200);
  }, 90_000);
});
