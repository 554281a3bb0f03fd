import { describe, expect, it } from 'vitest';
import { mergeIntoProfile, type ProfilePatch } from './merge.js';
import { createSessionStore } from './session-store.js';

function sessionWithEvents() {
  const store = createSessionStore();
  const { id } = store.open();
  store.record(id, { type: 'product_view', target: 'lego-city', topics: ['kids'] });
  store.record(id, { type: 'search', target: 'pregnancy test' });
  store.record(id, { type: 'add_to_cart', target: 'lego-city' });
  store.record(id, { type: 'dwell', target: '/kids', durationMs: 42_000 });
  return { store, id };
}

describe('mergeIntoProfile', () => {
  it('refuses without personalization.profile consent and writes nothing', async () => {
    const { store, id } = sessionWithEvents();
    const writes: ProfilePatch[] = [];
    for (const consent of [
      [],
      ['personalization.session'],
      { purposes: { 'personalization.profile': { status: 'denied' as const, provider: 'x' } } },
    ]) {
      await expect(
        mergeIntoProfile({ store, sessionId: id, consent, write: (p) => void writes.push(p) }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(writes).toEqual([]);
    expect(store.events(id)).toHaveLength(4);
  });

  it('with consent, writes page views (not searches or cart events) and rotates the session', async () => {
    const { store, id } = sessionWithEvents();
    const writes: ProfilePatch[] = [];
    const result = await mergeIntoProfile({
      store,
      sessionId: id,
      consent: { purposes: { 'personalization.profile': { status: 'granted', provider: 'opt-in' } } },
      write: (p) => void writes.push(p),
    });
    expect(result.merged).toBe(2);
    expect(writes[0]?.['behavior.pageviews']).toEqual([
      expect.objectContaining({ productId: 'lego-city', topics: ['kids'] }),
      expect.objectContaining({ url: '/kids', durationMs: 42_000 }),
    ]);
    expect(JSON.stringify(writes)).not.toContain('pregnancy');
    expect(result.sessionId).not.toBe(id);
    expect(store.events(id)).toBeUndefined();
    expect(store.events(result.sessionId)).toEqual([]);
  });
});
