// Writes the generated docs (configuration reference, recipes) from the built package.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedDocs } from '../dist/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
for (const [path, text] of Object.entries(generatedDocs())) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  process.stderr.write(`› wrote ${path}\n`);
}
