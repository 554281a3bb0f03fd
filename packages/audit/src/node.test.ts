import { createAuditTrail } from './audit-trail.js';
import { hashing } from './crypto.js';
import { memoryAuditStore } from './memory-store.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeAuditHashing } from './node.js';

const KEY = 'node-hashing-test-key-0123456789abcdef0123';

describe('nodeAuditHashing', () => {
  it('gives the same SHA-256 and HMAC as the built-in hashing, for every text and key', () => {
    const node = nodeAuditHashing();
    const js = hashing();
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.uint8Array({ minLength: 0, maxLength: 130 }),
        (text, raw) => {
          expect(node.sha256Hex(text)).toBe(js.sha256Hex(text));
          const a = node.hmacKey(raw);
          const b = js.hmacKey(raw);
          expect(Buffer.from(a.mac(text)).toString('hex')).toBe(Buffer.from(b.mac(text)).toString('hex'));
          expect(a.macHex?.(text)).toBe(Buffer.from(b.mac(text)).toString('hex'));
        },
      ),
    );
  });

  it('writes a trail that the built-in hashing verifies, and the other way round', async () => {
    const decision = (i: number) => ({
      traceId: `trace-${i}`,
      decidedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      slots: [
        {
          slot: 'home.hero',
          content: 'x',
          strategy: 's',
          isDefault: false,
          variant: 'v',
          explanation: {
            strategy: 's',
            summary: { en: 'x', vi: 'x' },
            signals: [],
            purposes: [],
            categories: [],
          },
        },
      ],
      purposesUsed: ['personalization.profile'],
      categoriesUsed: ['profile.preferences'],
      dropped: [],
      consent: { purposes: {}, noticeVersion: undefined, signals: { gpc: false, dnt: false } },
    });
    const store = memoryAuditStore();
    const byNode = createAuditTrail({ store, key: KEY, hashing: nodeAuditHashing() });
    for (let i = 0; i < 5; i++) await byNode.record(decision(i) as never, { subject: `u-${i % 2}` });
    const byJs = createAuditTrail({ store, key: KEY });
    expect(await byJs.verify()).toMatchObject({ ok: true, checked: 5 });
    await byJs.record(decision(9) as never, { subject: 'u-1' });
    expect(await byNode.verify()).toMatchObject({ ok: true, checked: 6 });
    expect(await byNode.pseudonym('u-1')).toBe(await byJs.pseudonym('u-1'));
  });
});
