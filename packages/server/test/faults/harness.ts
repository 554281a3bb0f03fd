import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Processes holding SQLite's locks: one copy, next to the store whose locks they are.
export {
  type HeldLock,
  havePython,
  holdLock,
  holdWalIndexLocks,
  holdWriteLock,
} from '../../../store-sqlite/src/fixtures/lock-holder.js';

const here = fileURLToPath(new URL('.', import.meta.url));
export const fixtures = join(here, 'fixtures');
const shopFixtures = join(here, '..', 'fixtures');

/** The bearer token of the suite's service caller. */
export const TOKEN = 'fault-suite-service-token-0123456789';
export const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
export const DECIDE_BODY = JSON.stringify({ slots: [{ id: 'home.hero' }, { id: 'home.banner' }] });
/** Three purposes the shop asks about. */
export const PURPOSES = ['personalization.contextual', 'personalization.profile', 'personalization.session'];

/** What the server process reports of its load. */
export interface ServerStatsLine {
  admitted: number;
  shed: Record<string, number>;
  lagMs: number;
  worstLagMs: number;
  /** The in-flight limit when read (it adapts between minConcurrent and maxConcurrent), requests in a slot, mean time in the server. */
  limit: number;
  active: number;
  sojournMs: number;
  storePending: number;
  storeRestarts: number;
}

/** A decision server in its own process, with its SQLite file. */
export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly dir: string;
  /** The SQLite file. */
  readonly database: string;
  /** The server's load figures (`TactfulServer.stats()`). */
  stats(): Promise<ServerStatsLine>;
  /** Ends one of the server's SQLite database threads (`worker.terminate()`), as a crash would. */
  killThread(role: 'writer' | 'reader'): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the shop's server in a child process (the built packages), data in `dataDir` (default: a
 * temp folder), with `limits` merged into the server section.
 */
export async function startServer(
  options: { dataDir?: string; limits?: Record<string, number>; timeouts?: Record<string, number> } = {},
): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'tactful-faults-'));
  cpSync(shopFixtures, dir, { recursive: true });
  const dataDir = options.dataDir ?? join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const text = readFileSync(join(dir, 'shop.config.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const config = JSON.parse(text) as Record<string, unknown>;
  // TACTFUL_FAULTS_THREAD=main runs the suite against SQLite on the server's own thread (the old way).
  config.storage = {
    driver: 'sqlite',
    directory: dataDir,
    thread: process.env.TACTFUL_FAULTS_THREAD ?? 'worker',
    // TACTFUL_FAULTS_READS=main-first: reads on the server's own thread first (storage.reads).
    reads: process.env.TACTFUL_FAULTS_READS ?? 'thread',
  };
  config.timeouts = { consentMs: 250, sourceMs: 300, strategyMs: 200, decisionMs: 1000, ...options.timeouts };
  if (process.env.TACTFUL_FAULTS_AUDIT === 'off') config.audit = { enabled: false };
  config.server = {
    tokens: [{ name: 'faults', sha256: createHash('sha256').update(TOKEN).digest('hex') }],
    limits: { ...options.limits },
  };
  const file = join(dir, 'faults.config.json');
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, [join(fixtures, 'serve.mjs'), file], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d;
    if (process.env.TACTFUL_DEBUG_ADMISSION) process.stderr.write(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onExit = (code: number | null) => reject(new Error(`the server exited (${code}): ${stderr}`));
    child.once('exit', onExit);
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        child.off('exit', onExit);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
  });
  return {
    url,
    child,
    dir,
    database: join(dataDir, 'tactful.sqlite'),
    stats: () =>
      new Promise((resolve) => {
        let out = '';
        const onData = (d: Buffer) => {
          out += d;
          const line = out.split('\n').find((l) => l.startsWith('{"stats"'));
          if (line) {
            child.stdout?.off('data', onData);
            resolve((JSON.parse(line) as { stats: ServerStatsLine }).stats);
          }
        };
        child.stdout?.on('data', onData);
        child.stdin?.write('stats\n');
      }),
    killThread: (role) =>
      new Promise((resolve) => {
        let out = '';
        const onData = (d: Buffer) => {
          out += d;
          if (out.split('\n').some((l) => l.startsWith('{"killed"'))) {
            child.stdout?.off('data', onData);
            resolve();
          }
        };
        child.stdout?.on('data', onData);
        child.stdin?.write(`kill-thread ${role}\n`);
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A timed request: status, body and how long it took (ms). */
export async function timed(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: string; ms: number; headers: Headers }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: init.body }),
    signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
  });
  const body = await response.text();
  return { status: response.status, body, ms: performance.now() - started, headers: response.headers };
}

/** Records consent for `subject` through the service API: every purpose granted, in one request. */
export function grantAll(url: string, subject: string, purposes = PURPOSES) {
  return timed(`${url}/v1/consent`, {
    headers: { ...AUTH, 'tactful-subject': subject },
    body: JSON.stringify({ grant: purposes }),
  });
}

/** Runs a bounded autocannon flood from a process of its own. */
export function flood(
  url: string,
  connections: number,
  seconds: number,
): Promise<{
  statuses: Record<string, number>;
  total: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Latency of the answers (200) and of the sheds (503) apart, ms. */
  answered: { p50: number; p99: number; max: number };
  shed: { p50: number; p99: number; max: number };
  /** 503 answers without a Retry-After header. */
  noRetryAfter: number;
  errors: number;
  timeouts: number;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(fixtures, 'flood.mjs'),
        url,
        String(connections),
        String(seconds),
        JSON.stringify(AUTH),
        DECIDE_BODY,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d));
    child.stderr?.on('data', (d: Buffer) => (err += d));
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`flood: ${err}`)),
    );
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
