import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** A command's outcome: its exit code and what it printed. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without a shell's help, to completion or until `timeoutMs` (then it is killed and
 * the result says so). Never rejects: the caller checks `code` and shows the output on failure.
 */
export function run(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs ?? 240_000,
        maxBuffer: 64 * 1024 * 1024,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const killed = error && (error as { killed?: boolean }).killed ? '\n(killed: timed out)' : '';
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + killed });
      },
    );
  });
}

/** A result's output, for assertion messages. */
export const shown = (r: RunResult): string =>
  `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/**
 * Starts Verdaccio with the repository's `verdaccio.yaml`, copied into `dir` (storage and users live
 * there), listening on 127.0.0.1 on a free port. Returns its URL (with a trailing slash) and a stop function.
 */
export async function startRegistry(
  configFile: string,
  dir: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config.yaml');
  copyFileSync(configFile, config);
  const { runServer } = (await import('verdaccio')) as unknown as {
    runServer(config: string): Promise<Server>;
  };
  const server = await runServer(config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Creates a registry user and returns its token (what `npm adduser` does). */
export async function addUser(url: string, name: string, password: string): Promise<string> {
  const res = await fetch(new URL(`-/user/org.couchdb.user:${name}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password, type: 'user', roles: [] }),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || typeof body.token !== 'string')
    throw new Error(`adduser: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** The paths and contents of a `.tgz` (an npm tarball), read with a minimal ustar reader. */
export function tarEntries(tgz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(tgz);
  const entries = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from: number, to: number) => header.toString('utf8', from, to).replace(/\0.*$/s, '');
    const prefix = text(345, 500);
    const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const size = Number.parseInt(text(124, 136).trim() || '0', 8);
    const type = text(156, 157);
    if (type === '0' || type === '') entries.set(name, tar.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/**
 * Serves one prebuilt better-sqlite3 binary the way its GitHub release does, for prebuild-install's
 * `npm_config_better_sqlite3_binary_host` mirror setting: this machine reaches the npm registry but
 * not GitHub, where the driver's prebuilt binaries live. The binary is the workspace's own build of
 * the same version for this Node.js; without it the driver compiles from source (about 3 minutes on
 * two cores), which is also what happens for a user on a platform without a prebuilt binary.
 */
export async function servePrebuilt(
  tarball: Buffer,
  file: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url?.endsWith(`/${file}`)) {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': tarball.length });
      res.end(tarball);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
