import { describe, expect, it } from 'vitest';
import { createConsentManager, memoryConsentStore } from '@tactful/consent';

const T0 = Date.parse('2026-03-01T08:05:09.000Z');

async function twoActs() {
  let now = T0;
  const store = memoryConsentStore({ clock: () => now });
  const consent = createConsentManager({ store, clock: () => now });
  const [grant] = await consent.grant({
    subject: 'u-42',
    purpose: 'personalization.profile',
    method: 'banner',
    notice: { version: '2026-03', hash: 'sha256-aaaaaaaa01' },
    locale: 'vi-VN',
    jurisdiction: 'VN',
    source: 'web:/privacy',
    expiresAt: '2027-03-01T00:00:00Z',
  });
  now += 3_600_000;
  const [withdrawal] = await consent.withdraw({
    subject: 'u-42',
    purpose: 'personalization.profile',
    method: 'preference-center',
    actor: { type: 'guardian', guardianId: 'parent-1', relationship: 'parent' },
  });
  return { consent, grant: grant!, withdrawal: withdrawal! };
}

describe('exportHistory as text', () => {
  it('prints every act in English with date, decision, purpose, method, notice, actor and proof', async () => {
    const { consent, grant, withdrawal } = await twoActs();
    const text = await consent.exportHistory('u-42', { format: 'text', locale: 'en' });
    expect(text).toContain('WRITTEN RECORD OF CONSENT');
    expect(text).toContain('Person (pseudonymous id): u-42');
    expect(text).toContain('Consent acts recorded: 2');
    expect(text).toContain('Integrity: verified');
    expect(text).toContain(
      '1. 2026-03-01 08:05:09 UTC — CONSENT GIVEN — Personalization from your profile (personalization.profile)',
    );
    expect(text).toContain('How: consent banner');
    expect(text).toContain('Notice shown: version 2026-03 (section fingerprint sha256-aaaaaaaa01)');
    expect(text).toContain('By: the person themself');
    expect(text).toContain('Language: vi-VN · Jurisdiction: VN · Where: web:/privacy');
    expect(text).toContain('Valid until: 2027-03-01 00:00:00 UTC');
    expect(text).toContain(`Record: ${grant.id} · SHA-256 ${grant.hash} · first record`);
    expect(text).toContain('2. 2026-03-01 09:05:09 UTC — CONSENT WITHDRAWN');
    expect(text).toContain("By: guardian parent-1 (parent) on the person's behalf");
    expect(text).toContain(`follows ${grant.id}`);
    expect(text).toContain(withdrawal.hash);
    expect(text).toContain(
      '- Personalization from your profile (personalization.profile): not given (withdrawn)',
    );
    expect(text).toContain(
      '- Strictly necessary (necessary): given (needed to provide the service; no consent required)',
    );
  });

  it('prints the same record in Vietnamese', async () => {
    const { consent } = await twoActs();
    const text = await consent.exportHistory('u-42', { format: 'text', locale: 'vi' });
    expect(text).toContain('BẢN GHI SỰ ĐỒNG Ý BẰNG VĂN BẢN');
    expect(text).toContain('Chủ thể dữ liệu (mã định danh bí danh): u-42');
    expect(text).toContain(
      '1. 08:05:09 ngày 01/03/2026 (UTC) — ĐỒNG Ý — Cá nhân hóa theo hồ sơ của bạn (personalization.profile)',
    );
    expect(text).toContain('2. 09:05:09 ngày 01/03/2026 (UTC) — RÚT LẠI SỰ ĐỒNG Ý');
    expect(text).toContain('Cách thức: trung tâm tùy chỉnh sở thích');
    expect(text).toContain('Tính toàn vẹn: đã xác minh');
    expect(text).toContain('người giám hộ parent-1 (parent) thay mặt chủ thể dữ liệu');
    expect(text).toContain(
      'Cá nhân hóa theo hồ sơ của bạn (personalization.profile): chưa đồng ý (đã rút lại sự đồng ý)',
    );
    expect(text).not.toMatch(/CONSENT GIVEN|How:|Notice shown/);
  });

  it('says so when there is nothing, and mentions an earlier erasure', async () => {
    const { consent } = await twoActs();
    await consent.eraseSubject('u-42');
    const en = await consent.exportHistory('u-42', { format: 'text', locale: 'en' });
    expect(en).toContain('No consent act is recorded for this person.');
    expect(en).toMatch(
      /An earlier history of 2 record\(s\) was erased at the person's request on 2026-03-01 09:05:09 UTC\./,
    );
    const vi = await consent.exportHistory('u-42', { format: 'text', locale: 'vi' });
    expect(vi).toContain('Chưa có sự đồng ý nào được ghi nhận');
  });

  it('rejects an unknown format or locale', async () => {
    const { consent } = await twoActs();
    await expect(
      consent.exportHistory('u-42', { format: 'pdf' as never, locale: 'en' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      consent.exportHistory('u-42', { format: 'text', locale: 'fr' as never }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
