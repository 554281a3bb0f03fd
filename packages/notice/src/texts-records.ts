import type { NoticeJurisdiction, NoticeStorageItem } from './schema.js';
import type { NoticeLanguage } from './texts.js';

/** The wording of the sections about storage, complaints and the records the framework keeps. */
export interface RecordsWording {
  storageHeading: string;
  storageIntro: string;
  kind: Record<NoticeStorageItem['kind'], string>;
  necessary: string;
  forPurpose(label: string): string;
  lifetime(item: NoticeStorageItem): string;
  complain(jurisdictions: ReadonlyArray<NoticeJurisdiction>): string;
  privacyCenter: string;
  inPrivacyCenter(where: string): string;
  /** A looked-up category, with where from in the sources' own words. */
  fetchedFrom(sources: string): string;
  consentRecordsBasis: string;
  consentRecordsKept(days: number | undefined): string;
  auditBasis: string;
  auditKept(days: number): string;
}

const AUTHORITY_EN: Record<NoticeJurisdiction, string> = {
  VN: "in Vietnam, the Ministry of Public Security's Department of Cyber Security and High-Tech Crime Prevention (A05), the authority for personal data protection",
  EU: 'in the EU/EEA, the data protection authority of the country where you live, work or where you think the law was broken (GDPR Art. 77)',
  'US-CA': 'in California, the California Privacy Protection Agency',
};
const AUTHORITY_VI: Record<NoticeJurisdiction, string> = {
  VN: 'tại Việt Nam, Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05), Bộ Công an — cơ quan chuyên trách bảo vệ dữ liệu cá nhân',
  EU: 'tại EU/EEA, cơ quan bảo vệ dữ liệu của quốc gia nơi bạn sống, làm việc hoặc nơi bạn cho rằng có vi phạm (Điều 77 GDPR)',
  'US-CA': 'tại California, Cơ quan Bảo vệ Quyền riêng tư California (CPPA)',
};

const days = (n: number, lang: NoticeLanguage) =>
  lang === 'vi' ? `${n} ngày` : `${n} day${n === 1 ? '' : 's'}`;

const en: RecordsWording = {
  storageHeading: 'Cookies and similar storage',
  storageIntro: 'This is every cookie and similar storage this service sets in your browser:',
  kind: { cookie: 'cookie', 'local-storage': 'local storage', 'session-storage': 'session storage' },
  necessary: 'strictly necessary, set without consent',
  forPurpose: (label) => `set only with your consent to “${label}”`,
  lifetime: (i) =>
    i.lifetimeDays === undefined
      ? 'deleted when you close your browser'
      : `lasts ${days(i.lifetimeDays, 'en')}`,
  complain: (j) =>
    `If you think we handle your data unlawfully, you have the right to complain to a supervisory authority: ${j
      .map((x) => AUTHORITY_EN[x])
      .join('; ')}. You can also contact us first.`,
  privacyCenter: 'the privacy center',
  inPrivacyCenter: (w) => `in the privacy center (${w}), where one click withdraws everything`,
  fetchedFrom: (s) => `looked up when needed, not kept (${s})`,
  consentRecordsBasis:
    'Records of your consent choices (what you agreed to or refused, when, and under which version of this notice): we keep them because the law requires us to be able to prove consent (GDPR Art. 7(1) and 6(1)(c); Law No. 91/2025/QH15).',
  consentRecordsKept: (d) =>
    d === undefined
      ? 'They are kept until you delete your data in the privacy center; then only a receipt without your identifier remains.'
      : `They are kept for ${days(d, 'en')}, or until you delete your data.`,
  auditBasis:
    'A log of personalization decisions (which content was chosen, which data and consent it rested on), with your identifier replaced by a code: we keep it to be accountable for how we personalize (GDPR Art. 5(2) and 6(1)(f), our legitimate interest in proving we kept our promises).',
  auditKept: (d) => `Each entry is deleted after ${days(d, 'en')}, and with your data when you delete it.`,
};

const vi: RecordsWording = {
  storageHeading: 'Cookie và các hình thức lưu trữ tương tự',
  storageIntro:
    'Đây là toàn bộ cookie và hình thức lưu trữ tương tự mà dịch vụ này đặt trong trình duyệt của bạn:',
  kind: { cookie: 'cookie', 'local-storage': 'bộ nhớ cục bộ', 'session-storage': 'bộ nhớ phiên' },
  necessary: 'thật sự cần thiết, được đặt mà không cần sự đồng ý',
  forPurpose: (label) => `chỉ được đặt khi bạn đồng ý cho mục đích “${label}”`,
  lifetime: (i) =>
    i.lifetimeDays === undefined
      ? 'bị xóa khi bạn đóng trình duyệt'
      : `tồn tại ${days(i.lifetimeDays, 'vi')}`,
  complain: (j) =>
    `Nếu bạn cho rằng chúng tôi xử lý dữ liệu cá nhân của bạn trái pháp luật, bạn có quyền khiếu nại với cơ quan có thẩm quyền: ${j
      .map((x) => AUTHORITY_VI[x])
      .join('; ')}. Bạn cũng có thể liên hệ với chúng tôi trước.`,
  privacyCenter: 'trung tâm quyền riêng tư',
  inPrivacyCenter: (w) => `trong trung tâm quyền riêng tư (${w}), nơi một lần bấm là rút lại toàn bộ`,
  fetchedFrom: (s) => `chỉ tra cứu khi cần, không lưu lại (${s})`,
  consentRecordsBasis:
    'Hồ sơ về sự đồng ý của bạn (bạn đã đồng ý hoặc từ chối điều gì, khi nào, theo phiên bản nào của thông báo này): chúng tôi lưu vì pháp luật yêu cầu chúng tôi chứng minh được sự đồng ý (Điều 7(1) và 6(1)(c) GDPR; Luật số 91/2025/QH15).',
  consentRecordsKept: (d) =>
    d === undefined
      ? 'Hồ sơ được lưu cho đến khi bạn xóa dữ liệu trong trung tâm quyền riêng tư; sau đó chỉ còn biên nhận không chứa định danh của bạn.'
      : `Hồ sơ được lưu ${days(d, 'vi')}, hoặc cho đến khi bạn xóa dữ liệu.`,
  auditBasis:
    'Nhật ký các quyết định cá nhân hóa (nội dung nào được chọn, dựa trên dữ liệu và sự đồng ý nào), trong đó định danh của bạn được thay bằng một mã: chúng tôi lưu để giải trình cách chúng tôi cá nhân hóa (Điều 5(2) và 6(1)(f) GDPR, lợi ích hợp pháp trong việc chứng minh chúng tôi giữ đúng cam kết).',
  auditKept: (d) => `Mỗi mục bị xóa sau ${days(d, 'vi')}, và cùng với dữ liệu của bạn khi bạn xóa dữ liệu.`,
};

/** The records wording of each language. */
export const RECORDS_WORDING: Readonly<Record<NoticeLanguage, RecordsWording>> = { en, vi };
