import { isTactfulError } from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import { describe, expect, it } from 'vitest';
import {
  defineCatalog,
  dynamicContent,
  type EmailRecipient,
  renderEmailBatch,
  type RenderedEmail,
} from './index.js';
import { tableConsent } from '../test/consent.js';

const catalog = defineCatalog({
  slots: [
    {
      id: 'email.subject',
      default: { content: 'News from Tactful Shop' },
      variants: [{ id: 'loyal', when: { segments: 'loyal' }, content: 'A thank-you for our regulars' }],
    },
    {
      id: 'email.hero',
      default: { content: { title: 'This month at the shop', url: 'https://shop.example/new' } },
      variants: [
        {
          id: 'loyal',
          when: { segments: 'loyal' },
          content: { title: 'Early access for members', url: 'https://shop.example/members' },
          locales: { vi: { title: 'Ưu đãi sớm cho thành viên', url: 'https://shop.example/vi/members' } },
        },
      ],
    },
  ],
});

const template = {
  subject: '{{ slots["email.subject"] }}',
  html: '<h1>Hi {{ recipient.firstName ?? "there" }}</h1><p><a href="{{ slots["email.hero"].url }}">{{ slots["email.hero"].title }}</a></p><p><a href="{{ common.unsubscribeUrl }}">Unsubscribe</a></p>',
  text: 'Hi {{ recipient.firstName ?? "there" }}: {{ slots["email.hero"].title }}',
};

/** A stand-in for the segments strategy, publishing memberships from a table. */
import { defineStrategy } from '@tactful/core';
const memberships = (table: Record<string, string[]>) =>
  defineStrategy({
    manifest: {
      name: 'test-memberships',
      version: '1.0.0',
      core: '^0.1.0',
      purposes: ['marketing.email'],
      reads: [{ category: 'subject.id', purpose: 'marketing.email' }],
      signals: { publishes: [{ name: 'segments.memberships' }] },
    },
    decide: (input) => ({
      proposals: [],
      signals: { 'segments.memberships': table[String(input.data['subject.id'])] ?? [] },
    }),
  });

function orchestrator() {
  return createOrchestrator({
    consent: [tableConsent({ ann: ['marketing.email'], binh: ['marketing.email'] })],
    // generous deadlines: these tests are about rendering, not about a loaded CI machine
    timeouts: { consentMs: 5000, strategyMs: 5000, decisionMs: 10_000 },
    strategies: [
      memberships({ ann: ['loyal'], binh: ['loyal'], chi: ['loyal'] }),
      dynamicContent({ catalog, channel: 'email', name: 'email-content' }),
    ],
  });
}

const recipient = (id: string, firstName: string, locale?: string): EmailRecipient => ({
  id,
  request: {
    subject: { id },
    slots: [{ id: 'email.subject' }, { id: 'email.hero' }],
    ...(locale ? { context: { locale } } : {}),
  },
  values: { firstName },
  common: { unsubscribeUrl: `https://shop.example/unsubscribe?u=${id}` },
});

async function collect(iterable: AsyncIterable<RenderedEmail>): Promise<RenderedEmail[]> {
  const out: RenderedEmail[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('renderEmailBatch', () => {
  it('personalizes only for recipients whose marketing.email consent is granted; the others get the generic version', async () => {
    const emails = await collect(
      renderEmailBatch(
        orchestrator(),
        [recipient('ann', 'Ann'), recipient('binh', 'Bình', 'vi'), recipient('chi', 'Chi')],
        {
          template,
          nonConsented: 'generic',
          catalog,
        },
      ),
    );
    expect(emails.map((e) => [e.recipient, e.status])).toEqual([
      ['ann', 'personalized'],
      ['binh', 'personalized'],
      ['chi', 'generic'],
    ]);
    const [ann, binh, chi] = emails as Array<Extract<RenderedEmail, { html: string }>>;
    expect(ann!.subject).toBe('A thank-you for our regulars');
    expect(ann!.html).toBe(
      '<h1>Hi Ann</h1><p><a href="https://shop.example/members">Early access for members</a></p><p><a href="https://shop.example/unsubscribe?u&#61;ann">Unsubscribe</a></p>',
    );
    expect(binh!.html).toContain('Ưu đãi sớm cho thành viên');
    expect(ann!.decision?.slots.find((s) => s.slot === 'email.hero')?.variant).toBe('loyal');
    // the generic one carries neither the person's name nor anything decided about them
    expect(chi!.subject).toBe('News from Tactful Shop');
    expect(chi!.html).toBe(
      '<h1>Hi there</h1><p><a href="https://shop.example/new">This month at the shop</a></p><p><a href="https://shop.example/unsubscribe?u&#61;chi">Unsubscribe</a></p>',
    );
    expect(chi!.text).toBe('Hi there: This month at the shop');
    expect(chi!.decision).toBeUndefined();
  });

  it('skips recipients without consent when asked to', async () => {
    const emails = await collect(
      renderEmailBatch(orchestrator(), [recipient('chi', 'Chi'), recipient('ann', 'Ann')], {
        template,
        nonConsented: 'skip',
      }),
    );
    expect(emails).toEqual([
      { recipient: 'chi', status: 'skipped', reason: 'no-consent' },
      expect.objectContaining({ recipient: 'ann', status: 'personalized' }),
    ]);
  });

  it('escapes personal values and drops unsafe URLs in the email', async () => {
    const evil: EmailRecipient = {
      ...recipient('ann', '<img src=x onerror=alert(1)>'),
      common: { unsubscribeUrl: 'javascript:alert(1)' },
    };
    const [email] = await collect(
      renderEmailBatch(orchestrator(), [evil], { template, nonConsented: 'skip' }),
    );
    const html = (email as { html: string }).html;
    expect(html).toContain('Hi &lt;img src&#61;x onerror&#61;alert(1)&gt;');
    expect(html).toContain('href="about:invalid#tactful-unsafe-url">Unsubscribe');
  });

  it('yields a failed entry for a malformed request and goes on', async () => {
    const bad = { id: 'bad', request: { slots: [] } } as EmailRecipient;
    const emails = await collect(
      renderEmailBatch(orchestrator(), [bad, recipient('ann', 'Ann')], { template, nonConsented: 'skip' }),
    );
    expect(emails[0]).toMatchObject({ recipient: 'bad', status: 'failed' });
    expect(isTactfulError((emails[0] as { error: unknown }).error)).toBe(true);
    expect(emails[1]).toMatchObject({ recipient: 'ann', status: 'personalized' });
  });

  it('rejects a bad template before reading any recipient', async () => {
    let pulled = 0;
    function* recipients() {
      pulled++;
      yield recipient('ann', 'Ann');
    }
    const batch = renderEmailBatch(orchestrator(), recipients(), {
      template: { subject: 'x', html: '<script>x</script>' },
      nonConsented: 'skip',
    });
    await expect(batch.next()).rejects.toThrow(/email template "html".*<script> is not allowed/);
    expect(pulled).toBe(0);
  });

  it('streams: 100,000 recipients pass through with at most `concurrency` of them held at once', async () => {
    const tactful = orchestrator();
    const total = 100_000;
    const concurrency = 16;
    let pulled = 0;
    let maxAhead = 0;
    let consumed = 0;
    async function* recipients() {
      for (let i = 0; i < total; i++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - consumed);
        yield recipient(i % 3 === 2 ? 'chi' : i % 3 === 1 ? 'binh' : 'ann', `R${i}`);
      }
    }
    let personalized = 0;
    let generic = 0;
    for await (const email of renderEmailBatch(tactful, recipients(), {
      template,
      nonConsented: 'generic',
      catalog,
      concurrency,
    })) {
      consumed++;
      if (email.status === 'personalized') personalized++;
      if (email.status === 'generic') generic++;
    }
    expect(consumed).toBe(total);
    expect(personalized).toBe(66_667);
    expect(generic).toBe(33_333);
    expect(maxAhead).toBeLessThanOrEqual(concurrency + 1);
  }, 120_000);

  it('stops pulling recipients when the consumer stops', async () => {
    let pulled = 0;
    let closed = false;
    function* recipients() {
      try {
        for (let i = 0; i < 1000; i++) {
          pulled++;
          yield recipient('ann', 'Ann');
        }
      } finally {
        closed = true;
      }
    }
    for await (const _ of renderEmailBatch(orchestrator(), recipients(), {
      template,
      nonConsented: 'skip',
      concurrency: 4,
    }))
      break;
    expect(pulled).toBeLessThanOrEqual(5);
    expect(closed).toBe(true);
  });
});
