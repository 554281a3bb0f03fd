#!/usr/bin/env node
/**
 * Where the bytes of a size-limit check go, module by module.
 *
 *   node scripts/size-report.mjs [name-part] [--top N]
 *
 * For each check of `.size-limit.json` whose name contains `name-part` (all checks when absent),
 * bundles its imports with the esbuild that size-limit itself uses, with the same settings
 * (bundle, tree-shaking, minified identifiers, syntax and whitespace; `ignore` as external), and
 * prints the total (minified, gzipped) and, per input module, its minified bytes and its gzip share.
 * (size-limit subtracts what an empty esbuild project weighs, so it reports some 40 B less.)
 *
 * The gzip share of a module is what the gzipped bundle loses when that module's code is left out:
 * gzip compresses text against what came before it, so a module that repeats its neighbours costs
 * less than its size says, and one full of unique text (messages, tables) costs more. It is
 * measured on a bundle whose identifiers are not minified (esbuild only marks modules there), so
 * read it as a ranking and a ratio, not as exact bytes. Build the packages first (`pnpm build`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(resolve(root, 'package.json'));
// The esbuild that @size-limit/esbuild runs, so the figures are the ones size-limit judges.
const esbuild = createRequire(require.resolve('@size-limit/esbuild'))('esbuild');

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 40;
const filter = args.find((a, i) => !a.startsWith('--') && i !== topAt + 1);
if (!Number.isInteger(top) || top < 0) {
  console.error('size-report: --top takes a whole number of rows, e.g. --top 20');
  process.exit(2);
}

const checks = JSON.parse(readFileSync(resolve(root, '.size-limit.json'), 'utf8'));
const chosen = checks.filter((c) => filter === undefined || c.name.includes(filter));
if (chosen.length === 0) {
  console.error(`size-report: no check of .size-limit.json has "${filter}" in its name`);
  process.exit(2);
}

const gz = (text) => gzipSync(text, { level: 9 }).length;
const short = (path) => path.replace(/^.*?packages\//, '').replace(/^.*node_modules\//, 'node_modules/');

/** The entry module size-limit writes for a check's `import` map. */
function entryOf(check) {
  if (!check.import) throw new Error(`size-report: check "${check.name}" has no "import" map`);
  return Object.entries(check.import)
    .map(([file, names]) => `export ${names} from ${JSON.stringify(resolve(root, file))};`)
    .join('\n');
}

async function bundle(check, minify) {
  const result = await esbuild.build({
    stdin: { contents: entryOf(check), resolveDir: root, loader: 'js' },
    bundle: true,
    treeShaking: true,
    minifySyntax: true,
    minifyIdentifiers: minify,
    minifyWhitespace: minify,
    external: check.ignore ?? [],
    format: 'esm',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  return result;
}

for (const check of chosen) {
  const min = await bundle(check, true);
  const code = min.outputFiles[0].text;
  const inputs = Object.values(min.metafile.outputs)[0].inputs;

  // Module boundaries are only marked (`// path` comments) when whitespace is kept.
  const readable = (await bundle(check, false)).outputFiles[0].text;
  const chunks = readable.split(/^(?=\/\/ \S+\.[cm]?[jt]sx?$)/m).map((chunk) => {
    const name = /^\/\/ (\S+)/.exec(chunk)?.[1] ?? '(entry)';
    let body;
    try {
      body = esbuild.transformSync(chunk, { loader: 'js', minifyWhitespace: true }).code;
    } catch {
      // The bundle's closing `export { ... }` names bindings of other chunks: keep it as written.
      body = chunk.replace(/^\/\/.*$/gm, '').replace(/\s+/g, ' ');
    }
    return { name: short(name), body };
  });
  const whole = gz(chunks.map((c) => c.body).join('\n'));
  const share = new Map(
    chunks.map((c, i) => [
      c.name,
      whole -
        gz(
          chunks
            .filter((_, j) => j !== i)
            .map((x) => x.body)
            .join('\n'),
        ),
    ]),
  );

  console.log(`\n${check.name}`);
  console.log(`  ${code.length} B minified, ${gz(code)} B gzipped (limit ${check.limit})`);
  const rows = Object.entries(inputs)
    .map(([file, v]) => ({ name: short(file), bytes: v.bytesInOutput }))
    .filter((r) => r.bytes > 0)
    .sort((a, b) => (share.get(b.name) ?? 0) - (share.get(a.name) ?? 0) || b.bytes - a.bytes);
  console.log('  gzip share  minified  module');
  for (const r of rows.slice(0, top)) {
    const s = share.get(r.name);
    console.log(`  ${String(s ?? '?').padStart(10)}  ${String(r.bytes).padStart(8)}  ${r.name}`);
  }
  if (rows.length > top) console.log(`  … ${rows.length - top} more (--top ${rows.length} lists all)`);
}
