import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the `tactful` executable when it is missing or older than its sources. */
export default function setup(): void {
  const bin = join(root, 'dist', 'bin.js');
  if (existsSync(bin) && statSync(bin).mtimeMs >= newest(join(root, 'src'))) return;
  execFileSync(process.execPath, [createRequire(import.meta.url).resolve('tsup/dist/cli-default.js')], {
    cwd: root,
    stdio: 'inherit',
  });
}
