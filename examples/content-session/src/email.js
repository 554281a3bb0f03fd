// Part 1: the same email template, rendered for three recipients. Ann and Bình agreed to
// personalized email (marketing.email); Chi did not, so Chi gets the generic version.
import { memoryConsentStore, optInConsent } from '@tactful/consent';
import { defineCatalog, dynamicContent, renderEmailBatch } from '@tactful/dynamic-content';
import { createOrchestrator } from '@tactful/orchestrator';

export const emailCatalog = defineCatalog({
  slots: [
    {
      id: 'email.subject',
      description: 'Subject line: a split on the subject id, used only with measurement consent.',
      experiment: { id: 'june-subject', version: 1, bucketBy: 'subject' },
      default: { content: 'News from Tactful Shop', locales: { vi: 'Tin mới từ Tactful Shop' } },
      variants: [
        { id: 'plain', weight: 1, content: 'Your June picks', locales: { vi: 'Gợi ý tháng Sáu cho bạn' } },
        { id: 'playful', weight: 1, content: 'Summer is here!', locales: { vi: 'Hè đến rồi!' } },
      ],
    },
    {
      id: 'email.hero',
      default: { content: { title: 'This month at the shop', url: 'https://shop.example/new' } },
      variants: [
        {
          id: 'summer',
          schedule: { start: '2026-06-01T00:00:00+07:00', end: '2026-09-01T00:00:00+07:00' },
          content: { title: 'Summer collection, picked for you', url: 'https://shop.example/summer' },
          locales: { vi: { title: 'Bộ sưu tập hè dành cho bạn', url: 'https://shop.example/vi/summer' } },
        },
      ],
    },
  ],
});

export const emailTemplate = {
  subject: '{{ slots["email.subject"] }}',
  html: [
    '<table role="presentation" width="100%"><tr><td>',
    '<h1>{{ recipient.greeting ?? "Hello" }} {{ recipient.firstName ?? "there" }},</h1>',
    '<p><a href="{{ slots["email.hero"].url }}">{{ slots["email.hero"].title }}</a></p>',
    '<p style="font-size:12px"><a href="{{ common.unsubscribeUrl }}">Unsubscribe</a></p>',
    '</td></tr></table>',
  ].join(''),
  text: '{{ recipient.firstName ?? "Hello" }}: {{ slots["email.hero"].title }} {{ slots["email.hero"].url }}',
};

const NOTICE = { version: '2026-06', hash: 'sha256-5f2b1c9e0a7d4e3f' };

/** Renders the June email for Ann, Bình and Chi; returns what each got. */
export async function runEmail() {
  const store = memoryConsentStore();
  for (const purpose of ['marketing.email', 'measurement']) {
    await store.append({
      subject: 'ann',
      purpose,
      status: 'granted',
      method: 'preference-center',
      notice: NOTICE,
    });
  }
  await store.append({
    subject: 'binh',
    purpose: 'marketing.email',
    status: 'granted',
    method: 'banner',
    notice: NOTICE,
  });
  // Chi never agreed to personalized email: no record, so it is denied (P1).

  const tactful = createOrchestrator({
    consent: [optInConsent({ store })],
    strategies: [dynamicContent({ catalog: emailCatalog, channel: 'email', name: 'email-content' })],
    timeouts: { consentMs: 5000, strategyMs: 5000, decisionMs: 15000 },
  });
  const people = [
    { id: 'ann', firstName: 'Ann', greeting: 'Hi', locale: 'en' },
    { id: 'binh', firstName: 'Bình', greeting: 'Chào', locale: 'vi-VN' },
    { id: 'chi', firstName: 'Chi', greeting: 'Hi', locale: 'en' },
  ];
  function* recipients() {
    for (const p of people) {
      yield {
        id: p.id,
        request: {
          subject: { id: p.id },
          context: { locale: p.locale, now: '2026-06-15T08:00:00+07:00' },
          slots: [{ id: 'email.subject' }, { id: 'email.hero' }],
        },
        values: { firstName: p.firstName, greeting: p.greeting },
        common: { unsubscribeUrl: `https://shop.example/unsubscribe?u=${p.id}` },
      };
    }
  }
  const emails = [];
  for await (const email of renderEmailBatch(tactful, recipients(), {
    template: emailTemplate,
    nonConsented: 'generic',
    catalog: emailCatalog,
  })) {
    emails.push(email);
  }
  return emails;
}
