import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTactful, tactful, tempDir } from './run-cli.js';

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
  expect((await tactful(['init', '--template', 'ecommerce', '--quiet'], dir)).code).toBe(0);
});
afterEach(async () => {
  await remove();
});

// Friday 16 January 2026, 19:30 in Hồ Chí Minh City, on an iPhone.
const request = {
  subject: { id: 'u-42' },
  context: {
    now: '2026-01-16T12:30:00Z',
    timeZone: 'Asia/Ho_Chi_Minh',
    locale: 'vi-VN',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  },
  slots: [{ id: 'home.banner', default: { banner: 'none' } }, { id: 'home.hero' }],
};

describe('tactful explain', () => {
  it('says every strategy would be skipped for lack of consent, and that no data source would be called', async () => {
    await writeFile(join(dir, 'request.json'), JSON.stringify(request));
    const run = await tactful(['explain', 'request.json'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✗ personalization\.profile {2}denied by opt-in-consent: no-record/);
    expect(run.stdout).toMatch(
      /✗ @tactful\/contextual {2}skipped: purpose not granted: personalization\.contextual \[PURPOSE_NOT_GRANTED\]/,
    );
    expect(run.stdout).toMatch(/✗ @tactful\/segments {2}skipped/);
    expect(run.stdout).toMatch(/✗ tactful-subject {2}not called: no permitted strategy needs its categories/);
    expect(run.stderr).toMatch(/nothing is written/);
    expect(existsSync(join(dir, '.tactful-data'))).toBe(false);
  });

  it('with --grant, shows what runs and what each strategy sees; --decide shows the content and why, in Vietnamese', async () => {
    await writeFile(join(dir, 'request.json'), JSON.stringify(request));
    const run = await tactful(
      ['explain', 'request.json', '--grant', 'personalization.contextual', '--decide', '--lang', 'vi'],
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ @tactful\/contextual {2}will run/);
    expect(run.stdout).toMatch(/sees context\.device \(personalization\.contextual\) from the request/);
    expect(run.stdout).toMatch(/✗ @tactful\/segments {2}skipped/);
    expect(run.stdout).toMatch(
      /home\.banner: \{"banner":"evening-deals","layout":"compact"\} {2}← @tactful\/contextual \(variant evening-mobile\)/,
    );
    expect(run.stdout).toMatch(/why: Buổi tối và bạn đang dùng điện thoại\./);
    expect(run.stdout).toMatch(/home\.hero: \{"title":"Hàng mới tuần này","href":"\/new"\}/);
  });

  it('prints the preview and decision as JSON with --json', async () => {
    await writeFile(join(dir, 'request.json'), JSON.stringify(request));
    const run = await tactful(
      [
        'explain',
        'request.json',
        '--grant',
        'personalization.contextual,personalization.profile',
        '--decide',
        '--json',
      ],
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as {
      preview: {
        strategies: Array<{ name: string; willRun: boolean }>;
        sources: Array<{ name: string; willCall: boolean }>;
      };
      decision: { slots: Array<{ slot: string; isDefault: boolean }>; purposesUsed: string[] };
    };
    const runs = Object.fromEntries(out.preview.strategies.map((s) => [s.name, s.willRun]));
    expect(runs).toEqual({
      '@tactful/contextual': true,
      '@tactful/segments': true,
      '@tactful/anonymous-session': false,
      '@tactful/dynamic-content': true,
    });
    expect(out.preview.sources).toEqual([
      expect.objectContaining({ name: 'tactful-subject', willCall: true }),
    ]);
    expect(out.decision.slots.map((s) => s.slot)).toEqual(['home.banner', 'home.hero']);
    expect(out.decision.purposesUsed).toContain('personalization.contextual');
  });

  it('exits 1 for an invalid request, a request that is not JSON, or a grant for a purpose the configuration does not use', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ slots: [] }));
    const invalid = await tactful(['explain', 'bad.json'], dir);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/bad\.json is not a valid decision request/);
    expect(invalid.stderr).toMatch(/slots/);
    await writeFile(join(dir, 'text.json'), 'slots: home.hero');
    expect((await tactful(['explain', 'text.json'], dir)).code).toBe(1);
    await writeFile(join(dir, 'request.json'), JSON.stringify(request));
    const grant = await tactful(['explain', 'request.json', '--grant', 'marketing.sms'], dir);
    expect(grant.code).toBe(1);
    expect(grant.stderr).toMatch(/uses no purpose "marketing\.sms"/);
    expect(grant.stderr).toMatch(/purposes in use: .*personalization\.profile/);
  });
});

function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; saw:\n${seen}`)),
      30_000,
    );
    stream.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
  });
}

describe('tactful serve', () => {
  it('serves decisions and the notice from the configuration, and stops gracefully on SIGTERM with exit 0', async () => {
    const child = startTactful(['serve', '--port', '0', '--pid-file', 'tactful.pid'], dir);
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = once(child, 'exit');
    try {
      const [, url] = (await waitFor(
        child.stderr as NodeJS.ReadableStream,
        /listening on (http:\/\/\S+)/,
      )) as [string, string];
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const notice = await fetch(`${url}/v1/notice?lang=vi`);
      expect(notice.status).toBe(200);
      expect(await notice.text()).toMatch(/dữ liệu cá nhân/);
      const decide = await fetch(`${url}/v1/decide`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ slots: [{ id: 'home.hero', default: { title: 'Welcome' } }] }),
      });
      expect(decide.status).toBe(200);
      const decision = (await decide.json()) as { slots: Array<{ slot: string; isDefault: boolean }> };
      expect(decision.slots[0]?.slot).toBe('home.hero');
      expect(Number((await readFile(join(dir, 'tactful.pid'), 'utf8')).trim())).toBe(child.pid);
      // SQLite files in the configuration's storage folder.
      expect(existsSync(join(dir, '.tactful-data', 'tactful.sqlite'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stderr).toMatch(/SIGTERM: finishing in-flight requests and closing/);
    expect(stderr).toMatch(/› stopped/);
    expect(existsSync(join(dir, 'tactful.pid'))).toBe(false);
  });

  it('exits 3 when the port is taken, and 2 for a port that is not one', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      const run = await tactful(['serve', '--port', String(port), '--host', '127.0.0.1'], dir);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/cannot listen/);
    } finally {
      blocker.close();
    }
    const bad = await tactful(['serve', '--port', '70000'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port must be a whole number from 0 to 65535/);
  });
});
