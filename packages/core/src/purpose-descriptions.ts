import type { LocalizedText, PurposeDefinition } from './taxonomy-schema.js';
import type { BuiltinPurposeId } from './taxonomy.js';

/**
 * What each built-in purpose means, in a sentence for the privacy notice (English and Vietnamese).
 *
 * These sentences live apart from the built-in purposes themselves: the engine (consent gating,
 * explanations) needs only ids, rules and labels, and a page that decides in-process should not carry
 * text only the notice prints. Read them through {@link purposeDescription}.
 */
export const BUILTIN_PURPOSE_DESCRIPTIONS: Readonly<Record<BuiltinPurposeId, Readonly<LocalizedText>>> =
  /* @__PURE__ */ Object.freeze({
    necessary: /* @__PURE__ */ Object.freeze({
      en: 'Running the service you asked for. Never used to personalize.',
      vi: 'Vận hành dịch vụ bạn yêu cầu. Không bao giờ dùng để cá nhân hóa.',
    }),
    'personalization.contextual': /* @__PURE__ */ Object.freeze({
      en: 'Adapting content to the moment (time, device, language, approximate place, weather), without knowing who you are.',
      vi: 'Điều chỉnh nội dung theo thời điểm (giờ, thiết bị, ngôn ngữ, vị trí gần đúng, thời tiết) mà không cần biết bạn là ai.',
    }),
    'personalization.profile': /* @__PURE__ */ Object.freeze({
      en: 'Building and using a profile from what you told us and what you did on our site, to choose content for you.',
      vi: 'Xây dựng và sử dụng hồ sơ từ những gì bạn chia sẻ và hoạt động của bạn trên nền tảng của chúng tôi để chọn nội dung cho bạn.',
    }),
    'personalization.session': /* @__PURE__ */ Object.freeze({
      en: 'Adapting content to what you look at during this visit only; forgotten when the visit ends.',
      vi: 'Điều chỉnh nội dung theo hành vi trong phiên truy cập hiện tại; bị xóa khi phiên kết thúc.',
    }),
    'personalization.precise-location': /* @__PURE__ */ Object.freeze({
      en: 'Using your exact location (finer than a city), only with your explicit consent.',
      vi: 'Sử dụng vị trí chính xác của bạn (chi tiết hơn cấp thành phố), chỉ khi bạn đồng ý rõ ràng.',
    }),
    measurement: /* @__PURE__ */ Object.freeze({
      en: 'Measuring how content performs, in aggregate.',
      vi: 'Đo lường hiệu quả nội dung ở dạng tổng hợp.',
    }),
    'marketing.email': /* @__PURE__ */ Object.freeze({
      en: 'Sending you email whose content is chosen for you.',
      vi: 'Gửi email với nội dung được chọn riêng cho bạn.',
    }),
  });

/**
 * The description of a purpose: its own `description`, else the built-in sentence for a built-in
 * purpose id (see {@link BUILTIN_PURPOSE_DESCRIPTIONS}), else `undefined`.
 *
 * @example
 * ```ts
 * purposeDescription(defaultTaxonomy.purpose('measurement'))?.en; // 'Measuring how content performs, in aggregate.'
 * ```
 */
export function purposeDescription(
  purpose: Pick<PurposeDefinition, 'id' | 'description'>,
): LocalizedText | undefined {
  return (
    purpose.description ??
    (Object.hasOwn(BUILTIN_PURPOSE_DESCRIPTIONS, purpose.id)
      ? BUILTIN_PURPOSE_DESCRIPTIONS[purpose.id as BuiltinPurposeId]
      : undefined)
  );
}
