import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Tactful,
  type TactfulConfigInput,
  TactfulConfigSchema,
  createTactful,
  loadConfig,
} from '@tactful/config';
import {
  type ListeningServer,
  type ServerLogEntry,
  type ServerOptions,
  type TactfulServer,
  createServer,
} from '@tactful/server';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

/** A running server on 127.0.0.1 with SQLite in a temp folder, its logs captured. */
export interface Harness {
  server: TactfulServer;
  listening: ListeningServer;
  url: string;
  logs: ServerLogEntry[];
  dir: string;
  /** A browser: keeps cookies, sends Origin = the server's own by default. */
  browser(defaults?: { userAgent?: string; origin?: string | null }): Browser;
  stop(): Promise<void>;
}

/** A small cookie-keeping client. */
export interface Browser {
  cookies: Map<string, string>;
  /** The raw Set-Cookie lines of the last answer. */
  lastSetCookie: string[];
  fetch(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  json<T = Record<string, unknown>>(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; response: Response }>;
}

/** Overrides merged into the fixture configuration (top-level sections replaced). */
export type ConfigPatch = Partial<TactfulConfigInput>;

/** Makes the assembly of the fixture shop in a temp folder (SQLite). */
export async function shopAssembly(patch: ConfigPatch = {}): Promise<{ tactful: Tactful; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tactful-server-'));
  cpSync(fixtures, dir, { recursive: true });
  const { config, baseDir } = await loadConfig(join(dir, 'shop.config.json'));
  const merged = TactfulConfigSchema.parse({ ...config, ...patch });
  const tactful = await createTactful(merged, { baseDir });
  return { tactful, dir };
}

/** Starts the fixture shop's server. `wrap` may replace parts of the assembly (a slow engine ...). */
export async function startShop(
  options: { patch?: ConfigPatch; server?: ServerOptions; wrap?: (tactful: Tactful) => Tactful } = {},
): Promise<Harness> {
  const { tactful, dir } = await shopAssembly(options.patch);
  const logs: ServerLogEntry[] = [];
  const assembly = options.wrap ? options.wrap(tactful) : tactful;
  const server = await createServer(assembly, { log: (e) => logs.push(e), ...options.server });
  const listening = await server.listen({ port: 0, host: '127.0.0.1' });
  const url = listening.url;
  return {
    server,
    listening,
    url,
    logs,
    dir,
    browser: (defaults = {}) => browser(url, defaults),
    async stop() {
      await server.close();
      await tactful.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function browser(url: string, defaults: { userAgent?: string; origin?: string | null }): Browser {
  const cookies = new Map<string, string>();
  const b: Browser = {
    cookies,
    lastSetCookie: [],
    async fetch(path, init = {}) {
      const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
      const headers: Record<string, string> = {
        'user-agent': defaults.userAgent ?? PHONE_UA,
        ...(defaults.origin === null ? {} : { origin: defaults.origin ?? url }),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookies.size > 0 ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...init.headers,
      };
      const response = await fetch(url + path, {
        method,
        headers,
        ...(init.body === undefined
          ? {}
          : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      });
      b.lastSetCookie = response.headers.getSetCookie();
      for (const line of b.lastSetCookie) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        const name = pair!.slice(0, eq);
        const value = pair!.slice(eq + 1);
        if (value === '' || /max-age=0/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
      return response;
    },
    async json(path, init) {
      const response = await b.fetch(path, init);
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as never, response };
    },
  };
  return b;
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
