import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTactfulError, isThenable } from '@tactful/core';
import { THREAD_CHANNEL } from '@tactful/store-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { configJsonSchema, createTactful, formatProblems, loadConfig, validateConfig } from '../src/index.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const hero = { id: 'home.hero', default: { hero: 'default' } };

describe('validateConfig', () => {
  it('accepts a complete shop configuration with comments', async () => {
    const text = await readFile(join(fixtures, 'shop.config.json'), 'utf8');
    const result = await validateConfig(text, { baseDir: fixtures });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('reports every shape problem at once, each with its path, line and column', async () => {
    const text = await readFile(join(fixtures, 'broken.config.json'), 'utf8');
    const result = await validateConfig(text, { baseDir: fixtures });
    expect(result.ok).toBe(false);
    const paths = result.problems.map((p) => p.path.join('.'));
    expect(paths).toContain('merge');
    expect(paths).toContain('audit.sampling');
    const merge = result.problems.find((p) => p.path.join('.') === 'merge');
    expect(merge?.line).toBe(4);
    expect(merge?.column).toBe(3);
  });

  it('server.limits.shedOverBudget: a boolean, and a value that is not one is named by its path', async () => {
    const base = { controller: { name: 'X', contact: 'x@example.com' }, storage: { driver: 'memory' } };
    const server = (r: { problems: ReadonlyArray<{ path: ReadonlyArray<string | number> }> }) =>
      r.problems.map((p) => p.path.join('.')).filter((path) => path.startsWith('server'));
    expect(server(await validateConfig({ ...base, server: { limits: { shedOverBudget: true } } }))).toEqual(
      [],
    );
    const bad = await validateConfig({ ...base, server: { limits: { shedOverBudget: 'yes' } } });
    expect(bad.ok).toBe(false);
    expect(server(bad)).toEqual(['server.limits.shedOverBudget']);
  });

  it('reports plugin problems of several segments at once, with paths into the segment list', async () => {
    const text = (await readFile(join(fixtures, 'broken.config.json'), 'utf8'))
      .replace('"merge": "loudest",', '')
      .replace('"audit": { "sampling": 2 }', '"audit": { "sampling": 1 }');
    const result = await validateConfig(text, { baseDir: fixtures });
    expect(result.ok).toBe(false);
    const text2 = formatProblems(result.problems, 'broken.config.json');
    expect(text2).toMatch(/\$where/);
    expect(result.problems.every((p) => p.path[0] === 'strategies' && p.path[1] === 'segments')).toBe(true);
    expect(result.problems.every((p) => typeof p.line === 'number')).toBe(true);
  });

  it('reports the creepy line: a segment over health without explicit consent', async () => {
    const config = {
      controller: { name: 'X', contact: 'x@example.com' },
      storage: { driver: 'memory' },
      strategies: {
        segments: {
          segments: [{ name: 'sick', description: { en: 'ill' }, condition: { 'health.condition': 'flu' } }],
        },
      },
    };
    const result = await validateConfig(config);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toContain('SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT');
    expect(formatProblems(result.problems)).toMatch(/sick/);
  });

  it('reports JSON syntax errors with their line', async () => {
    const result = await validateConfig('{\n  "controller": {,\n}');
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.line).toBe(2);
    expect(result.problems[0]?.message).toMatch(/JSON syntax error/);
  });

  it('dates the notice from noticeDate, and refuses a day that is not on the calendar with its path', async () => {
    const text = await readFile(join(fixtures, 'shop.config.json'), 'utf8');
    const dated = text.replace(/^\{/, '{ "noticeDate": "2026-12-01",');
    const good = await validateConfig(dated, { baseDir: fixtures });
    expect(good.problems).toEqual([]);
    if (!good.ok) return;
    const tactful = await createTactful(good.config, { baseDir: fixtures });
    try {
      expect(tactful.notice.date).toBe('2026-12-01');
      expect(tactful.notice.version).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await tactful.close();
    }
    const bad = await validateConfig(dated.replace('2026-12-01', '2026-02-30'), { baseDir: fixtures });
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => p.path.join('.'))).toContain('noticeDate');
  });

  it('publishes a JSON Schema that names every top-level section', () => {
    const schema = configJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['controller', 'consent', 'strategies', 'storage', 'server', 'audit', 'rights']),
    );
  });
});

describe('createTactful', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('personalizes only after consent, and withdrawal applies to the next decision', async () => {
    const { config, baseDir } = await loadConfig(join(fixtures, 'shop.config.json'));
    const tactful = await createTactful(config, { baseDir });
    try {
      const subject = { id: 'u-1' };
      const purchases = ['2026-01-05', '2026-03-01', '2026-06-01'].map((d) => ({
        category: 'behavior.purchases' as const,
        data: { at: `${d}T10:00:00Z`, amount: 10 },
      }));
      await tactful.subjects.recordEvents('u-1', purchases);
      const request = { subject, context: { now: '2026-11-29T10:00:00+07:00' }, slots: [hero] };
      const before = await tactful.engine.decide(request);
      expect(before.slots[0]?.isDefault).toBe(true);

      const purpose = tactful.notice.purposes['personalization.profile'];
      expect(purpose).toBeDefined();
      await tactful.consent.grant({
        subject: 'u-1',
        purpose: 'personalization.profile',
        method: 'preference-center',
        notice: { version: tactful.notice.version, hash: purpose!.hash },
      });
      const after = await tactful.engine.decide(request);
      expect(after.slots[0]?.isDefault).toBe(false);
      expect(after.slots[0]?.explanation.signals.join(' ')).toMatch(/loyal-customer/);

      await tactful.consent.withdraw({ subject: 'u-1', purpose: 'personalization.profile' });
      const withdrawn = await tactful.engine.decide(request);
      expect(withdrawn.slots[0]?.isDefault).toBe(true);
    } finally {
      await tactful.close();
    }
  });

  it('keeps segment memberships in the subject store when asked, so they join the export and erasure', async () => {
    const { config, baseDir } = await loadConfig(join(fixtures, 'shop.config.json'));
    const segmentsOptions = { ...config.strategies.segments!, storeMemberships: true };
    const tactful = await createTactful(
      { ...config, strategies: { ...config.strategies, segments: segmentsOptions } },
      { baseDir },
    );
    try {
      const purchases = ['2026-01-05', '2026-03-01', '2026-06-01'].map((d) => ({
        category: 'behavior.purchases' as const,
        data: { at: `${d}T10:00:00Z`, amount: 10 },
      }));
      await tactful.subjects.recordEvents('u-3', purchases);
      await tactful.consent.grant({
        subject: 'u-3',
        purpose: 'personalization.profile',
        method: 'preference-center',
        notice: {
          version: tactful.notice.version,
          hash: tactful.notice.purposes['personalization.profile']!.hash,
        },
      });
      await tactful.engine.decide({
        subject: { id: 'u-3' },
        context: { now: '2026-11-29T10:00:00+07:00' },
        slots: [hero],
      });
      expect(await tactful.subjects.getSegments('u-3')).toEqual(['loyal-customer']);
      expect(JSON.stringify(await tactful.rights.export('u-3'))).toContain('loyal-customer');
      await tactful.rights.erase('u-3');
      expect(await tactful.subjects.getSegments('u-3')).toBeUndefined();
    } finally {
      await tactful.close();
    }
  });

  it('keeps data in SQLite in the configured folder and a secret beside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tactful-config-'));
    dirs.push(dir);
    const { config } = await loadConfig(join(fixtures, 'shop.config.json'));
    const sqlite = { ...config, storage: { driver: 'sqlite' as const, directory: join(dir, 'data') } };
    const first = await createTactful(sqlite, { baseDir: fixtures });
    await first.consent.grant({
      subject: 'u-2',
      purpose: 'personalization.contextual',
      method: 'banner',
      notice: {
        version: first.notice.version,
        hash: first.notice.purposes['personalization.contextual']!.hash,
      },
    });
    await first.close();
    const second = await createTactful(sqlite, { baseDir: fixtures });
    try {
      const state = await second.consent.state('u-2');
      expect(JSON.stringify(state)).toMatch(/granted/);
      expect(second.storage).toBe(join(dir, 'data'));
    } finally {
      await second.close();
    }
  });

  it('runs SQLite on its database threads when a configuration made in code leaves storage.thread out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tactful-config-'));
    dirs.push(dir);
    const { config } = await loadConfig(join(fixtures, 'shop.config.json'));
    // As a caller writes it in JavaScript: the schema's default (`worker`) was never applied.
    const sqlite = {
      ...config,
      storage: { driver: 'sqlite', directory: join(dir, 'data') },
    } as typeof config;
    const roles: string[] = [];
    const onThread = (message: unknown) => roles.push((message as { role: string }).role);
    subscribe(THREAD_CHANNEL, onThread);
    try {
      const tactful = await createTactful(sqlite, { baseDir: fixtures });
      await tactful.close();
    } finally {
      unsubscribe(THREAD_CHANNEL, onThread);
    }
    expect(roles.sort()).toEqual(['reader', 'writer']);
  });

  it("passes storage.reads through: main-first answers reads on the server's own thread", async () => {
    const { config } = await loadConfig(join(fixtures, 'shop.config.json'));
    for (const reads of ['thread', 'main-first'] as const) {
      const dir = await mkdtemp(join(tmpdir(), 'tactful-config-'));
      dirs.push(dir);
      const tactful = await createTactful(
        { ...config, storage: { driver: 'sqlite', directory: join(dir, 'data'), thread: 'worker', reads } },
        { baseDir: fixtures },
      );
      try {
        await tactful.subjects.setSegments('u-9', ['loyal']);
        const answer = tactful.subjects.getSegments('u-9');
        // On the reader thread a read is a round trip (a promise); here it is answered at once.
        expect(isThenable(answer)).toBe(reads === 'thread');
        expect(await answer).toEqual(['loyal']);
      } finally {
        await tactful.close();
      }
    }
  });

  it('throws INVALID_CONFIG listing the problems when a plugin refuses its options', async () => {
    const { config } = await loadConfig(join(fixtures, 'shop.config.json'));
    const bad = {
      ...config,
      strategies: {
        ...config.strategies,
        dynamicContent: [{ ...config.strategies.dynamicContent[0]!, catalog: { slots: [] } }],
      },
    };
    const error = await createTactful(bad as typeof config, { baseDir: fixtures, memory: true }).catch(
      (e) => e,
    );
    expect(isTactfulError(error)).toBe(true);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/strategies\.dynamicContent\[0\]/);
  });

  it('points the problems of an inline catalog into the catalog, at their line', async () => {
    const text = JSON.stringify(
      {
        controller: { name: 'X', contact: 'x@example.com' },
        storage: { driver: 'memory' },
        strategies: { dynamicContent: [{ catalog: { slots: [{ id: 'home.hero', variants: [] }] } }] },
      },
      null,
      2,
    );
    const result = await validateConfig(text);
    expect(result.ok).toBe(false);
    const problem = result.problems.find((p) => p.path.includes('slots'));
    expect(problem?.path.slice(0, 5)).toEqual(['strategies', 'dynamicContent', 0, 'catalog', 'slots']);
    expect(problem?.line).toBeGreaterThan(8);
  });
});

describe('schema.json', () => {
  it('is the JSON Schema of the current configuration format (run the build to refresh it)', async () => {
    const file = fileURLToPath(new URL('../schema.json', import.meta.url));
    const committed = JSON.parse(await readFile(file, 'utf8'));
    const { $id, title, ...rest } = committed;
    expect($id).toMatch(/config\.json$/);
    expect(title).toBe('Tactful configuration');
    expect(rest).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });
});
