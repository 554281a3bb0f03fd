import { CORE_VERSION } from '@tactful/core';

/** What `tactful create-plugin` needs to know. */
export interface PluginScaffoldOptions {
  /** The package name: `tactful-plugin-<name>` or `@scope/tactful-<name>`. */
  packageName: string;
  /** The version range of `@tactful/core` the plugin supports (default `^` the installed core). */
  coreRange?: string;
  /** Versions of the dev tools written into package.json. */
  versions?: Partial<typeof TOOL_VERSIONS>;
}

/** Dev tool versions the scaffold pins (known to work together on Node 20). */
export const TOOL_VERSIONS = {
  '@tactful/core': CORE_VERSION,
  '@tactful/testing': CORE_VERSION,
  vitest: '4.1.12',
  'fast-check': '4.10.2',
  typescript: '5.9.3',
  tsup: '8.5.1',
  publint: '0.3.25',
  '@arethetypeswrong/cli': '0.18.5',
} as const;

const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/**
 * The package name for a plugin name: `happy-hour` → `tactful-plugin-happy-hour`; names that are
 * already `tactful-plugin-*` or scoped (`@acme/tactful-happy-hour`) are kept. Returns an error
 * message for a name npm would refuse.
 */
export function pluginPackageName(name: string): { ok: true; name: string } | { ok: false; message: string } {
  const trimmed = name.trim();
  if (!PACKAGE_NAME.test(trimmed) || trimmed.length > 214) {
    return {
      ok: false,
      message: `"${name}" is not a valid package name: use lower-case letters, digits and - (e.g. "happy-hour" or "@acme/tactful-happy-hour")`,
    };
  }
  if (trimmed.startsWith('@') || trimmed.startsWith('tactful-plugin-')) return { ok: true, name: trimmed };
  return { ok: true, name: `tactful-plugin-${trimmed}` };
}

/** The part of a package name that names the plugin: `tactful-plugin-happy-hour` → `happy-hour`. */
export function pluginSlug(packageName: string): string {
  const bare = packageName.replace(/^@[^/]+\//, '');
  return bare.replace(/^tactful-plugin-/, '').replace(/^tactful-/, '') || bare;
}

/** `happy-hour` → `happyHour` (a factory is a noun: `happyHour(options)`). */
export function factoryName(slug: string): string {
  const words = slug.split(/[^a-zA-Z0-9]+/).filter((w) => w !== '');
  const camel = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0]?.toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
  return /^[a-z]/.test(camel) ? camel : `plugin${camel[0]?.toUpperCase() ?? ''}${camel.slice(1)}`;
}

/**
 * The files of a vendor plugin package: a strategy written against `@tactful/core` alone, its
 * options checked by hand with messages naming the field, the conformance suite of
 * `@tactful/testing` wired in, a behaviour test, build, typecheck and package lint scripts.
 * Paths are relative to the package folder.
 */
export function pluginFiles(options: PluginScaffoldOptions): Record<string, string> {
  const pkg = options.packageName;
  const slug = pluginSlug(pkg);
  const factory = factoryName(slug);
  const v = { ...TOOL_VERSIONS, ...options.versions };
  const coreRange = options.coreRange ?? `^${v['@tactful/core']}`;
  const optionsType = `${factory[0]?.toUpperCase()}${factory.slice(1)}Options`;
  const packageJson = {
    name: pkg,
    version: '0.1.0',
    description: `A Tactful strategy: ${slug}.`,
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    keywords: ['tactful-plugin', 'tactful', 'personalization'],
    exports: {
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
      './package.json': './package.json',
    },
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.cts',
    files: ['dist'],
    scripts: {
      build: 'tsup',
      test: 'vitest run',
      typecheck: 'tsc -p tsconfig.json',
      'lint:package': 'publint --strict && attw --pack . --profile node16',
      prepublishOnly: 'npm run typecheck && npm test && npm run build && npm run lint:package',
    },
    peerDependencies: { '@tactful/core': coreRange },
    devDependencies: {
      '@arethetypeswrong/cli': v['@arethetypeswrong/cli'],
      '@tactful/core': v['@tactful/core'],
      '@tactful/testing': v['@tactful/testing'],
      'fast-check': v['fast-check'],
      publint: v.publint,
      tsup: v.tsup,
      typescript: v.typescript,
      vitest: v.vitest,
    },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023', 'DOM'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    },
    include: ['src', '*.ts'],
  };
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'tsup.config.ts': `import { defineConfig } from 'tsup';

// ESM and CJS with types for both; no Node-only code, so it runs in browsers and edge runtimes too.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
});
`,
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['src/**/*.test.ts'] },
});
`,
    '.gitignore': 'node_modules/\ndist/\n',
    'src/index.ts': `/**
 * \`${pkg}\`: a Tactful strategy, written against \`@tactful/core\` alone.
 *
 * @packageDocumentation
 */
export { ${factory}, parse${optionsType}, type ${optionsType} } from './${slug}.js';
`,
    [`src/${slug}.ts`]: `import { TactfulError, type TactfulIssue, defineStrategy, type StrategyOutput } from '@tactful/core';

/** Options of {@link ${factory}}. */
export interface ${optionsType} {
  /** The slot this strategy fills, e.g. \`home.banner\`. */
  slot: string;
  /** Pages whose path starts with this prefix get the content, e.g. \`/sale\`. */
  pathPrefix: string;
  /** The content: any JSON value the application renders. */
  content: unknown;
  /** Score of the proposal in [0, 1]; default 0.5. */
  score?: number;
}

const SLOT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Checks the options, naming every bad field and how to fix it.
 *
 * @throws TactfulError \`INVALID_OPTIONS\`
 */
export function parse${optionsType}(options: ${optionsType}): Required<${optionsType}> {
  const o = (options ?? {}) as Partial<${optionsType}>;
  const issues: TactfulIssue[] = [];
  if (typeof o.slot !== 'string' || !SLOT_ID.test(o.slot)) issues.push({ path: ['slot'], message: 'use a slot id such as "home.banner"' });
  if (typeof o.pathPrefix !== 'string' || !o.pathPrefix.startsWith('/')) issues.push({ path: ['pathPrefix'], message: 'use a path starting with "/", e.g. "/sale"' });
  if (o.content === undefined) issues.push({ path: ['content'], message: 'give the content as a JSON value' });
  if (o.score !== undefined && !(typeof o.score === 'number' && o.score >= 0 && o.score <= 1)) issues.push({ path: ['score'], message: 'use a number from 0 to 1' });
  if (issues.length > 0) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      \`${pkg}: invalid options: \${issues.map((i) => \`\${i.path.join('.')}: \${i.message}\`).join('; ')}\`,
      { plugin: '${pkg}', issues, path: issues[0]?.path ?? [] },
    );
  }
  const valid = o as ${optionsType};
  return { slot: valid.slot, pathPrefix: valid.pathPrefix, content: structuredClone(valid.content), score: valid.score ?? 0.5 };
}

function pathOf(page: unknown): string | undefined {
  if (typeof page !== 'object' || page === null) return undefined;
  const url = (page as { url?: unknown }).url;
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url, 'https://example.invalid').pathname;
  } catch {
    return undefined;
  }
}

/**
 * Fills one slot with your content on pages under a path. It reads only the page being viewed
 * (\`context.page\`, for contextual personalization): no identity, no history.
 *
 * @example
 * \`\`\`ts
 * const strategy = ${factory}({ slot: 'home.banner', pathPrefix: '/sale', content: { banner: 'sale' } });
 * const engine = createOrchestrator({ consent, strategies: [strategy] });
 * \`\`\`
 */
export function ${factory}(options: ${optionsType}) {
  const o = parse${optionsType}(options);
  return defineStrategy({
    manifest: {
      name: '${pkg}',
      version: '0.1.0',
      core: '${coreRange}',
      description: { en: 'Shows content on pages under ${'${'}o.pathPrefix}', vi: 'Hiển thị nội dung trên các trang thuộc ${'${'}o.pathPrefix}' },
      purposes: ['personalization.contextual'],
      reads: [
        {
          category: 'context.page',
          purpose: 'personalization.contextual',
          why: { en: 'To show content that fits the page you are on', vi: 'Để hiển thị nội dung phù hợp với trang bạn đang xem' },
        },
      ],
      signals: { publishes: [], reads: [] },
    },
    decide(input, { signal }): StrategyOutput {
      signal.throwIfAborted();
      const path = pathOf(input.data['context.page']);
      const wanted = input.slots.some((s) => s.id === o.slot);
      if (!wanted || path === undefined || !path.startsWith(o.pathPrefix)) return { proposals: [] };
      return {
        proposals: [
          {
            slot: o.slot,
            content: structuredClone(o.content),
            score: o.score,
            origin: 'contextual',
            reason: { en: \`You are on a page under \${o.pathPrefix}.\`, vi: \`Bạn đang xem một trang thuộc \${o.pathPrefix}.\` },
            categories: ['context.page'],
          },
        ],
      };
    },
  });
}
`,
    [`src/${slug}.test.ts`]: `import { callContext, describeStrategyConformance, strategyInput } from '@tactful/testing';
import { expect, it } from 'vitest';
import { ${factory} } from './${slug}.js';

const options = { slot: 'home.banner', pathPrefix: '/sale', content: { banner: 'sale' } };

// The conformance kit: the same suite every first-party strategy passes.
describeStrategyConformance('${pkg}', {
  create: () => ${factory}(options),
  sampleInput: { slots: ['home.banner'], data: { 'context.page': { url: 'https://shop.example/sale/shoes' } } },
  additionalTests: (ctx) => {
    it('proposes its content on a page under the prefix, and nothing elsewhere', async () => {
      const granted = ['personalization.contextual'];
      const on = await ctx.plugin.decide(
        strategyInput({ slots: ['home.banner'], data: { 'context.page': { url: '/sale/shoes' } }, granted }),
        callContext(),
      );
      expect(on.proposals.map((p) => p.content)).toEqual([{ banner: 'sale' }]);
      const off = await ctx.plugin.decide(
        strategyInput({ slots: ['home.banner'], data: { 'context.page': { url: '/about' } }, granted }),
        callContext(),
      );
      expect(off.proposals).toEqual([]);
    });
  },
});

it('refuses bad options, naming each field', () => {
  expect(() => ${factory}({ slot: '', pathPrefix: 'sale', content: undefined })).toThrow(/slot.*pathPrefix.*content/);
});
`,
    'README.md': `# ${pkg}

A [Tactful](https://www.npmjs.com/package/@tactful/core) strategy: fills a slot with your content on
pages under a path. It reads only the page being viewed (\`context.page\`, purpose
\`personalization.contextual\`), so the privacy notice generated from its manifest says exactly that.

\`\`\`sh
npm install ${pkg} @tactful/core
\`\`\`

\`\`\`ts
import { ${factory} } from '${pkg}';

const strategy = ${factory}({ slot: 'home.banner', pathPrefix: '/sale', content: { banner: 'sale' } });
\`\`\`

| option | type | default | meaning |
| --- | --- | --- | --- |
| \`slot\` | slot id | required | the slot it fills |
| \`pathPrefix\` | \`/path\` | required | pages whose path starts with it get the content |
| \`content\` | JSON | required | what the application renders |
| \`score\` | 0–1 | \`0.5\` | the proposal's score when merging |

In a configuration file: \`"plugins": [{ "module": "${pkg}", "export": "${factory}", "options": { … } }]\`.

## Develop

\`\`\`sh
npm test               # the conformance kit of @tactful/testing + your own tests
npm run typecheck
npm run build && npm run lint:package
\`\`\`
`,
  };
}
