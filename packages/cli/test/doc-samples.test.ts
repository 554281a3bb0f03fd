import { describe, expect, it } from 'vitest';
import { fencedBlocks, installedNames, pageModule, repoCommands, unrunReason } from './doc-samples.js';

const page = (...blocks: string[]): string => blocks.join('\n\nSome prose.\n\n');

describe('fencedBlocks', () => {
  it('finds every block with its language, marks and line, indented ones and those in comments too', () => {
    const markdown = page(
      '# Title',
      '```ts runnable file=a.ts\nconst a = 1;\n```',
      '- a list item:\n\n  ```json runnable condition matches=true\n  { "a": 1 }\n  ```',
      '<!--\n```ts runnable\nconst hidden = 2;\n```\n-->',
      '```\nplain\n```',
    );
    const blocks = fencedBlocks(markdown, 'docs/x.md');
    expect(blocks.map((b) => [b.lang, b.attrs, b.line])).toEqual([
      ['ts', { runnable: true, file: 'a.ts' }, 5],
      ['json', { runnable: true, condition: true, matches: 'true' }, 13],
      ['ts', { runnable: true }, 20],
      ['', {}, 27],
    ]);
    expect(blocks[1]?.code).toBe('  { "a": 1 }\n'); // the list's indentation stays: JSON and ts don't mind
  });
});

describe('unrunReason', () => {
  const block = (fence: string): Parameters<typeof unrunReason>[0] => {
    const [found] = fencedBlocks(`${fence}\nx\n\`\`\``, 'p.md');
    if (!found) throw new Error('no block');
    return found;
  };

  it('accepts runnable blocks, listings, fragments of a page that runs ts, install and repo blocks', () => {
    expect(unrunReason(block('```ts runnable'), false)).toBe('runnable');
    expect(unrunReason(block('```text'), false)).toBe('text is not code');
    expect(unrunReason(block('```ts fragment'), true)).toBe('fragment');
    expect(unrunReason(block('```sh install'), false)).toBe('install');
    expect(unrunReason(block('```sh repo'), false)).toBe('repo');
  });

  it('refuses unmarked code, unlabelled blocks, and fragments of a page that runs no ts', () => {
    for (const fence of ['```ts', '```json', '```sh', '```js', '```bash', '```']) {
      expect(unrunReason(block(fence), true), fence).toBeUndefined();
    }
    expect(unrunReason(block('```ts fragment'), false)).toBeUndefined();
    expect(unrunReason(block('```sh fragment'), true)).toBeUndefined();
    expect(unrunReason(block('```json install'), true)).toBeUndefined();
  });
});

describe('installedNames and repoCommands', () => {
  it('list the packages of install lines and refuse any other command', () => {
    expect(
      installedNames(
        'mkdir my-shop && cd my-shop\nnpm init -y\nnpm install --save-dev @tactful/cli\npnpm add @tactful/core zod\n',
      ),
    ).toEqual(['@tactful/cli', '@tactful/core', 'zod']);
    expect(() => installedNames('npm install a\ncurl https://example.com | sh')).toThrow(
      /not an install command/,
    );
  });

  it('list the filtered scripts of repo blocks and refuse any other command', () => {
    expect(repoCommands('pnpm install && pnpm build\npnpm --filter @tactful/x start   # comment\n')).toEqual([
      { filter: '@tactful/x', script: 'start' },
    ]);
    expect(() => repoCommands('rm -rf /')).toThrow(/not a pnpm command/);
  });
});

describe('pageModule', () => {
  const sample = (code: string, line = 10, attrs: Record<string, string | true> = { runnable: true }) => ({
    page: 'docs/p.md',
    line,
    lang: 'ts',
    attrs,
    code,
  });

  it('hoists and merges the imports of all samples, and keeps their code in order', () => {
    const { source } = pageModule([
      sample("import { a } from 'x';\nimport type { T } from 'x';\nconst one = a;\n"),
      sample("import { a, b } from 'x';\nimport d from 'y';\nconst two = b(one);\n", 20),
    ]);
    expect(source).toContain('import { a, b, type T } from "x";');
    expect(source).toContain('import d from "y";');
    expect(source.indexOf('const one = a;')).toBeLessThan(source.indexOf('const two = b(one);'));
    expect(source.match(/^import /gm)).toHaveLength(3); // x, y and the checks
  });

  it('turns `// → value` comments into checks naming page and line, and `// → throws CODE` into expected errors', () => {
    const { source, lines } = pageModule([
      sample('const x = 1 + 1; // → 2\nx * 2; // → 4 — a note\nparse("{"); // → throws INVALID_INPUT\n'),
    ]);
    expect(source).toContain('__docCheck(x, (2), "docs/p.md:11");');
    expect(source).toContain('__docCheck(await (x * 2), (4), "docs/p.md:12");');
    expect(source).toContain(
      'await __docThrows(async () => {\nparse("{");\n}, "INVALID_INPUT", "docs/p.md:13");',
    );
    const at = source.split('\n').findIndex((l) => l.startsWith('__docCheck(await (x * 2)'));
    expect(lines[at]).toBe('docs/p.md:12');
  });

  it('gives an isolated sample its own block', () => {
    const { source } = pageModule([sample('const a = 1;\n', 10, { runnable: true, isolated: true })]);
    expect(source).toMatch(/\{\nconst a = 1;\n\}/);
  });

  it('refuses a check it cannot attach to a value', () => {
    expect(() => pageModule([sample('const { a } = { a: 1 }; // → 1\n')])).toThrow(/destructuring/);
    expect(() => pageModule([sample('if (true) {} // → 1\n')])).toThrow(/can follow an expression/);
  });
});
