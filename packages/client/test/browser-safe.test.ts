// The client runs in pages and workers: no Node built-ins, and nothing of @tactful/core (or any
// other package) at run time — core is imported for its types only, so the bundle stays small.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const files = readdirSync(src).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('the sources a page loads', () => {
  it.each(files)('%s imports only its own modules at run time, and core only as types', (file) => {
    const text = readFileSync(src + file, 'utf8');
    const imports = [...text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)];
    expect(files.length).toBeGreaterThan(4);
    for (const [, , typeOnly, from] of imports) {
      expect(from, file).not.toMatch(/^node:/);
      if (!from!.startsWith('./')) {
        expect(typeOnly, `${file}: "${from}" only as \`import type\``).toBeDefined();
        expect(from).toBe('@tactful/core');
      }
    }
  });
});
