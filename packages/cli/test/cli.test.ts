import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO, tactful, tempDir } from './run-cli.js';

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
});
afterEach(async () => {
  await remove();
});

const MEMORY = { driver: 'memory' };

describe('tactful --help and usage errors', () => {
  it('lists every command and the exit codes, and exits 0', async () => {
    const run = await tactful(['--help'], dir);
    expect(run.code).toBe(0);
    for (const command of [
      'init',
      'validate',
      'explain',
      'notice',
      'serve',
      'purge',
      'compile',
      'create-plugin',
    ]) {
      expect(run.stdout).toContain(command);
    }
    expect(run.stdout).toMatch(
      /Exit codes:[\s\S]*0\s+success[\s\S]*1\s+validation[\s\S]*2\s+usage[\s\S]*3\s+runtime/,
    );
  });

  it('shows a command’s own options with --help', async () => {
    const run = await tactful(['notice', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--lang/);
    expect(run.stdout).toMatch(/--format/);
  });

  it('exits 2 on an unknown command, an unknown option and a missing argument', async () => {
    const unknown = await tactful(['frobnicate'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const option = await tactful(['validate', '--frob'], dir);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/Unknown option `--frob`/);
    const missing = await tactful(['explain'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required args/);
  });

  it('exits 2 with no command at all, after printing the help', async () => {
    const run = await tactful([], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/Usage:/);
  });
});

describe('tactful init', () => {
  it('writes a complete configuration that validates, and refuses to overwrite it without --force', async () => {
    const first = await tactful(
      ['init', '--template', 'travel', '--name', 'Du lịch Việt', '--contact', 'privacy@dulich.example'],
      dir,
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Created tactful\.config\.json \(template: travel\)/);
    const written = JSON.parse(await readFile(join(dir, 'tactful.config.json'), 'utf8'));
    expect(written.$schema).toBe('./node_modules/@tactful/config/schema.json');
    expect(written.controller).toEqual({ name: 'Du lịch Việt', contact: 'privacy@dulich.example' });

    const again = await tactful(['init'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; not overwriting it/);
    expect(again.stderr).toMatch(/--force/);
    expect(JSON.parse(await readFile(join(dir, 'tactful.config.json'), 'utf8'))).toEqual(written);

    const forced = await tactful(['init', '--force', '--template', 'newsletter', '--json'], dir);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toEqual({ file: 'tactful.config.json', template: 'newsletter' });
    expect(forced.stderr).toBe('');
    const valid = await tactful(['validate'], dir);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/✓ tactful\.config\.json is valid/);
  });

  it('exits 2 for an unknown template, naming the ones there are', async () => {
    const run = await tactful(['init', '--template', 'bakery'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown template "bakery"; use one of: ecommerce, newsletter, travel/);
    expect(existsSync(join(dir, 'tactful.config.json'))).toBe(false);
  });
});

describe('tactful validate', () => {
  it('shows every shape problem at once, each with its path, line:column and a hint, and exits 1', async () => {
    const broken = [
      '{',
      '  // four different mistakes',
      '  "controller": { "name": "Shop ABC" },',
      '  "merge": "loudest",',
      '  "audit": { "sampling": 2 },',
      '  "strategis": {}',
      '}',
    ].join('\n');
    await writeFile(join(dir, 'tactful.config.json'), broken);
    const run = await tactful(['validate'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ tactful\.config\.json has 4 problems/);
    expect(run.stdout).toMatch(/tactful\.config\.json:3:\d+ controller\.contact: /);
    expect(run.stdout).toMatch(/tactful\.config\.json:4:3 merge: /);
    expect(run.stdout).toMatch(/tactful\.config\.json:5:\d+ audit\.sampling: /);
    expect(run.stdout).toMatch(/strategis/);
    expect(run.stdout).toMatch(/hint: remove "strategis"/);
    // Every problem has a hint line.
    expect(run.stdout.match(/\n {4}hint: /g)?.length).toBe(4);
    expect(run.stdout).toMatch(
      /hint: use one of the values listed; see docs\/reference\/configuration\.md#merge/,
    );
    expect(run.stdout).toMatch(/hint: add the required field "contact"/);
  });

  it('shows a shape mistake, a plugin mistake and a dead variant in one run, each with a "did you mean"', async () => {
    const config = {
      controller: { name: 'Shop ABC', contact: 'privacy@shop.example' },
      storage: MEMORY,
      merge: 'loudest',
      strategies: {
        segments: {
          segments: [
            {
              name: 'interested-in-kids',
              description: { en: 'Kids' },
              condition: { 'profile.preferences.interests': 'kids' },
            },
            {
              name: 'loyal',
              description: { en: 'Loyal' },
              condition: { 'stats.purchases.count': { $where: '1' } },
            },
          ],
        },
        dynamicContent: [
          {
            catalog: {
              slots: [
                {
                  id: 'home.hero',
                  default: { content: { title: 'Hi' } },
                  variants: [
                    { id: 'kids', when: { segments: 'interested-in-kid' }, content: { title: 'Kids' } },
                  ],
                },
              ],
            },
          },
        ],
      },
    };
    await writeFile(join(dir, 'three.json'), JSON.stringify(config, null, 2));
    const run = await tactful(['validate', 'three.json'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/has 3 problems/);
    expect(run.stdout).toMatch(/three\.json:\d+:\d+ merge: /);
    expect(run.stdout).toMatch(/strategies\.segments\.segments\[1\]\.condition/);
    expect(run.stdout).toMatch(
      /strategies\.dynamicContent\[0\]\.catalog\.slots\[0\]\.variants\[0\]\.when\.segments: .*"interested-in-kid".*\[UNKNOWN_SEGMENT\]\n {4}hint: did you mean "interested-in-kids"\?/,
    );
  });

  it('shows every plugin problem at once, across contextual, segments and dynamic content, with --json', async () => {
    const config = {
      controller: { name: 'Shop ABC', contact: 'privacy@shop.example' },
      storage: MEMORY,
      strategies: {
        contextual: {
          rules: [
            {
              id: 'evening',
              slot: 'home.banner',
              when: { daypart: { $between: ['evening', 'night'] } },
              content: { banner: 'evening' },
              reason: { en: 'It is evening.' },
            },
          ],
        },
        segments: {
          segments: [
            {
              name: 'loyal',
              description: { en: 'Loyal' },
              condition: { 'stats.purchases.count': { $where: '1' } },
            },
          ],
        },
        dynamicContent: [
          {
            catalog: {
              version: 1,
              slots: [
                {
                  id: 'home.hero',
                  default: { content: { title: 'Hi' } },
                  variants: [{ id: 'vip', when: { segments: { $near: 1 } }, content: { title: 'VIP' } }],
                },
              ],
            },
          },
          { catalog: './missing-catalog.json' },
        ],
      },
    };
    await writeFile(join(dir, 'shop.json'), JSON.stringify(config, null, 2));
    const run = await tactful(['validate', 'shop.json', '--json'], dir);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as {
      ok: boolean;
      file: string;
      problems: Array<{
        path: Array<string | number>;
        line?: number;
        column?: number;
        hint?: string;
        code: string;
      }>;
    };
    expect(out.ok).toBe(false);
    expect(out.file).toBe('shop.json');
    const where = out.problems.map((p) => p.path.slice(0, 3).join('.'));
    expect(where).toEqual([
      'strategies.contextual.rules',
      'strategies.segments.segments',
      'strategies.dynamicContent.0',
      'strategies.dynamicContent.1',
    ]);
    expect(out.problems.filter((p) => p.code === 'INVALID_CONDITION')).toHaveLength(3);
    for (const p of out.problems) {
      expect(p.line).toBeGreaterThan(1);
      expect(p.column).toBeGreaterThan(0);
      expect(p.hint).toMatch(/docs\/reference\/configuration\.md#strategies/);
    }
  });

  it('reports the creepy line: a segment over health data without explicit consent', async () => {
    const creepy = {
      controller: { name: 'Shop ABC', contact: 'privacy@shop.example' },
      storage: MEMORY,
      strategies: {
        segments: {
          segments: [{ name: 'sick', description: { en: 'ill' }, condition: { 'health.condition': 'flu' } }],
        },
      },
    };
    await writeFile(join(dir, 'creepy.json'), JSON.stringify(creepy, null, 2));
    const line = await tactful(['validate', 'creepy.json'], dir);
    expect(line.code).toBe(1);
    expect(line.stdout).toMatch(/SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT/);
    expect(line.stdout).toMatch(/sick/);
    expect(line.stdout).toMatch(/hint: sensitive data needs a purpose with explicitConsentFor/);
  });

  it('reports JSON syntax errors with their line, and a missing file as a user error', async () => {
    await writeFile(join(dir, 'tactful.config.json'), '{\n  "controller": {,\n}');
    const syntax = await tactful(['validate'], dir);
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toMatch(/tactful\.config\.json:2:\d+ .*JSON syntax error/);
    const missing = await tactful(['validate', 'nope.json'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read the configuration nope\.json: no such file/);
    expect(missing.stderr).toMatch(/tactful init/);
  });

  it('prints progress on stderr, and none with --quiet', async () => {
    await tactful(['init'], dir);
    const loud = await tactful(['validate'], dir);
    expect(loud.stderr).toMatch(/› checking tactful\.config\.json/);
    const quiet = await tactful(['validate', '--quiet'], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

describe('tactful notice', () => {
  it('prints, for the demo configuration, a notice in Vietnamese a customer can read', async () => {
    expect((await tactful(['init', '--template', 'ecommerce'], dir)).code).toBe(0);
    const run = await tactful(['notice', '--lang', 'vi'], dir);
    expect(run.code).toBe(0);
    const text = run.stdout;
    for (const term of [
      'Thông báo về xử lý dữ liệu cá nhân',
      'Bên kiểm soát dữ liệu cá nhân',
      'Shop ABC',
      'Mục đích xử lý dữ liệu cá nhân',
      'Cá nhân hóa dựa trên ngữ cảnh',
      'Cá nhân hóa theo hồ sơ của bạn',
      'Rút lại sự đồng ý',
      'Quyền của bạn',
      'Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15',
      'Nghị định 356/2025/NĐ-CP',
      'Lịch sử mua hàng',
    ]) {
      expect(text).toContain(term);
    }
    // Written for a Vietnamese reader: none of the English notice's headings leak through.
    for (const english of ['Privacy notice', 'Withdraw', 'Your rights', 'Data used'])
      expect(text).not.toContain(english);
  });

  it('prints the demo shop’s notice (examples/storefront) in Vietnamese, from its own configuration', async () => {
    const config = join(REPO, 'examples/storefront/tactful.config.json');
    expect((await tactful(['validate', config, '--quiet'], dir)).code).toBe(0);
    const run = await tactful(['notice', '--config', config, '--lang', 'vi', '--quiet'], dir);
    expect(run.code).toBe(0);
    for (const term of [
      'Thông báo về xử lý dữ liệu cá nhân',
      'Bên kiểm soát dữ liệu cá nhân',
      'Cá nhân hóa dựa trên ngữ cảnh',
      'Rút lại sự đồng ý',
      'Quyền của bạn',
      'Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15',
    ]) {
      expect(run.stdout).toContain(term);
    }
    expect(run.stdout).not.toContain('Withdraw');
  });

  it('renders HTML and JSON, writes to a file with --out, and refuses unknown languages and formats', async () => {
    await tactful(['init'], dir);
    const html = await tactful(['notice', '--format', 'html', '--lang', 'en'], dir);
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/<h1[^>]*>/);
    expect(html.stdout).not.toMatch(/<script/i);
    const json = await tactful(['notice', '--format', 'json'], dir);
    expect(json.code).toBe(0);
    const notice = JSON.parse(json.stdout) as { version: string; purposes: Record<string, unknown> };
    expect(notice.version).toMatch(/^[a-f0-9]{64}$/);
    expect(Object.keys(notice.purposes)).toContain('personalization.profile');
    const out = await tactful(['notice', '--lang', 'vi', '--out', 'public/privacy.vi.md'], dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('');
    expect(await readFile(join(dir, 'public/privacy.vi.md'), 'utf8')).toContain('Quyền của bạn');
    expect((await tactful(['notice', '--lang', 'fr'], dir)).code).toBe(2);
    expect((await tactful(['notice', '--format', 'pdf'], dir)).code).toBe(2);
  });

  it('exits 1 and lists the problems when the configuration is invalid', async () => {
    await writeFile(
      join(dir, 'tactful.config.json'),
      JSON.stringify({ controller: { name: 'X' }, merge: 'loudest' }),
    );
    const run = await tactful(['notice'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/has 2 problem\(s\)/);
    expect(run.stderr).toMatch(/merge: /);
  });
});

describe('tactful purge', () => {
  it('deletes the subject data past its retention now, even with the schedule turned off', async () => {
    const { sqliteSubjectStore } = await import('@tactful/store-sqlite');
    await writeFile(
      join(dir, 'tactful.config.json'),
      JSON.stringify({
        controller: { name: 'Shop', contact: 'privacy@shop.example' },
        storage: { driver: 'sqlite', directory: 'data', thread: 'main' },
        strategies: {
          segments: {
            segments: [
              {
                name: 'browser',
                description: { en: 'browses' },
                condition: { 'stats.pageviews.count': { $gte: 1 } },
              },
            ],
          },
        },
        retention: { subjects: { 'behavior.pageviews': 30 }, purge: false },
      }),
    );
    // A first run makes the database; then three views 40 days old and one of today are stored.
    expect((await tactful(['purge', '--json'], dir)).code).toBe(0);
    const store = sqliteSubjectStore({ filename: join(dir, 'data', 'tactful.sqlite') });
    const old = Date.now() - 40 * 86_400_000;
    const view = (id: string, at: number) => ({
      id,
      category: 'behavior.pageviews' as const,
      data: { at: new Date(at).toISOString(), url: '/' },
    });
    await store.recordEvents('u-1', [view('a', old), view('b', old), view('c', old)], { now: old });
    await store.recordEvents('u-1', [view('fresh', Date.now())]);
    store.close();

    const run = await tactful(['purge', '--json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ subjects: 3, audit: 0 });
    const after = sqliteSubjectStore({ filename: join(dir, 'data', 'tactful.sqlite') });
    expect((await after.listEvents('u-1', 'behavior.pageviews', { now: old })).map((e) => e.id)).toEqual([
      'fresh',
    ]);
    after.close();
    const text = await tactful(['purge'], dir);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/purged 0 item\(s\) of subject data/);
  });
});
