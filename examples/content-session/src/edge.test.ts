import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'tsup';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..', '..', 'packages');

describe('example: browsers and edge runtimes', () => {
  it('bundles for the browser without Node built-ins and runs in a bare context (no process, Buffer or require)', async () => {
    const outDir = join(here, '..', 'node_modules', '.cache', `edge-${process.pid}`);
    await build({
      config: false,
      silent: true,
      entry: { edge: join(here, 'edge-scenario.js') },
      outDir,
      format: ['iife'],
      globalName: 'edge',
      platform: 'browser',
      target: 'es2022',
      dts: false,
      noExternal: [/.*/],
      esbuildOptions(options) {
        // Each package's src folder: `@tactful/x` is its index.ts, `@tactful/x/y` its y.ts (as the exports map).
        options.alias = {
          ...Object.fromEntries(
            ['core', 'orchestrator', 'dynamic-content', 'anonymous-session'].map((p) => [
              `@tactful/${p}`,
              join(packages, p, 'src'),
            ]),
          ),
        };
      },
    });
    const code = readFileSync(join(outDir, 'edge.global.js'), 'utf8');
    rmSync(outDir, { recursive: true, force: true });
    // Only what the web platform offers; Node's process, Buffer, require and module are absent.
    const sandbox: Record<string, unknown> = {
      crypto: globalThis.crypto,
      console,
      TextEncoder,
      TextDecoder,
      URL,
      AbortController,
      AbortSignal,
      DOMException,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      structuredClone,
      performance,
      atob,
      btoa,
    };
    sandbox['globalThis'] = sandbox;
    const context = vm.createContext(sandbox);
    vm.runInContext(code, context);
    expect(vm.runInContext('typeof process + typeof Buffer + typeof require', context)).toBe(
      'undefinedundefinedundefined',
    );
    const result = await (context['edge'] as { scenario: () => Promise<Record<string, unknown>> }).scenario();
    expect(JSON.parse(JSON.stringify(result))).toEqual({
      hero: 'For you',
      categories: { kind: 'categories', order: ['kids', 'women'], top: ['kids'] },
      escaped: '<a href="about:invalid#tactful-unsafe-url">&lt;b&gt;</a>',
    });
  });
});
