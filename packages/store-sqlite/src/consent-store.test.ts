import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeConsentStoreConformance, consentGrant } from '@tactful/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, sqliteConsentStore } from '@tactful/store-sqlite';

const dir = mkdtempSync(join(tmpdir(), 'tactful-consent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeConsentStoreConformance({
  name: 'sqliteConsentStore (file)',
  create: ({ clock }) => sqliteConsentStore({ filename: join(dir, `conformance-${n++}.db`), clock }),
});

describeConsentStoreConformance({
  name: 'sqliteConsentStore (in-memory database)',
  create: ({ clock }) => sqliteConsentStore({ db: openDatabase(':memory:'), clock }),
});

describe('sqliteConsentStore', () => {
  it('keeps records across reopening the file, and refuses updates to them', async () => {
    const file = join(dir, 'reopen.db');
    const first = sqliteConsentStore({ filename: file });
    const record = await first.append(consentGrant());
    await first.close?.();
    const db = openDatabase(file);
    expect(() => db.prepare("UPDATE consent_records SET status = 'denied'").run()).toThrow(/append-only/);
    db.close();
    const second = sqliteConsentStore({ filename: file });
    expect(await second.history('subject-1')).toEqual([record]);
    await second.close?.();
  });

  it('shares one chain between two stores on the same file (two processes)', async () => {
    const file = join(dir, 'shared.db');
    const a = sqliteConsentStore({ filename: file });
    const b = sqliteConsentStore({ filename: file });
    await a.append(consentGrant());
    const second = await b.append(consentGrant({ purpose: 'measurement' }));
    expect(second.seq).toBe(2);
    expect((await a.latest('subject-1')).get('measurement')?.id).toBe(second.id);
    await a.close?.();
    await b.close?.();
  });

  it('reports a failing database as STORE_FAILED', async () => {
    const db = openDatabase(':memory:');
    const store = sqliteConsentStore({ db });
    db.close();
    await expect(store.history('subject-1')).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });

  it('rejects missing options with INVALID_OPTIONS', () => {
    expect(() => sqliteConsentStore({} as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});
