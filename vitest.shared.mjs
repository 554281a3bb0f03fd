import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('./packages', import.meta.url));

/**
 * Tests import the workspace packages by their public names; these aliases point those names (and
 * their subpaths, `@tactful/x/y` → `packages/x/src/y.ts`) at the sources, so a test run never
 * depends on a stale build.
 */
export const workspaceAliases = readdirSync(packagesDir)
  .filter((dir) => existsSync(join(packagesDir, dir, 'src', 'index.ts')))
  .flatMap((dir) => [
    { find: new RegExp(`^@tactful/${dir}$`), replacement: join(packagesDir, dir, 'src', 'index.ts') },
    { find: new RegExp(`^@tactful/${dir}/(.+)$`), replacement: join(packagesDir, dir, 'src', '$1.ts') },
  ]);
