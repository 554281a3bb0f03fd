// The page and its script. The script is bundled once per process by esbuild from the installed
// packages' ESM builds (@openfeature/web-sdk, @tactful/openfeature/web, @tactful/client), in
// memory: nothing is copied into the example.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./flags.js', import.meta.url));
const KEY = Symbol.for('tactful.example.flags-bundle');

/** The page's script as one ES module (made on first use, then kept). */
export function flagsScript() {
  globalThis[KEY] ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  }).then(
    (result) => result.outputFiles[0].text,
    (error) => {
      // Not kept: the next request tries again (after the packages are built, say).
      globalThis[KEY] = undefined;
      throw new Error(
        `the page's script could not be bundled (build the packages first: pnpm turbo run build --filter=@tactful/example-fetch-handler...): ${error.message}`,
      );
    },
  );
  return globalThis[KEY];
}

/** The page: the hero flag, its OpenFeature reason and explanation, and the consent buttons. */
export const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Garden Shop — OpenFeature</title></head>
<body>
<main>
  <h1 id="hero">Welcome to the shop</h1>
  <p>Reason: <code id="reason"></code> <span id="degraded"></span> <span id="error"></span></p>
  <p>Why: <span id="why"></span></p>
  <p><button id="grant">Personalize for me</button> <button id="withdraw">Withdraw my consent</button></p>
  <p id="status" role="status"></p>
</main>
<script type="module" src="/assets/flags.js"></script>
</body>
</html>
`;
