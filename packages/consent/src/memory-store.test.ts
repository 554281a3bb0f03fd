import { describe, expect, it } from 'vitest';
import { describeConsentStoreConformance } from '@tactful/testing';
import { memoryConsentStore } from '@tactful/consent';

describeConsentStoreConformance({
  name: 'memoryConsentStore',
  create: ({ clock }) => memoryConsentStore({ clock }),
});

describe('memoryConsentStore latest()', () => {
  const notice = { version: '1', hash: 'sha256-abcdef12' };
  const record = (purpose: string, status: 'granted' | 'withdrawn') => ({
    subject: 'u-1',
    purpose,
    status,
    method: 'banner' as const,
    notice,
  });

  it('answers the last record of each purpose after a long history, as a scan of history() does', async () => {
    const store = memoryConsentStore();
    const purposes = ['personalization.profile', 'personalization.session', 'measurement'];
    for (let i = 0; i < 60; i++) {
      await store.append(record(purposes[i % 3]!, i % 2 === 0 ? 'granted' : 'withdrawn'));
    }
    const scanned = new Map<string, unknown>();
    for (const r of await store.history('u-1')) scanned.set(r.purpose, r);
    const latest = await store.latest('u-1');
    expect([...latest.keys()].sort()).toEqual([...purposes].sort());
    for (const p of purposes) expect(latest.get(p)).toBe(scanned.get(p));
    // A withdrawal is the answer of the very next read.
    await store.append(record('measurement', 'withdrawn'));
    expect((await store.latest('u-1')).get('measurement')?.status).toBe('withdrawn');
  });

  it('hands out a copy: changing the answer changes nothing stored', async () => {
    const store = memoryConsentStore();
    await store.append(record('measurement', 'granted'));
    const first = (await store.latest('u-1')) as Map<string, unknown>;
    first.delete('measurement');
    first.set('personalization.profile', { status: 'granted' });
    const again = await store.latest('u-1');
    expect([...again.keys()]).toEqual(['measurement']);
    expect(again.get('measurement')?.status).toBe('granted');
  });

  it('forgets an erased subject, and a later record starts a new latest map', async () => {
    const store = memoryConsentStore();
    await store.append(record('measurement', 'granted'));
    await store.append(record('personalization.profile', 'granted'));
    await store.eraseSubject('u-1');
    expect((await store.latest('u-1')).size).toBe(0);
    const next = await store.append(record('measurement', 'withdrawn'));
    const latest = await store.latest('u-1');
    expect([...latest.keys()]).toEqual(['measurement']);
    expect(latest.get('measurement')).toBe(next);
    expect(next.supersedes).toBeNull();
  });
});
