// The Worker under workerd (miniflare), with no Node compatibility flag: bundled from the sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceAliases } from '../../../vitest.shared.mjs';
import { purposesFromCookie } from './worker.js';

const here = dirname(fileURLToPath(import.meta.url));
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const GRANTED = 'tactful_consent=personalization.contextual';

const sources: Plugin = {
  name: 'workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@tactful\// }, (args) => {
      for (const { find, replacement } of workspaceAliases) {
        if (find.test(args.path)) return { path: args.path.replace(find, replacement) };
      }
      return undefined;
    });
  },
};

let mf: Miniflare;

beforeAll(async () => {
  const out = await build({
    entryPoints: [join(here, 'worker.js')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    plugins: [sources],
    logLevel: 'error',
  });
  mf = new Miniflare({ modules: true, script: out.outputFiles[0]!.text, compatibilityDate: '2026-07-01' });
});

afterAll(async () => {
  await mf?.dispose();
});

type Answer = Record<string, { content: unknown; isDefault: boolean; why: { en: string } }>;

async function decide(
  headers: Record<string, string>,
): Promise<{ status: number; body: Answer; cache: string | null }> {
  const response = await mf.dispatchFetch('http://shop.example/decide', { headers });
  return {
    status: response.status,
    body: (await response.json()) as Answer,
    cache: response.headers.get('cache-control'),
  };
}

describe('the edge Worker', () => {
  it('serves the defaults when the consent cookie is absent (opt-in by default)', async () => {
    const { status, body, cache } = await decide({ 'user-agent': IPHONE, 'accept-language': 'vi-VN,vi' });
    expect(status).toBe(200);
    expect(body['home.hero']?.isDefault).toBe(true);
    expect(body['home.banner']?.isDefault).toBe(true);
    expect(cache).toContain('no-store');
  });

  it('personalizes from the headers once the cookie grants the purpose', async () => {
    const { body } = await decide({
      'user-agent': IPHONE,
      'accept-language': 'vi-VN,vi;q=0.9',
      cookie: `a=1; ${GRANTED}`,
    });
    expect(body['home.hero']).toMatchObject({ isDefault: false, content: { video: 'short.mp4' } });
    expect(body['home.hero']?.why.en).toContain('phone');
    expect(body['home.banner']).toMatchObject({
      isDefault: false,
      content: 'Miễn phí giao hàng cho đơn từ 500.000 ₫',
    });
  });

  it('lets a Global Privacy Control signal win over the cookie', async () => {
    const { body } = await decide({ 'user-agent': IPHONE, cookie: GRANTED, 'sec-gpc': '1' });
    expect(body['home.hero']?.isDefault).toBe(true);
  });

  it('grants nothing for a junk, oversized or unknown-purpose cookie, and never fails', async () => {
    for (const cookie of [
      'tactful_consent=%E0%A4%A',
      `tactful_consent=${'x'.repeat(5000)}`,
      'tactful_consent=marketing.email',
      'tactful_consent',
    ]) {
      const { status, body } = await decide({ 'user-agent': IPHONE, cookie });
      expect(status).toBe(200);
      expect(body['home.hero']?.isDefault).toBe(true);
    }
  });

  it('reads only the purposes the banner offers from the cookie', () => {
    expect(
      purposesFromCookie('tactful_consent=personalization.contextual%20personalization.profile'),
    ).toEqual(['personalization.contextual']);
    expect(purposesFromCookie(undefined)).toEqual([]);
  });
});
