import type { ConsentChainVerification, ConsentErasureReceipt, ConsentRecord, Taxonomy } from '@tactful/core';
import type { ConsentReason } from './evaluate.js';

/** Languages of the written consent record. */
export type ExportLocale = 'en' | 'vi';

/** A person's consent history, machine-readable. */
export interface ConsentHistoryExport {
  /** Identifies this document shape. */
  format: 'tactful.consent-history.v1';
  subject: string;
  /** When the export was made (ISO 8601). */
  exportedAt: string;
  /** Every consent act, oldest first, as stored (with links and hashes). */
  records: ConsentRecord[];
  /** Whether the hash chain is intact. */
  integrity: ConsentChainVerification;
  /** The consent of every purpose now. */
  current: Record<string, { status: 'granted' | 'denied'; reason: ConsentReason }>;
  /** The receipt of an earlier erasure of this history, if any. */
  erasure?: ConsentErasureReceipt;
}

interface Words {
  title: string;
  intro: string;
  subject: string;
  exported: string;
  count: string;
  integrityOk: string;
  integrityBroken: (index: number, problem: string) => string;
  none: string;
  status: Record<ConsentRecord['status'], string>;
  method: Record<string, string>;
  how: string;
  notice: string;
  section: string;
  actorSelf: string;
  actorGuardian: (id: string, relationship?: string) => string;
  by: string;
  language: string;
  jurisdiction: string;
  source: string;
  expires: string;
  reason: string;
  record: string;
  follows: string;
  first: string;
  current: string;
  granted: string;
  denied: string;
  reasons: Record<ConsentReason, string>;
  erased: (count: number, at: string) => string;
  date: (iso: string) => string;
}

const pad = (n: number) => String(n).padStart(2, '0');
function parts(iso: string) {
  const d = new Date(iso);
  return {
    y: d.getUTCFullYear(),
    mo: pad(d.getUTCMonth() + 1),
    d: pad(d.getUTCDate()),
    h: pad(d.getUTCHours()),
    mi: pad(d.getUTCMinutes()),
    s: pad(d.getUTCSeconds()),
  };
}

const EN: Words = {
  title: 'WRITTEN RECORD OF CONSENT',
  intro: 'Every consent act recorded for this person, oldest first, reproduced in writing.',
  subject: 'Person (pseudonymous id)',
  exported: 'Printed',
  count: 'Consent acts recorded',
  integrityOk: 'Integrity: verified — every record matches its hash and links to the one before it.',
  integrityBroken: (i, p) => `Integrity: NOT VERIFIED — record ${i + 1}: ${p}.`,
  none: 'No consent act is recorded for this person.',
  status: { granted: 'CONSENT GIVEN', denied: 'CONSENT REFUSED', withdrawn: 'CONSENT WITHDRAWN' },
  method: {
    banner: 'consent banner',
    'preference-center': 'preference center',
    api: 'application',
    form: 'form',
    email: 'email',
    'in-person': 'in person',
    tcf: 'IAB TCF consent string',
    import: 'imported record',
    gpc: 'Global Privacy Control signal',
    dnt: 'Do-Not-Track signal',
  },
  how: 'How',
  notice: 'Notice shown: version',
  section: 'section fingerprint',
  actorSelf: 'the person themself',
  actorGuardian: (id, r) => `guardian ${id}${r ? ` (${r})` : ''} on the person's behalf`,
  by: 'By',
  language: 'Language',
  jurisdiction: 'Jurisdiction',
  source: 'Where',
  expires: 'Valid until',
  reason: 'Note',
  record: 'Record',
  follows: 'follows',
  first: 'first record',
  current: 'Consent now',
  granted: 'given',
  denied: 'not given',
  reasons: {
    granted: 'consent recorded',
    'not-required': 'needed to provide the service; no consent required',
    'no-record': 'never given',
    'no-subject': 'person unknown',
    denied: 'refused',
    withdrawn: 'withdrawn',
    expired: 'expired',
    'notice-changed': 'the notice changed; consent must be renewed',
    'unknown-purpose': 'unknown purpose',
    'consent-unavailable': 'consent records unavailable',
    'invalid-record': 'the record does not show when consent was given, so it counts as not given',
    gpc: 'Global Privacy Control signal',
    dnt: 'Do-Not-Track signal',
    tcf: 'IAB TCF consent string',
    'tcf-invalid': 'unreadable IAB TCF consent string',
    'tcf-expired': 'outdated IAB TCF consent string',
  },
  erased: (n, at) => `An earlier history of ${n} record(s) was erased at the person's request on ${at}.`,
  date: (iso) => {
    const p = parts(iso);
    return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s} UTC`;
  },
};

const VI: Words = {
  title: 'BẢN GHI SỰ ĐỒNG Ý BẰNG VĂN BẢN',
  intro:
    'Mọi lần chủ thể dữ liệu đồng ý, từ chối hoặc rút lại sự đồng ý, theo thứ tự thời gian, được thể hiện bằng văn bản.',
  subject: 'Chủ thể dữ liệu (mã định danh bí danh)',
  exported: 'Ngày in',
  count: 'Số lần ghi nhận',
  integrityOk:
    'Tính toàn vẹn: đã xác minh — mỗi bản ghi khớp với mã băm của nó và liên kết với bản ghi trước.',
  integrityBroken: (i, p) => `Tính toàn vẹn: KHÔNG XÁC MINH ĐƯỢC — bản ghi ${i + 1}: ${p}.`,
  none: 'Chưa có sự đồng ý nào được ghi nhận cho chủ thể dữ liệu này.',
  status: { granted: 'ĐỒNG Ý', denied: 'TỪ CHỐI', withdrawn: 'RÚT LẠI SỰ ĐỒNG Ý' },
  method: {
    banner: 'biểu ngữ xin sự đồng ý',
    'preference-center': 'trung tâm tùy chỉnh sở thích',
    api: 'ứng dụng',
    form: 'biểu mẫu',
    email: 'email',
    'in-person': 'trực tiếp',
    tcf: 'chuỗi đồng ý IAB TCF',
    import: 'bản ghi được nhập',
    gpc: 'tín hiệu Global Privacy Control (GPC)',
    dnt: 'tín hiệu Do-Not-Track',
  },
  how: 'Cách thức',
  notice: 'Thông báo về xử lý dữ liệu cá nhân đã hiển thị: phiên bản',
  section: 'dấu vân tay của mục',
  actorSelf: 'chính chủ thể dữ liệu',
  actorGuardian: (id, r) => `người giám hộ ${id}${r ? ` (${r})` : ''} thay mặt chủ thể dữ liệu`,
  by: 'Người thực hiện',
  language: 'Ngôn ngữ',
  jurisdiction: 'Pháp luật áp dụng',
  source: 'Nơi thực hiện',
  expires: 'Có hiệu lực đến',
  reason: 'Ghi chú',
  record: 'Bản ghi',
  follows: 'tiếp theo',
  first: 'bản ghi đầu tiên',
  current: 'Tình trạng đồng ý hiện tại',
  granted: 'đã đồng ý',
  denied: 'chưa đồng ý',
  reasons: {
    granted: 'đã ghi nhận sự đồng ý',
    'not-required': 'cần thiết để cung cấp dịch vụ; không cần sự đồng ý',
    'no-record': 'chưa từng đồng ý',
    'no-subject': 'không xác định chủ thể dữ liệu',
    denied: 'đã từ chối',
    withdrawn: 'đã rút lại sự đồng ý',
    expired: 'đã hết hạn',
    'notice-changed': 'thông báo đã thay đổi; cần đồng ý lại',
    'unknown-purpose': 'mục đích không xác định',
    'consent-unavailable': 'không truy cập được bản ghi sự đồng ý',
    'invalid-record': 'bản ghi không cho biết thời điểm đồng ý, nên được coi là chưa đồng ý',
    gpc: 'tín hiệu Global Privacy Control (GPC)',
    dnt: 'tín hiệu Do-Not-Track',
    tcf: 'chuỗi đồng ý IAB TCF',
    'tcf-invalid': 'chuỗi đồng ý IAB TCF không đọc được',
    'tcf-expired': 'chuỗi đồng ý IAB TCF đã cũ',
  },
  erased: (n, at) =>
    `Lịch sử trước đó gồm ${n} bản ghi đã bị xóa theo yêu cầu của chủ thể dữ liệu vào ${at}.`,
  date: (iso) => {
    const p = parts(iso);
    return `${p.h}:${p.mi}:${p.s} ngày ${p.d}/${p.mo}/${p.y} (UTC)`;
  },
};

/**
 * Renders a consent history as plain text to print or send: every act with its date, purpose (in
 * the reader's language), decision, method, notice version, actor, and its proof (record id, hash,
 * link), then the consent of every purpose now.
 */
export function renderConsentHistoryText(
  data: ConsentHistoryExport,
  options: { locale: ExportLocale; taxonomy: Taxonomy },
): string {
  const w = options.locale === 'vi' ? VI : EN;
  const label = (purpose: string) => {
    const def = options.taxonomy.purposes.get(purpose);
    const text = def ? (options.locale === 'vi' ? (def.label.vi ?? def.label.en) : def.label.en) : purpose;
    return `${text} (${purpose})`;
  };
  const lines: string[] = [];
  lines.push(w.title, '='.repeat(w.title.length), '', w.intro, '');
  lines.push(`${w.subject}: ${data.subject}`);
  lines.push(`${w.exported}: ${w.date(data.exportedAt)}`);
  lines.push(`${w.count}: ${data.records.length}`);
  lines.push(
    data.integrity.ok ? w.integrityOk : w.integrityBroken(data.integrity.index, data.integrity.problem),
  );
  if (data.erasure && data.erasure.erased > 0)
    lines.push(w.erased(data.erasure.erased, w.date(data.erasure.erasedAt)));
  lines.push('');
  if (data.records.length === 0) lines.push(w.none, '');
  data.records.forEach((r, i) => {
    lines.push(`${i + 1}. ${w.date(r.recordedAt)} — ${w.status[r.status]} — ${label(r.purpose)}`);
    lines.push(`   ${w.how}: ${w.method[r.method] ?? r.method}`);
    if (r.notice) lines.push(`   ${w.notice} ${r.notice.version} (${w.section} ${r.notice.hash})`);
    const actor =
      r.actor.type === 'self' ? w.actorSelf : w.actorGuardian(r.actor.guardianId, r.actor.relationship);
    lines.push(`   ${w.by}: ${actor}`);
    const details = [
      r.locale ? `${w.language}: ${r.locale}` : undefined,
      r.jurisdiction ? `${w.jurisdiction}: ${r.jurisdiction}` : undefined,
      r.source ? `${w.source}: ${r.source}` : undefined,
    ].filter((x): x is string => x !== undefined);
    if (details.length > 0) lines.push(`   ${details.join(' · ')}`);
    if (r.expiresAt) lines.push(`   ${w.expires}: ${w.date(r.expiresAt)}`);
    if (r.reason) lines.push(`   ${w.reason}: ${r.reason}`);
    lines.push(
      `   ${w.record}: ${r.id} · SHA-256 ${r.hash} · ${r.previousId ? `${w.follows} ${r.previousId}` : w.first}`,
    );
    lines.push('');
  });
  lines.push(w.current, '-'.repeat(w.current.length));
  for (const [purpose, s] of Object.entries(data.current)) {
    lines.push(
      `- ${label(purpose)}: ${s.status === 'granted' ? w.granted : w.denied} (${w.reasons[s.reason]})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
