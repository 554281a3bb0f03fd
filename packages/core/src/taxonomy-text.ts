import type { LocalizedText } from './taxonomy-schema.js';

/**
 * The text of the built-in taxonomy (labels and descriptions, English and Vietnamese), apart from
 * its ids and flags (`taxonomy-builtins.ts`) so that page code which only decides does not load it.
 * `createTaxonomy` joins the two; the notice, explanations and the server read the text from there.
 */

const L = (en: string, vi: string): LocalizedText => ({ en, vi });

/**
 * @internal Label and description of each built-in purpose, in the order of `PURPOSE_FLAGS` (by
 * position, so the ids are written once; `taxonomy.test.ts` checks both tables have the same length).
 */
export const PURPOSE_TEXT: ReadonlyArray<readonly [label: LocalizedText, description: LocalizedText]> = [
  // necessary
  [
    L('Strictly necessary', 'Thật sự cần thiết'),
    L(
      'Running the service you asked for. Never used to personalize.',
      'Vận hành dịch vụ bạn yêu cầu. Không bao giờ dùng để cá nhân hóa.',
    ),
  ],
  // personalization.contextual
  [
    L('Contextual personalization', 'Cá nhân hóa dựa trên ngữ cảnh'),
    L(
      'Adapting content to the moment (time, device, language, approximate place, weather), without knowing who you are.',
      'Điều chỉnh nội dung theo thời điểm (giờ, thiết bị, ngôn ngữ, vị trí gần đúng, thời tiết) mà không cần biết bạn là ai.',
    ),
  ],
  // personalization.profile
  [
    L('Personalization from your profile', 'Cá nhân hóa theo hồ sơ của bạn'),
    L(
      'Building and using a profile from what you told us and what you did on our site, to choose content for you.',
      'Xây dựng và sử dụng hồ sơ từ những gì bạn chia sẻ và hoạt động của bạn trên nền tảng của chúng tôi để chọn nội dung cho bạn.',
    ),
  ],
  // personalization.session
  [
    L('Anonymous personalization in this visit', 'Cá nhân hóa ẩn danh trong phiên truy cập'),
    L(
      'Adapting content to what you look at during this visit only; forgotten when the visit ends.',
      'Điều chỉnh nội dung theo hành vi trong phiên truy cập hiện tại; bị xóa khi phiên kết thúc.',
    ),
  ],
  // personalization.precise-location
  [
    L('Personalization from your precise location', 'Cá nhân hóa theo vị trí chính xác'),
    L(
      'Using your exact location (finer than a city), only with your explicit consent.',
      'Sử dụng vị trí chính xác của bạn (chi tiết hơn cấp thành phố), chỉ khi bạn đồng ý rõ ràng.',
    ),
  ],
  // measurement
  [
    L('Measurement', 'Đo lường'),
    L('Measuring how content performs, in aggregate.', 'Đo lường hiệu quả nội dung ở dạng tổng hợp.'),
  ],
  // marketing.email
  [
    L('Personalized email', 'Email được cá nhân hóa'),
    L(
      'Sending you email whose content is chosen for you.',
      'Gửi email với nội dung được chọn riêng cho bạn.',
    ),
  ],
];

/** @internal Label of each built-in data category, in the order of `CATEGORY_FLAGS` (by position). */
export const CATEGORY_TEXT: ReadonlyArray<LocalizedText> = [
  // context.time
  L('Local time and date', 'Thời gian và ngày địa phương'),
  // context.device
  L('Device and browser type', 'Loại thiết bị và trình duyệt'),
  // context.locale
  L('Language and region settings', 'Cài đặt ngôn ngữ và khu vực'),
  // context.location.coarse
  L('Approximate location (country, region, city)', 'Vị trí gần đúng (quốc gia, vùng, thành phố)'),
  // context.page
  L('Page being viewed and where you came from', 'Trang đang xem và nguồn truy cập'),
  // context.weather
  L('Local weather', 'Thời tiết địa phương'),
  // session.events
  L('What you viewed during this visit', 'Hành vi trong phiên truy cập hiện tại'),
  // session.id
  L('Random id of this visit (expires with it)', 'Mã ngẫu nhiên của phiên truy cập này (hết hạn cùng phiên)'),
  // subject.id
  L('Your pseudonymous customer id', 'Mã khách hàng (bí danh) của bạn'),
  // profile.preferences
  L('Preferences and interests you told us', 'Sở thích bạn chủ động chia sẻ'),
  // profile.attributes
  L('Profile details you gave us', 'Thông tin hồ sơ bạn cung cấp'),
  // profile.contact
  L('Contact details', 'Thông tin liên hệ'),
  // behavior.purchases
  L('Purchases', 'Lịch sử mua hàng'),
  // behavior.pageviews
  L('Pages and products viewed', 'Trang và sản phẩm đã xem'),
  // behavior.cart
  L('Shopping cart', 'Giỏ hàng'),
  // derived.segments
  L('Customer segments', 'Phân khúc khách hàng'),
  // derived.interests
  L('Inferred interests', 'Sở thích được suy luận'),
  // health
  L('Health', 'Sức khỏe'),
  // finances
  L('Financial situation', 'Tình hình tài chính'),
  // location.precise
  L('Precise location', 'Vị trí chính xác'),
  // children
  L("Children's data", 'Dữ liệu của trẻ em'),
  // ethnicity
  L('Racial or ethnic origin', 'Nguồn gốc chủng tộc, dân tộc'),
  // religion
  L('Religion or beliefs', 'Tôn giáo, tín ngưỡng'),
  // politics
  L('Political opinions', 'Quan điểm chính trị'),
  // sexual-life
  L('Sex life or orientation', 'Đời sống tình dục, xu hướng tính dục'),
  // biometrics
  L('Biometric data', 'Dữ liệu sinh trắc học'),
  // communications
  L('Private communications', 'Thông tin liên lạc riêng tư'),
];
