import { defineStrategy, isTactfulError } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { generateNotice } from './generate-notice.js';
import { escapeMarkdown, renderNotice } from './render.js';
import { NoticeSchema, noticeJsonSchema } from './schema.js';
import { CONTROLLER, shopPlugins } from './test-fixtures.js';

const notice = generateNotice({
  ...shopPlugins(),
  controller: CONTROLLER,
  rightsUrl: 'https://shop.example/privacy',
  jurisdictions: ['VN', 'EU'],
  retention: { consentRecordsDays: 1825, auditDays: 180 },
});

describe('renderNotice', () => {
  it('writes the Vietnamese notice in the terms of Vietnamese law, naming Law 91/2025/QH15 and Decree 356/2025/NĐ-CP', () => {
    const vi = renderNotice(notice, { lang: 'vi' });
    expect(vi).toContain('# Thông báo về xử lý dữ liệu cá nhân: Shop ABC');
    expect(vi).toContain('Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và Nghị định 356/2025/NĐ-CP');
    expect(vi).toContain('GDPR');
    for (const term of [
      'Bên kiểm soát dữ liệu cá nhân',
      'Mục đích xử lý dữ liệu cá nhân',
      'Rút lại sự đồng ý',
      'Truy cập dữ liệu của bạn và tải xuống bản sao',
      'Chỉnh sửa dữ liệu',
      'Xóa dữ liệu',
      'quyền hạn chế xử lý dữ liệu',
      'quyền phản đối xử lý dữ liệu',
      'dữ liệu Zero-Party',
      'dữ liệu First-Party',
      'Cá nhân hóa dựa trên ngữ cảnh',
      'lưu tối đa 730 ngày',
      'chỉ lưu trong phiên truy cập hiện tại',
      'Để gợi ý ô khi trời mưa.',
      'Chỉ có thể tắt mục đích xử lý, không bao giờ bật.',
      'lưu 1825 ngày',
    ]) {
      expect(vi, term).toContain(term);
    }
    expect(vi).not.toMatch(/\b(Why|Consent|kept for)\b/);
  });

  it('writes the English notice with every purpose, its data, retention and how to withdraw', () => {
    const en = renderNotice(notice);
    expect(en).toContain(
      "Vietnam's Law on Personal Data Protection (Law No. 91/2025/QH15) and Decree No. 356/2025/ND-CP",
    );
    expect(en).toContain('### Personalization from your profile');
    expect(en).toContain(
      '**Purchases**: what you did on our site or app (first-party data); kept for up to 365 days.',
    );
    expect(en).toContain(
      '**How to withdraw:** at any time, as easily as you agreed, at [https://shop.example/privacy]',
    );
    expect(en).toContain('[privacy@shop.example](<mailto:privacy@shop.example>)');
    expect(en).not.toContain(notice.version.slice(0, 12));
    expect(en).toContain('- **What does it:** adapts content to the moment.');
  });

  it('renders a standalone HTML fragment in which every piece of data is escaped', () => {
    const evil = defineStrategy({
      manifest: {
        name: 'evil',
        version: '1.0.0',
        core: '>=0.1.0',
        description: { en: '<script>alert("x")</script> & <b>bold</b>' },
        purposes: ['personalization.contextual'],
        reads: [
          {
            category: 'context.time',
            purpose: 'personalization.contextual',
            why: { en: '<img src=x onerror=alert(1)>' },
          },
        ],
      },
      decide: () => ({ proposals: [] }),
    });
    const hostile = generateNotice({
      strategies: [evil],
      controller: { name: 'A "quoted" <Shop>', contact: 'https://shop.example/contact?a=1&b=2' },
    });
    const html = renderNotice(hostile, { format: 'html', lang: 'en' });
    expect(
      html.startsWith(`<section class="tactful-notice" lang="en" data-notice-version="${hostile.version}">`),
    ).toBe(true);
    expect(html.trimEnd().endsWith('</section>')).toBe(true);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('<a href="https://shop.example/contact?a&#61;1&amp;b&#61;2">');
    const tags = [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(['section', 'h1', 'h2', 'h3', 'p', 'ul', 'li', 'strong', 'a']));

    const md = renderNotice(hostile, { format: 'markdown' });
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script\\>');
  });

  it('accepts "md" for Markdown, as the command line spells it', () => {
    expect(renderNotice(notice, { format: 'md', lang: 'vi' })).toBe(
      renderNotice(notice, { format: 'markdown', lang: 'vi' }),
    );
  });

  it('escapes Markdown syntax that comes from data', () => {
    expect(escapeMarkdown('*bold* [link](x) `code` <b> # h')).toBe(
      '\\*bold\\* \\[link\\](x) \\`code\\` &lt;b\\> \\# h',
    );
    expect(escapeMarkdown('- item\n1. item')).toBe('\\- item\n1\\. item');
  });

  it('renders the documented JSON structure, valid against NoticeSchema', () => {
    const json = JSON.parse(renderNotice(notice, { format: 'json' }));
    expect(NoticeSchema.safeParse(json).success).toBe(true);
    expect(json.format).toBe('tactful-notice/1');
    expect(json.purposes['personalization.profile'].hash).toBe(
      notice.purposes['personalization.profile']!.hash,
    );
  });

  it('publishes a JSON Schema of the JSON form that requires every top-level field', () => {
    const schema = noticeJsonSchema() as {
      required: string[];
      properties: Record<string, { const?: string }>;
    };
    expect(schema.required.sort()).toEqual(
      [
        'consentProviders',
        'controller',
        'format',
        'jurisdictions',
        'purposes',
        'retention',
        'rights',
        'version',
      ].sort(),
    );
    expect(schema.properties['format']?.const).toBe('tactful-notice/1');
    const json = JSON.parse(renderNotice(notice, { format: 'json' }));
    expect(Object.keys(json).every((key) => key in schema.properties)).toBe(true);
  });

  it('rejects unknown formats and languages with INVALID_OPTIONS', () => {
    for (const options of [{ format: 'pdf' }, { lang: 'fr' }] as const) {
      try {
        renderNotice(notice, options as never);
        expect.unreachable();
      } catch (e) {
        expect(isTactfulError(e) && e.code).toBe('INVALID_OPTIONS');
      }
    }
  });

  it('keeps punctuation clean around descriptions that end with a full stop', () => {
    const withStops = generateNotice({
      strategies: [
        defineStrategy({
          manifest: {
            name: 'clock',
            version: '1.0.0',
            core: '>=0.1.0',
            description: { en: 'Adapts to the hour.' },
            purposes: ['personalization.contextual'],
            reads: [{ category: 'context.time', purpose: 'personalization.contextual' }],
          },
          decide: () => ({ proposals: [] }),
        }),
      ],
      consent: [
        { name: 'banner', version: '1.0.0', core: '>=0.1.0', description: { en: 'Your banner choices.' } },
      ],
      controller: CONTROLLER,
    });
    const md = renderNotice(withStops);
    expect(md).toContain('**What does it:** Adapts to the hour.\n');
    expect(md).toContain('- Your banner choices.\n');
    expect(md).not.toMatch(/\.[.;]/);
  });

  it('says so plainly when nothing personal is used or stored', () => {
    const empty = generateNotice({ controller: CONTROLLER, jurisdictions: [] });
    const en = renderNotice(empty);
    expect(en).toContain('This configuration uses no personal data to personalize anything.');
    expect(en).toContain('nothing to download or delete');
    expect(en).not.toContain('Law No.');
  });
});
