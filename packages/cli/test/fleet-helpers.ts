import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from './run-cli.js';

/** The PostgreSQL and Redis of the tests (`.ci/services.sh` starts them); failing, not skipping, when absent. */
export const PG_URL =
  process.env.TACTFUL_TEST_PG_URL ?? 'postgres://tactful:tactful@127.0.0.1:5432/tactful_test';
export const REDIS_URL = process.env.TACTFUL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const FLEET_SECRET = 'fleet-test-secret-0123456789abcdefghijklmnop';
export const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

const serverFixtures = fileURLToPath(new URL('../../server/test/fixtures/', import.meta.url));

/** Writes the server tests' shop, on PostgreSQL (a fresh schema) and Redis (a fresh prefix), into `dir`. */
export function writeFleetConfig(
  dir: string,
  options: { rightsPerHour?: number } = {},
): { schema: string; prefix: string; file: string } {
  const schema = `t_fleet_${randomBytes(4).toString('hex')}`;
  const prefix = `test:${schema}:`;
  const text = readFileSync(join(serverFixtures, 'shop.config.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const config = JSON.parse(text);
  config.storage = { driver: 'postgres', url: '${env:DATABASE_URL}', schema };
  config.cache = { driver: 'redis', url: '${env:REDIS_URL}', keyPrefix: prefix };
  config.server = { limits: { rightsPerHour: options.rightsPerHour ?? 10 } };
  writeFileSync(join(dir, 'catalog.json'), readFileSync(join(serverFixtures, 'catalog.json')));
  const file = join(dir, 'tactful.config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return { schema, prefix, file };
}

/** One `tactful serve` process of the fleet. */
export interface FleetServer {
  url: string;
  child: ChildProcess;
  stderr: string[];
  stop(): Promise<void>;
}

/** Starts `tactful serve` on an ephemeral port of 127.0.0.1 and waits until it listens. */
export function startServer(dir: string, env: Record<string, string> = {}): Promise<FleetServer> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: dir,
    env: {
      ...process.env,
      NO_COLOR: '1',
      DATABASE_URL: PG_URL,
      REDIS_URL,
      TACTFUL_SECRET: FLEET_SECRET,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tactful serve did not start in 30 s:\n${stderr.join('')}`));
    }, 30_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr.push(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(stderr.join(''));
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1] as string,
          child,
          stderr,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tactful serve exited with ${code} before listening:\n${stderr.join('')}`));
    });
  });
}

/** A browser behind a round-robin load balancer: keeps its cookies, sends each request to the next server. */
export interface FleetBrowser {
  cookies: Map<string, string>;
  /** Sends to server `at` (default: the next one in turn). */
  json<T = Record<string, unknown>>(
    path: string,
    init?: { method?: string; body?: unknown; at?: number },
  ): Promise<{ status: number; body: T; server: number }>;
}

export function fleetBrowser(urls: () => string[]): FleetBrowser {
  const cookies = new Map<string, string>();
  let turn = 0;
  return {
    cookies,
    async json(path, init = {}) {
      const list = urls();
      const server = init.at ?? turn++ % list.length;
      const url = list[server] as string;
      const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
      const response = await fetch(url + path, {
        method,
        headers: {
          'user-agent': PHONE_UA,
          origin: url,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(cookies.size > 0 ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(20_000),
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = (pair as string).indexOf('=');
        const name = (pair as string).slice(0, eq);
        const value = (pair as string).slice(eq + 1);
        if (value === '' || /max-age=0/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as never, server };
    },
  };
}
