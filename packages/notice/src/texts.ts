import type { DataOrigin, LocalizedText } from '@tactful/core';
import type { NoticeCategory, NoticeConsentLevel, NoticeJurisdiction } from './schema.js';

/** Languages a notice is rendered in. */
export const NOTICE_LANGUAGES = ['en', 'vi'] as const;
/** A language a notice is rendered in. */
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

/** The text in `lang`, falling back to English (vendor texts may have no Vietnamese). */
export function pick(text: LocalizedText, lang: NoticeLanguage): string {
  return (lang === 'vi' ? text.vi : undefined) ?? text.en;
}

/** The wording of one language. Every sentence of the notice comes from here. */
export interface NoticeWording {
  title(controller: string): string;
  intro(controller: string): string;
  /** The version line for people: the date it takes effect (`YYYY-MM-DD` in), never the hash. */
  versionOf(date: string): string;
  law(jurisdictions: ReadonlyArray<NoticeJurisdiction>): string;
  controllerHeading: string;
  controllerIs(name: string): string;
  contact: string;
  address: string;
  purposesHeading: string;
  noPurposes: string;
  consentLabel: string;
  consent: Record<NoticeConsentLevel, string>;
  dataLabel: string;
  noData: string;
  origin: Record<DataOrigin, string>;
  storage(category: NoticeCategory): string;
  sensitive: string;
  why: string;
  withdrawLabel: string;
  withdraw(where: string): string;
  notWithdrawable: string;
  /** Label of the plain-words list of what does the processing (the plugins' own descriptions). */
  pluginsLabel: string;
  rightsHeading: string;
  rightWithdraw(where: string): string;
  rightAccess(list: string): string;
  rightRectify(list: string): string;
  rightErase(list: string): string;
  notErasable(list: string): string;
  otherRights(where: string): string;
  nothingStored: string;
  whereUrl(url: string): string;
  whereContact(contact: string): string;
  choicesHeading: string;
  choicesIntro: string;
  denyOnly: string;
  retentionHeading: string;
  consentRecords(days: number): string;
  audit(days: number): string;
}

const LAW_EN: Record<NoticeJurisdiction, string> = {
  VN: "Vietnam's Law on Personal Data Protection (Law No. 91/2025/QH15) and Decree No. 356/2025/ND-CP",
  EU: 'the EU General Data Protection Regulation (GDPR)',
  'US-CA': 'the California Consumer Privacy Act as amended by the CPRA',
};
const LAW_VI: Record<NoticeJurisdiction, string> = {
  VN: 'Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và Nghị định 356/2025/NĐ-CP',
  EU: 'Quy định chung về bảo vệ dữ liệu của Liên minh châu Âu (GDPR)',
  'US-CA': 'Đạo luật Quyền riêng tư của Người tiêu dùng California (CCPA, sửa đổi bởi CPRA)',
};

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** `YYYY-MM-DD` as day, month and year numbers (the schema has checked it is a real day). */
const ymd = (date: string): [number, number, number] => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return [y, m, d];
};

const join = (parts: string[], and: string): string =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} ${and} ${parts[parts.length - 1]}`;

const en: NoticeWording = {
  title: (c) => `Privacy notice: ${c}`,
  intro: (c) =>
    `This notice explains how ${c} personalizes what you see: which personal data is used for each purpose, ` +
    'why, how long it is kept, and how you stay in control. It is generated from the configuration the service ' +
    'actually runs, so it says exactly what the code does.',
  versionOf: (date) => {
    const [y, m, d] = ymd(date);
    return `This version of the notice applies from ${d} ${MONTHS_EN[m - 1]} ${y}.`;
  },
  law: (j) =>
    `We process personal data in line with ${join(
      j.map((x) => LAW_EN[x]),
      'and',
    )}.`,
  controllerHeading: 'Who is responsible',
  controllerIs: (n) => `${n} is the data controller: the one responsible for your personal data.`,
  contact: 'Contact:',
  address: 'Address:',
  purposesHeading: 'What we use your data for',
  noPurposes: 'This configuration uses no personal data to personalize anything.',
  consentLabel: 'Consent:',
  consent: {
    none: 'not needed: this is strictly necessary to provide the service, and it is never used to personalize.',
    'opt-in': 'only if you agree. Nothing is used for this purpose until you say yes.',
    explicit:
      'only with your explicit consent to this purpose, because it involves sensitive personal data. Nothing is used until you say yes.',
  },
  dataLabel: 'Data used:',
  noData: 'no personal data is used for it.',
  origin: {
    declared: 'you told us (zero-party data)',
    observed: 'what you did on our site or app (first-party data)',
    contextual: 'from the request your browser sends',
    derived: 'inferred by us from other data',
  },
  storage: (c) =>
    c.storage === 'request'
      ? 'used for the current page only, not kept'
      : c.storage === 'session'
        ? 'kept for this visit only'
        : c.storage === 'fetched'
          ? 'looked up when needed, not kept'
          : c.retentionDays === null
            ? 'kept until you delete it'
            : `kept for up to ${c.retentionDays} days`,
  sensitive: 'sensitive personal data',
  why: 'Why:',
  withdrawLabel: 'How to withdraw:',
  withdraw: (w) => `at any time, as easily as you agreed, ${w}. It applies from the very next page you see.`,
  notWithdrawable: 'this purpose does not rely on consent.',
  pluginsLabel: 'What does it:',
  rightsHeading: 'Your rights',
  rightWithdraw: (w) => `Withdraw your consent at any time, ${w}.`,
  rightAccess: (l) => `Access your data and download a copy: ${l}.`,
  rightRectify: (l) => `Correct your data: ${l}.`,
  rightErase: (l) => `Delete your data: ${l}.`,
  notErasable: (l) =>
    `These cannot yet be deleted through the service itself; contact us and we will delete them: ${l}.`,
  otherRights: (w) =>
    `You also have the right to be informed, to restrict processing and to object to processing: send your request ${w}.`,
  nothingStored:
    'No personal data about you is stored for personalization, so there is nothing to download or delete.',
  whereUrl: (u) => `at ${u}`,
  whereContact: (c) => `by contacting ${c}`,
  choicesHeading: 'How we read your choices',
  choicesIntro: 'Your choices are read by:',
  denyOnly: 'can only switch purposes off, never on',
  retentionHeading: 'Records we keep',
  consentRecords: (d) => `Records of your consent choices, kept for ${d} days to prove what you chose.`,
  audit: (d) =>
    `A log of personalization decisions, with your identifier replaced by a code, kept for ${d} days.`,
};

const vi: NoticeWording = {
  title: (c) => `Thông báo về xử lý dữ liệu cá nhân: ${c}`,
  intro: (c) =>
    `Thông báo này giải thích cách ${c} cá nhân hóa nội dung bạn thấy: dữ liệu cá nhân nào được sử dụng cho từng ` +
    'mục đích, vì sao, được lưu trữ trong bao lâu và cách bạn kiểm soát dữ liệu của mình. Thông báo được tạo từ chính ' +
    'cấu hình mà dịch vụ đang vận hành, vì vậy nội dung luôn khớp với những gì hệ thống thực sự làm.',
  versionOf: (date) => {
    const [y, m, d] = ymd(date);
    return `Phiên bản thông báo này áp dụng từ ngày ${d} tháng ${m} năm ${y}.`;
  },
  law: (j) =>
    `Chúng tôi xử lý dữ liệu cá nhân theo ${join(
      j.map((x) => LAW_VI[x]),
      'và',
    )}.`,
  controllerHeading: 'Bên kiểm soát dữ liệu cá nhân',
  controllerIs: (n) => `${n} là bên kiểm soát dữ liệu cá nhân, chịu trách nhiệm về dữ liệu cá nhân của bạn.`,
  contact: 'Liên hệ:',
  address: 'Địa chỉ:',
  purposesHeading: 'Mục đích xử lý dữ liệu cá nhân',
  noPurposes: 'Cấu hình này không sử dụng dữ liệu cá nhân để cá nhân hóa.',
  consentLabel: 'Sự đồng ý:',
  consent: {
    none: 'không cần: đây là xử lý thật sự cần thiết để cung cấp dịch vụ và không bao giờ được dùng để cá nhân hóa.',
    'opt-in':
      'chỉ khi bạn đồng ý. Không dữ liệu nào được sử dụng cho mục đích này cho đến khi bạn chủ động đồng ý.',
    explicit:
      'chỉ khi bạn đồng ý rõ ràng cho mục đích này, vì có liên quan đến dữ liệu cá nhân nhạy cảm. Không dữ liệu nào được sử dụng cho đến khi bạn chủ động đồng ý.',
  },
  dataLabel: 'Dữ liệu được sử dụng:',
  noData: 'không dùng dữ liệu cá nhân nào cho mục đích này.',
  origin: {
    declared: 'do bạn chủ động chia sẻ (dữ liệu Zero-Party)',
    observed: 'thu thập trực tiếp từ hoạt động của bạn trên nền tảng của chúng tôi (dữ liệu First-Party)',
    contextual: 'lấy từ yêu cầu mà trình duyệt của bạn gửi đến',
    derived: 'được chúng tôi suy luận từ dữ liệu khác',
  },
  storage: (c) =>
    c.storage === 'request'
      ? 'chỉ dùng cho trang hiện tại, không lưu lại'
      : c.storage === 'session'
        ? 'chỉ lưu trong phiên truy cập hiện tại'
        : c.storage === 'fetched'
          ? 'chỉ tra cứu khi cần, không lưu lại'
          : c.retentionDays === null
            ? 'lưu cho đến khi bạn yêu cầu xóa'
            : `lưu tối đa ${c.retentionDays} ngày`,
  sensitive: 'dữ liệu cá nhân nhạy cảm',
  why: 'Lý do:',
  withdrawLabel: 'Rút lại sự đồng ý:',
  withdraw: (w) =>
    `bất cứ lúc nào, dễ dàng như khi bạn đồng ý, ${w}. Việc rút lại có hiệu lực ngay từ trang tiếp theo bạn xem.`,
  notWithdrawable: 'mục đích này không dựa trên sự đồng ý.',
  pluginsLabel: 'Thành phần xử lý:',
  rightsHeading: 'Quyền của bạn',
  rightWithdraw: (w) => `Rút lại sự đồng ý bất cứ lúc nào, ${w}.`,
  rightAccess: (l) => `Truy cập dữ liệu của bạn và tải xuống bản sao: ${l}.`,
  rightRectify: (l) => `Chỉnh sửa dữ liệu: ${l}.`,
  rightErase: (l) => `Xóa dữ liệu: ${l}.`,
  notErasable: (l) =>
    `Các dữ liệu sau chưa thể xóa trực tiếp qua dịch vụ; hãy liên hệ với chúng tôi và chúng tôi sẽ xóa: ${l}.`,
  otherRights: (w) =>
    `Bạn cũng có quyền được biết, quyền hạn chế xử lý dữ liệu và quyền phản đối xử lý dữ liệu: hãy gửi yêu cầu ${w}.`,
  nothingStored:
    'Không có dữ liệu cá nhân nào về bạn được lưu trữ cho việc cá nhân hóa, vì vậy không có gì để tải xuống hay xóa.',
  whereUrl: (u) => `tại ${u}`,
  whereContact: (c) => `bằng cách liên hệ ${c}`,
  choicesHeading: 'Cách chúng tôi ghi nhận lựa chọn của bạn',
  choicesIntro: 'Lựa chọn của bạn được đọc bởi:',
  denyOnly: 'chỉ có thể tắt mục đích xử lý, không bao giờ bật',
  retentionHeading: 'Hồ sơ chúng tôi lưu giữ',
  consentRecords: (d) => `Hồ sơ về sự đồng ý của bạn, lưu ${d} ngày để chứng minh lựa chọn của bạn.`,
  audit: (d) =>
    `Nhật ký các quyết định cá nhân hóa, trong đó định danh của bạn được thay bằng một mã, lưu ${d} ngày.`,
};

/** The wording of each language. */
export const WORDING: Readonly<Record<NoticeLanguage, NoticeWording>> = { en, vi };
