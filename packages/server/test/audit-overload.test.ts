import type { Tactful } from '@tactful/config';
import { TactfulError } from '@tactful/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startShop } from './helpers.js';

/** The assembly with the audit trail's admission replaced, and decide() calls counted. */
function withAdmission(admit: () => Promise<void> | undefined, counter: { decisions: number }) {
  return (tactful: Tactful): Tactful => {
    const audit = tactful.audit!;
    return {
      ...tactful,
      audit: { ...audit, admit },
      engine: {
        ...tactful.engine,
        decide: (...args: Parameters<Tactful['engine']['decide']>) => {
          counter.decisions++;
          return tactful.engine.decide(...args);
        },
      },
    };
  };
}

describe('the decide route applies the audit overload policy before deciding', () => {
  let shop: Harness | undefined;
  afterEach(async () => {
    await shop?.stop();
    shop = undefined;
  });

  it("answers 503 with Retry-After and makes no decision when the trail sheds ('shed')", async () => {
    const counter = { decisions: 0 };
    shop = await startShop({
      wrap: withAdmission(() => {
        throw new TactfulError('AUDIT_OVERLOADED', 'audit: 10000 recordings are already waiting');
      }, counter),
    });
    const b = shop.browser();
    const r = await b.json<{ error: { code: string } }>('/v1/decide', {
      body: { slots: [{ id: 'home.hero' }] },
    });
    expect(r.status).toBe(503);
    expect(r.response.headers.get('retry-after')).toBeTruthy();
    expect(r.body.error.code).toBe('AUDIT_OVERLOADED');
    expect(counter.decisions).toBe(0);
  });

  it("holds the decision until the trail has room ('wait')", async () => {
    const counter = { decisions: 0 };
    let open = () => {};
    const room = new Promise<void>((resolve) => {
      open = resolve;
    });
    shop = await startShop({ wrap: withAdmission(() => room, counter) });
    const b = shop.browser();
    const answer = b.fetch('/v1/decide', { body: { slots: [{ id: 'home.hero' }] } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(counter.decisions).toBe(0);
    open();
    expect((await answer).status).toBe(200);
    expect(counter.decisions).toBe(1);
  });

  it('passes the configured policy to the trail (audit.overload, audit.maxQueue)', async () => {
    shop = await startShop({ patch: { audit: { enabled: true, overload: 'shed', maxQueue: 5 } } });
    const audit = shop.server.tactful.audit!;
    expect(audit.admit()).toBeUndefined();
    expect(audit.stats()).toMatchObject({ queued: 0, unrecorded: 0, shed: 0 });
  });
});
