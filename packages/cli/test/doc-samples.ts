import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * A fenced code block of a docs page: ```` ```sh runnable ````, ```` ```json runnable config file=tactful.config.json ````,
 * ```` ```ts fragment ````, ```` ```text ```` …
 */
export interface DocSample {
  /** The page it is on, from the repository root. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** `sh`, `json`, `ts` … (empty when the fence names no language) */
  lang: string;
  /** Words after the language: `runnable`, `config`, `request`, `file=<name>`, `exit=<code>`, `isolated` … */
  attrs: Record<string, string | true>;
  code: string;
}

const FENCE = /^(`{3,})([A-Za-z0-9_-]*)([^\n`]*)\n([\s\S]*?)^\1[ \t]*$/gm;

/** Every fenced block of a Markdown page, in order (indented fences inside list items included). */
export function fencedBlocks(markdown: string, page: string): DocSample[] {
  const samples: DocSample[] = [];
  const unindented = markdown.replace(/^[ \t]+(?=`{3,})/gm, '');
  for (const match of unindented.matchAll(FENCE)) {
    const [, , lang = '', info = '', code = ''] = match;
    const attrs: Record<string, string | true> = {};
    for (const word of info.trim().split(/\s+/).filter(Boolean)) {
      const eq = word.indexOf('=');
      if (eq > 0) attrs[word.slice(0, eq)] = word.slice(eq + 1);
      else attrs[word] = true;
    }
    const line = unindented.slice(0, match.index).split('\n').length;
    samples.push({ page, line, lang, attrs, code });
  }
  return samples;
}

/** Every fenced block marked `runnable` in a Markdown page, in order. */
export function runnableSamples(markdown: string, page: string): DocSample[] {
  return fencedBlocks(markdown, page).filter((s) => s.attrs.runnable === true);
}

/** Languages whose blocks must run (or say why not): code a reader may copy. */
export const CODE_LANGS = new Set([
  'ts',
  'typescript',
  'js',
  'javascript',
  'mjs',
  'json',
  'jsonc',
  'sh',
  'bash',
  'shell',
]);

/**
 * Why a block escapes the runner, or undefined when that is not allowed. Allowed: output listings
 * (```` ```text ````), `fragment` blocks of a page whose runnable ts samples hold them in full,
 * `install` blocks (`npm install @tactful/…`, checked against the workspace's package names) and
 * `repo` blocks (pnpm commands run in a checkout of the repository, checked against its scripts).
 */
export function unrunReason(sample: DocSample, pageHasRunnableTs: boolean): string | undefined {
  if (sample.attrs.runnable === true) return 'runnable';
  if (!CODE_LANGS.has(sample.lang)) return sample.lang === '' ? undefined : `${sample.lang} is not code`;
  if (sample.attrs.fragment === true && pageHasRunnableTs && sample.lang !== 'sh') return 'fragment';
  if (sample.attrs.install === true && sample.lang === 'sh') return 'install';
  if (sample.attrs.repo === true && sample.lang === 'sh') return 'repo';
  return undefined;
}

/** The `@tactful/*` packages an `install` block names. */
export function installedNames(code: string): string[] {
  const names: string[] = [];
  for (const line of code.split('\n')) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0 || words[0]?.startsWith('#')) continue;
    // The folder and package.json an install goes into.
    if (/^mkdir \S+ && cd \S+$/.test(line.trim()) || /^npm init( -y)?$/.test(line.trim())) continue;
    if (!/^(npm|pnpm|yarn)$/.test(words[0] ?? '') || !/^(install|i|add)$/.test(words[1] ?? '')) {
      throw new Error(`not an install command: ${line}`);
    }
    names.push(...words.slice(2).filter((w) => !w.startsWith('-')));
  }
  return names;
}

/** The `pnpm --filter <package> <script>` commands of a `repo` block (`pnpm install` and `pnpm build` need no check). */
export function repoCommands(code: string): Array<{ filter: string; script: string }> {
  const commands: Array<{ filter: string; script: string }> = [];
  for (const line of code.split('\n')) {
    for (const command of line
      .replace(/#.*$/, '')
      .split('&&')
      .map((c) => c.trim())
      .filter(Boolean)) {
      if (/^pnpm (install|build)$/.test(command)) continue;
      const filtered = /^pnpm --filter (\S+) (?:run )?(\S+)$/.exec(command);
      if (!filtered?.[1] || !filtered[2]) throw new Error(`not a pnpm command of the repository: ${command}`);
      commands.push({ filter: filtered[1], script: filtered[2] });
    }
  }
  return commands;
}

/** Where a line of a generated page module came from. */
export interface PageModule {
  source: string;
  /** `lines[i]` is `page:line` of line i + 1 of `source` (empty for generated lines). */
  lines: string[];
}

/** The module a page's samples import their checks from. */
const CHECKER = fileURLToPath(new URL('./doc-check.ts', import.meta.url));

const CHECK = /^\s*\/\/\s*→\s*(.*)$/;

/**
 * One TypeScript module running every `ts runnable` sample of a page in order, in one scope (a
 * sample marked `isolated` gets its own block, so its names don't clash with the next sample's).
 * Imports are hoisted and merged. A statement ending in a `// → <value>` comment (optionally followed
 * by ` — <a note>`) is checked: its
 * value (or the declared variable) must deeply equal `<value>`; `// → throws CODE` expects a
 * `TactfulError` with that code (or any error, for `// → throws`).
 */
export function pageModule(samples: DocSample[]): PageModule {
  const imports = new Map<
    string,
    { defaults: Set<string>; names: Set<string>; star?: string; typeNames: Set<string> }
  >();
  const body: string[] = [];
  const bodyLines: string[] = [];
  const push = (text: string, where: string): void => {
    for (const line of text.split('\n')) {
      body.push(line);
      bodyLines.push(where);
    }
  };
  for (const sample of samples) {
    const file = ts.createSourceFile(
      'sample.ts',
      sample.code,
      ts.ScriptTarget.ES2022,
      true,
      ts.ScriptKind.TS,
    );
    const at = (pos: number): string =>
      `${sample.page}:${sample.line + 1 + file.getLineAndCharacterOfPosition(pos).line}`;
    if (sample.attrs.isolated === true) push('{', '');
    for (const statement of file.statements) {
      if (ts.isImportDeclaration(statement)) {
        const from = (statement.moduleSpecifier as ts.StringLiteral).text;
        const entry = imports.get(from) ?? { defaults: new Set(), names: new Set(), typeNames: new Set() };
        imports.set(from, entry);
        const clause = statement.importClause;
        if (clause?.name) entry.defaults.add(clause.name.text);
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) entry.star = bindings.name.text;
        if (bindings && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) {
            const text = el.propertyName ? `${el.propertyName.text} as ${el.name.text}` : el.name.text;
            if (clause?.isTypeOnly || el.isTypeOnly) entry.typeNames.add(text);
            else entry.names.add(text);
          }
        }
        continue;
      }
      const start = statement.getStart(file);
      const text = sample.code.slice(start, statement.end);
      const endLine = file.getLineAndCharacterOfPosition(statement.end).line;
      const rest =
        sample.code
          .split('\n')
          [endLine]?.slice(file.getLineAndCharacterOfPosition(statement.end).character) ?? '';
      const check = CHECK.exec(rest)?.[1]?.split(' — ')[0]?.trim();
      const where = at(start);
      const leading = sample.code.slice(statement.pos, start);
      if (leading.trim()) push(leading.replace(/^\n+/, ''), where);
      if (check === undefined) {
        push(text, where);
      } else if (check.startsWith('throws')) {
        const code = check.slice('throws'.length).trim().split(/\s+/)[0] ?? '';
        push(
          `await __docThrows(async () => {\n${text}\n}, ${JSON.stringify(code)}, ${JSON.stringify(where)});`,
          where,
        );
      } else if (ts.isExpressionStatement(statement)) {
        const expr = sample.code.slice(statement.expression.getStart(file), statement.expression.end);
        push(`__docCheck(await (${expr}), (${check}), ${JSON.stringify(where)});`, where);
      } else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
        const name = statement.declarationList.declarations[0]?.name;
        if (!name || !ts.isIdentifier(name))
          throw new Error(`${where}: "// →" after a destructuring declaration`);
        push(`${text}\n__docCheck(${name.text}, (${check}), ${JSON.stringify(where)});`, where);
      } else {
        throw new Error(`${where}: "// →" can follow an expression or a declaration of one variable`);
      }
    }
    if (sample.attrs.isolated === true) push('}', '');
  }
  const head: string[] = [];
  for (const [from, entry] of imports) {
    const parts: string[] = [];
    const named = [
      ...entry.names,
      ...[...entry.typeNames].filter((n) => !entry.names.has(n)).map((n) => `type ${n}`),
    ];
    const def = [...entry.defaults];
    if (def.length > 1) throw new Error(`two default imports of ${from}: ${def.join(', ')}`);
    if (def[0]) parts.push(def[0]);
    if (entry.star) parts.push(`* as ${entry.star}`);
    if (named.length > 0) parts.push(`{ ${named.join(', ')} }`);
    head.push(
      parts.length > 0
        ? `import ${parts.join(', ')} from ${JSON.stringify(from)};`
        : `import ${JSON.stringify(from)};`,
    );
  }
  head.push(`import { docCheck as __docCheck, docThrows as __docThrows } from ${JSON.stringify(CHECKER)};`);
  return {
    source: [...head, ...body, 'export {};', ''].join('\n'),
    lines: [...head.map(() => ''), ...bodyLines],
  };
}
