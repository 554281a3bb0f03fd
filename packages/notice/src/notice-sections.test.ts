import { defineDataSource, defineStrategy, isTactfulError } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { generateNotice } from './generate-notice.js';
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
    expect(en).toContain(
      'looked up when needed from weather (From the weather service at api.open-meteo.com), not kept',
    );
    expect(en).not.toContain('from the request your browser sends; looked up');
    expect(en.match(/show content in your language/gi)).toHaveLength(1);
    const vi = renderNotice(notice, { lang: 'vi' });
    expect(vi).toContain('chỉ tra cứu khi cần từ weather (Từ dịch vụ thời tiết tại api.open-meteo.com)');
    expect(vi.match(/hiển thị nội dung bằng ngôn ngữ/gi)).toHaveLength(1);
  });
});
