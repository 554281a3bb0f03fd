import { defineDataSource, defineStrategy, isTactfulError } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { generateNotice, parseNotice } from './generate-notice.js';
import { renderNotice } from './render.js';
import { CONTROLLER, shopPlugins } from './test-fixtures.js';

const STORAGE = [
  {
    name: 'tactful_id',
    kind: 'cookie' as const,
    lifetimeDays: 180,
    description: {
      en: 'A random code for your consent choices',
      vi: 'Một mã ngẫu nhiên cho lựa chọn về sự đồng ý',
    },
  },
  {
    name: 'tactful_session',
    kind: 'cookie' as const,
    purpose: 'personalization.session',
    description: { en: 'A random code for this visit', vi: 'Một mã ngẫu nhiên cho lần truy cập này' },
  },
];

function weatherPlugins() {
  const weather = defineDataSource({
    manifest: {
      name: 'weather',
      version: '1.0.0',
      core: '^0.1.0',
      description: {
        en: 'From the weather service at api.open-meteo.com.',
        vi: 'Từ dịch vụ thời tiết tại api.open-meteo.com.',
      },
      provides: [{ category: 'context.weather' }],
      requiresSubject: false,
    },
    load: () => ({}),
  });
  const rain = (name: string, why: { en: string; vi: string }) =>
    defineStrategy({
      manifest: {
        name,
        version: '1.0.0',
        core: '^0.1.0',
        purposes: ['personalization.contextual'],
        reads: [{ category: 'context.weather', purpose: 'personalization.contextual', why }],
      },
      decide: () => ({ proposals: [] }),
    });
  return {
    strategies: [
      rain('a', {
        en: 'To show content in your language.',
        vi: 'Để hiển thị nội dung bằng ngôn ngữ của bạn.',
      }),
      rain('b', { en: 'to show content in your language', vi: 'để hiển thị nội dung bằng ngôn ngữ của bạn' }),
    ],
    sources: [weather],
  };
}

const base = {
  ...shopPlugins(),
  controller: CONTROLLER,
  jurisdictions: ['VN', 'EU'] as Array<'VN' | 'EU'>,
  retention: { auditDays: 30 },
};

describe('notice: cookies, complaints, records, the privacy center, where data comes from', () => {
  it('lists every cookie it is given with its purpose and lifetime, in both languages', () => {
    const notice = generateNotice({ ...base, storage: STORAGE });
    const en = renderNotice(notice, { lang: 'en' });
    expect(en).toContain('## Cookies and similar storage');
    expect(en).toMatch(
      /`tactful_id` \(cookie\): A random code for your consent choices; strictly necessary, set without consent; lasts 180 days\./,
    );
    expect(en).toMatch(
      /`tactful_session` \(cookie\): A random code for this visit; set only with your consent to “[^”]+”; deleted when you close your browser\./,
    );
    const vi = renderNotice(notice, { lang: 'vi' });
    expect(vi).toContain('## Cookie và các hình thức lưu trữ tương tự');
    expect(vi).toMatch(
      /`tactful_id` \(cookie\): Một mã ngẫu nhiên cho lựa chọn về sự đồng ý; thật sự cần thiết, được đặt mà không cần sự đồng ý; tồn tại 180 ngày\./,
    );
    expect(vi).toContain('bị xóa khi bạn đóng trình duyệt');
    // Generated from what it is given: no storage given, no section.
    expect(renderNotice(generateNotice(base), { lang: 'en' })).not.toContain('Cookies and similar storage');
  });

  it('refuses storage declared for a purpose no strategy uses, naming the field', () => {
    try {
      generateNotice({ ...base, storage: [{ ...STORAGE[1]!, purpose: 'marketing.email' }] });
      expect.unreachable();
    } catch (error) {
      expect(isTactfulError(error) && error.code).toBe('UNKNOWN_PURPOSE');
      expect(isTactfulError(error) && error.path).toEqual(['storage', 0, 'purpose']);
    }
  });

  it('names the supervisory authority of each jurisdiction it covers, in both languages', () => {
    const notice = generateNotice(base);
    const en = renderNotice(notice, { lang: 'en' });
    expect(en).toContain('right to complain to a supervisory authority');
    expect(en).toContain('(A05)');
    expect(en).toContain('GDPR Art. 77');
    const vi = renderNotice(notice, { lang: 'vi' });
    expect(vi).toContain('quyền khiếu nại');
    expect(vi).toContain('Bộ Công an');
    const vnOnly = renderNotice(generateNotice({ ...base, jurisdictions: ['VN'] }), { lang: 'en' });
    expect(vnOnly).not.toContain('GDPR Art. 77');
  });

  it('states the legal basis and retention of the consent records and of the decision log', () => {
    const en = renderNotice(generateNotice(base), { lang: 'en' });
    expect(en).toMatch(/Records of your consent choices .*prove consent .*until you delete your data/);
    expect(en).toMatch(/A log of personalization decisions .*legitimate interest.*deleted after 30 days/);
    const kept = renderNotice(generateNotice({ ...base, retention: { consentRecordsDays: 1825 } }), {
      lang: 'vi',
    });
    expect(kept).toContain('Hồ sơ được lưu 1825 ngày');
    expect(kept).not.toContain('Nhật ký các quyết định');
  });

  it('sends people to the privacy center to withdraw, and still names the other way', () => {
    const notice = generateNotice({ ...base, privacyCenter: '/privacy' });
    const en = renderNotice(notice, { lang: 'en' });
    expect(en).toContain(
      'in the privacy center ([/privacy](</privacy>)), where one click withdraws everything, or by contacting',
    );
    const vi = renderNotice(notice, { lang: 'vi', format: 'html' });
    expect(vi).toContain('<a href="/privacy">/privacy</a>');
    expect(() => generateNotice({ ...base, privacyCenter: '//evil.example' })).toThrow(/privacyCenter/);
  });

  it('says where looked-up data comes from, and gives a reason two plugins share only once', () => {
    const notice = generateNotice({ ...weatherPlugins(), controller: CONTROLLER });
    const en = renderNotice(notice, { lang: 'en' });
    expect(en).toContain('looked up when needed, not kept (From the weather service at api.open-meteo.com)');
    expect(en).not.toContain('from the request your browser sends; looked up');
    expect(en.match(/show content in your language/gi)).toHaveLength(1);
    const vi = renderNotice(notice, { lang: 'vi' });
    expect(vi).toContain('chỉ tra cứu khi cần, không lưu lại (Từ dịch vụ thời tiết tại api.open-meteo.com)');
    expect(vi.match(/hiển thị nội dung bằng ngôn ngữ/gi)).toHaveLength(1);
  });

  describe.each(['en', 'vi'] as const)('for people, in %s', (lang) => {
    const dated = generateNotice({ ...base, date: '2026-12-01' });
    // Plugin names, except those that are also plain words of the notice's own text ("weather").
    const words = JSON.stringify(
      Object.values(dated.purposes).map((p) => [p.label, p.description, p.categories]),
    );
    const names = [
      ...Object.values(dated.purposes).flatMap((p) => p.plugins.map((pl) => pl.name)),
      ...dated.consentProviders.map((cp) => cp.name),
    ].filter((name) => !new RegExp(`\\b${name}\\b`, 'i').test(words));

    it.each(['markdown', 'html'] as const)(
      'the %s names no plugin package and shows no hash, only the date the version applies from',
      (format) => {
        const text = renderNotice(dated, { format, lang });
        // The HTML keeps the full version in an attribute for machines; what people read has no hash.
        const read = text.replace(/ data-notice-version="[0-9a-f]{64}"/, '');
        expect(read).not.toMatch(/[0-9a-f]{12,}/);
        for (const name of new Set(names))
          expect(read, name).not.toMatch(new RegExp(`(?<![\\w.-])${name}(?![\\w.-])`));
        expect(read).toContain(
          lang === 'en'
            ? 'This version of the notice applies from 1 December 2026.'
            : 'Phiên bản thông báo này áp dụng từ ngày 1 tháng 12 năm 2026.',
        );
        // What does the processing, in the plugins' own words.
        expect(read).toContain(
          lang === 'en' ? 'adapts content to the moment' : 'điều chỉnh nội dung theo thời điểm',
        );
        expect(read).not.toContain(lang === 'en' ? 'Handled by' : 'Notice version');
        if (format === 'html') expect(text).toContain(`data-notice-version="${dated.version}"`);
      },
    );

    it('leaves the version line and the list of what does it out when the configuration says neither', () => {
      const clock = defineStrategy({
        manifest: {
          name: 'clock',
          version: '1.0.0',
          core: '^0.1.0',
          purposes: ['personalization.contextual'],
          reads: [{ category: 'context.time', purpose: 'personalization.contextual' }],
        },
        decide: () => ({ proposals: [] }),
      });
      const bare = generateNotice({ strategies: [clock], controller: CONTROLLER });
      expect(bare.purposes['personalization.contextual']?.plugins.map((p) => p.name)).toEqual(['clock']);
      const md = renderNotice(bare, { lang });
      expect(md).not.toMatch(/version of the notice|Phiên bản thông báo này|What does it|Thành phần xử lý/);
      expect(md).not.toMatch(/[0-9a-f]{12,}/);
      expect(md).not.toMatch(/\bclock\b/);
    });
  });

  it('keeps the full version hash in the JSON form; the date is part of what it hashes', () => {
    const a = generateNotice({ ...base, date: '2026-12-01' });
    const b = generateNotice({ ...base, date: '2027-01-15' });
    const undated = generateNotice(base);
    const json = JSON.parse(renderNotice(a, { format: 'json' }));
    expect(json.version).toBe(a.version);
    expect(json.version).toMatch(/^[0-9a-f]{64}$/);
    expect(json.date).toBe('2026-12-01');
    expect(b.version).not.toBe(a.version);
    expect(undated.version).not.toBe(a.version);
    // A new date is no new text of any purpose: consent given under it stays valid.
    for (const id of Object.keys(a.purposes)) expect(b.purposes[id]!.hash).toBe(a.purposes[id]!.hash);
    expect(parseNotice(json).version).toBe(a.version);
    for (const date of ['2026-02-30', '1 Dec 2026', '2026-1-5']) {
      try {
        generateNotice({ ...base, date });
        expect.unreachable();
      } catch (e) {
        expect(isTactfulError(e) && e.code, date).toBe('INVALID_OPTIONS');
        expect(String((e as Error).message), date).toMatch(/date/);
      }
    }
  });
});
