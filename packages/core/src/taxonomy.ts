import { type Check, arr, bool, checkOrThrow, num, obj, oneOf, optional, withDefault } from './check.js';
import { TactfulError } from './errors.js';
import { localizedText, taxonomyId } from './name-checks.js';
import type {
  CategoryDefinition,
  CategoryDefinitionInput,
  PurposeDefinition,
  PurposeDefinitionInput,
} from './taxonomy-schema.js';

// The origins live in a module of their own (exported from the index), so the decision path's
// output check needs none of the tables here.
import { DATA_ORIGINS } from './data-origins.js';

/** A data category, checked without zod (same as `CategoryDefinitionSchema`; see `taxonomy-check.test.ts`). */
export const categoryDefinition: Check<CategoryDefinition> = obj({
  id: taxonomyId,
  label: localizedText,
  description: optional(localizedText),
  sensitive: withDefault(bool, () => false),
  origin: oneOf(DATA_ORIGINS),
  personal: withDefault(bool, () => true),
}) as Check<CategoryDefinition>;

/** A purpose, checked without zod (same as `PurposeDefinitionSchema`; see `taxonomy-check.test.ts`). */
export const purposeDefinition: Check<PurposeDefinition> = obj({
  id: taxonomyId,
  label: localizedText,
  description: optional(localizedText),
  requiresConsent: withDefault(bool, () => true),
  explicitConsentFor: withDefault(arr(taxonomyId), () => []),
  tcfPurposes: withDefault(arr(num({ int: true, gte: 1, lte: 11 })), () => []),
  tcfSpecialFeatures: withDefault(arr(num({ int: true, gte: 1, lte: 2 })), () => []),
}) as Check<PurposeDefinition>;

/** The sensitive categories of DESIGN.md P3. */
export const SENSITIVE_CATEGORIES = [
  'health',
  'finances',
  'location.precise',
  'children',
  'ethnicity',
  'religion',
  'politics',
  'sexual-life',
  'biometrics',
  'communications',
] as const;

const purposes: PurposeDefinitionInput[] = [
  {
    id: 'necessary',
    label: { en: 'Strictly necessary', vi: 'Thật sự cần thiết' },
    description: {
      en: 'Running the service you asked for. Never used to personalize.',
      vi: 'Vận hành dịch vụ bạn yêu cầu. Không bao giờ dùng để cá nhân hóa.',
    },
    requiresConsent: false,
  },
  {
    id: 'personalization.contextual',
    label: { en: 'Contextual personalization', vi: 'Cá nhân hóa dựa trên ngữ cảnh' },
    description: {
      en: 'Adapting content to the moment (time, device, language, approximate place, weather), without knowing who you are.',
      vi: 'Điều chỉnh nội dung theo thời điểm (giờ, thiết bị, ngôn ngữ, vị trí gần đúng, thời tiết) mà không cần biết bạn là ai.',
    },
    tcfPurposes: [11],
  },
  {
    id: 'personalization.profile',
    label: { en: 'Personalization from your profile', vi: 'Cá nhân hóa theo hồ sơ của bạn' },
    description: {
      en: 'Building and using a profile from what you told us and what you did on our site, to choose content for you.',
      vi: 'Xây dựng và sử dụng hồ sơ từ những gì bạn chia sẻ và hoạt động của bạn trên nền tảng của chúng tôi để chọn nội dung cho bạn.',
    },
    tcfPurposes: [5, 6],
  },
  {
    id: 'personalization.session',
    label: { en: 'Anonymous personalization in this visit', vi: 'Cá nhân hóa ẩn danh trong phiên truy cập' },
    description: {
      en: 'Adapting content to what you look at during this visit only; forgotten when the visit ends.',
      vi: 'Điều chỉnh nội dung theo hành vi trong phiên truy cập hiện tại; bị xóa khi phiên kết thúc.',
    },
    tcfPurposes: [1],
  },
  {
    id: 'personalization.precise-location',
    label: { en: 'Personalization from your precise location', vi: 'Cá nhân hóa theo vị trí chính xác' },
    description: {
      en: 'Using your exact location (finer than a city), only with your explicit consent.',
      vi: 'Sử dụng vị trí chính xác của bạn (chi tiết hơn cấp thành phố), chỉ khi bạn đồng ý rõ ràng.',
    },
    explicitConsentFor: ['location.precise'],
    tcfSpecialFeatures: [1],
  },
  {
    id: 'measurement',
    label: { en: 'Measurement', vi: 'Đo lường' },
    description: {
      en: 'Measuring how content performs, in aggregate.',
      vi: 'Đo lường hiệu quả nội dung ở dạng tổng hợp.',
    },
    tcfPurposes: [8],
  },
  {
    id: 'marketing.email',
    label: { en: 'Personalized email', vi: 'Email được cá nhân hóa' },
    description: {
      en: 'Sending you email whose content is chosen for you.',
      vi: 'Gửi email với nội dung được chọn riêng cho bạn.',
    },
  },
];

const L = (en: string, vi: string) => ({ en, vi });
const categories: CategoryDefinitionInput[] = [
  {
    id: 'context.time',
    label: L('Local time and date', 'Thời gian và ngày địa phương'),
    origin: 'contextual',
    personal: false,
  },
  {
    id: 'context.device',
    label: L('Device and browser type', 'Loại thiết bị và trình duyệt'),
    origin: 'contextual',
  },
  {
    id: 'context.locale',
    label: L('Language and region settings', 'Cài đặt ngôn ngữ và khu vực'),
    origin: 'contextual',
  },
  {
    id: 'context.location.coarse',
    label: L('Approximate location (country, region, city)', 'Vị trí gần đúng (quốc gia, vùng, thành phố)'),
    origin: 'contextual',
  },
  {
    id: 'context.page',
    label: L('Page being viewed and where you came from', 'Trang đang xem và nguồn truy cập'),
    origin: 'contextual',
  },
  {
    id: 'context.weather',
    label: L('Local weather', 'Thời tiết địa phương'),
    origin: 'contextual',
    personal: false,
  },
  {
    id: 'session.events',
    label: L('What you viewed during this visit', 'Hành vi trong phiên truy cập hiện tại'),
    origin: 'observed',
  },
  {
    id: 'session.id',
    label: L(
      'Random id of this visit (expires with it)',
      'Mã ngẫu nhiên của phiên truy cập này (hết hạn cùng phiên)',
    ),
    origin: 'observed',
  },
  {
    id: 'subject.id',
    label: L('Your pseudonymous customer id', 'Mã khách hàng (bí danh) của bạn'),
    origin: 'observed',
  },
  {
    id: 'profile.preferences',
    label: L('Preferences and interests you told us', 'Sở thích bạn chủ động chia sẻ'),
    origin: 'declared',
  },
  {
    id: 'profile.attributes',
    label: L('Profile details you gave us', 'Thông tin hồ sơ bạn cung cấp'),
    origin: 'declared',
  },
  { id: 'profile.contact', label: L('Contact details', 'Thông tin liên hệ'), origin: 'declared' },
  { id: 'behavior.purchases', label: L('Purchases', 'Lịch sử mua hàng'), origin: 'observed' },
  {
    id: 'behavior.pageviews',
    label: L('Pages and products viewed', 'Trang và sản phẩm đã xem'),
    origin: 'observed',
  },
  { id: 'behavior.cart', label: L('Shopping cart', 'Giỏ hàng'), origin: 'observed' },
  { id: 'derived.segments', label: L('Customer segments', 'Phân khúc khách hàng'), origin: 'derived' },
  { id: 'derived.interests', label: L('Inferred interests', 'Sở thích được suy luận'), origin: 'derived' },
  { id: 'health', label: L('Health', 'Sức khỏe'), origin: 'declared', sensitive: true },
  {
    id: 'finances',
    label: L('Financial situation', 'Tình hình tài chính'),
    origin: 'declared',
    sensitive: true,
  },
  {
    id: 'location.precise',
    label: L('Precise location', 'Vị trí chính xác'),
    origin: 'contextual',
    sensitive: true,
  },
  { id: 'children', label: L("Children's data", 'Dữ liệu của trẻ em'), origin: 'declared', sensitive: true },
  {
    id: 'ethnicity',
    label: L('Racial or ethnic origin', 'Nguồn gốc chủng tộc, dân tộc'),
    origin: 'declared',
    sensitive: true,
  },
  {
    id: 'religion',
    label: L('Religion or beliefs', 'Tôn giáo, tín ngưỡng'),
    origin: 'declared',
    sensitive: true,
  },
  {
    id: 'politics',
    label: L('Political opinions', 'Quan điểm chính trị'),
    origin: 'declared',
    sensitive: true,
  },
  {
    id: 'sexual-life',
    label: L('Sex life or orientation', 'Đời sống tình dục, xu hướng tính dục'),
    origin: 'declared',
    sensitive: true,
  },
  {
    id: 'biometrics',
    label: L('Biometric data', 'Dữ liệu sinh trắc học'),
    origin: 'declared',
    sensitive: true,
  },
  {
    id: 'communications',
    label: L('Private communications', 'Thông tin liên lạc riêng tư'),
    origin: 'observed',
    sensitive: true,
  },
];

/** The built-in purposes. Vendors add their own through {@link createTaxonomy}. */
export const BUILTIN_PURPOSES: readonly PurposeDefinition[] = /* @__PURE__ */ Object.freeze(
  purposes.map((p, i) =>
    Object.freeze(
      checkOrThrow(purposeDefinition, p, {
        code: 'INVALID_CONFIG',
        what: 'built-in purpose',
        path: ['purposes', i],
      }),
    ),
  ),
);
/** The built-in data categories. Vendors add their own through {@link createTaxonomy}. */
export const BUILTIN_CATEGORIES: readonly CategoryDefinition[] = /* @__PURE__ */ Object.freeze(
  categories.map((c, i) =>
    Object.freeze(
      checkOrThrow(categoryDefinition, c, {
        code: 'INVALID_CONFIG',
        what: 'built-in category',
        path: ['categories', i],
      }),
    ),
  ),
);

/** Built-in purpose ids. */
export type BuiltinPurposeId =
  | 'necessary'
  | 'personalization.contextual'
  | 'personalization.profile'
  | 'personalization.session'
  | 'personalization.precise-location'
  | 'measurement'
  | 'marketing.email';

/** A lookup of purposes and categories: the built-ins plus any a configuration or plugin added. */
export interface Taxonomy {
  readonly purposes: ReadonlyMap<string, PurposeDefinition>;
  readonly categories: ReadonlyMap<string, CategoryDefinition>;
  /** The purpose, or a `UNKNOWN_PURPOSE` error naming `where`. */
  purpose(id: string, where?: string): PurposeDefinition;
  /** The category, or an `UNKNOWN_CATEGORY` error naming `where`. */
  category(id: string, where?: string): CategoryDefinition;
  /** True when `purpose` explicitly covers sensitive `category` (P3); true for non-sensitive ones. */
  permitsCategory(purpose: string, category: string): boolean;
}

/** Extra purposes and categories to add to the built-in taxonomy. */
export interface TaxonomyExtension {
  purposes?: PurposeDefinitionInput[];
  categories?: CategoryDefinitionInput[];
}

/**
 * Builds a taxonomy from the built-ins plus extensions (a configuration's, or those that plugins
 * declare in their manifests). Redefining an id differently is an error; an identical redefinition
 * is accepted, so two plugins may ship the same vendor category.
 *
 * @example
 * ```ts
 * const taxonomy = createTaxonomy([{ categories: [{ id: 'loyalty.tier', label: { en: 'Loyalty tier' }, origin: 'observed' }] }]);
 * taxonomy.category('loyalty.tier').origin; // 'observed'
 * ```
 */
export function createTaxonomy(extensions: ReadonlyArray<TaxonomyExtension> = []): Taxonomy {
  const purposeMap = new Map<string, PurposeDefinition>(BUILTIN_PURPOSES.map((p) => [p.id, p]));
  const categoryMap = new Map<string, CategoryDefinition>(BUILTIN_CATEGORIES.map((c) => [c.id, c]));
  for (const ext of extensions) {
    for (const [i, raw] of (ext.purposes ?? []).entries()) {
      const p = checkOrThrow(purposeDefinition, raw, {
        code: 'INVALID_CONFIG',
        what: 'taxonomy',
        path: ['purposes', i],
      });
      addUnique(purposeMap, p, 'purpose');
    }
    for (const [i, raw] of (ext.categories ?? []).entries()) {
      const c = checkOrThrow(categoryDefinition, raw, {
        code: 'INVALID_CONFIG',
        what: 'taxonomy',
        path: ['categories', i],
      });
      addUnique(categoryMap, c, 'category');
    }
  }
  for (const p of purposeMap.values()) {
    for (const c of p.explicitConsentFor) {
      const cat = categoryMap.get(c);
      if (!cat) {
        throw new TactfulError(
          'UNKNOWN_CATEGORY',
          `purpose "${p.id}" lists unknown category "${c}" in explicitConsentFor`,
          {
            path: ['purposes', p.id, 'explicitConsentFor'],
          },
        );
      }
    }
  }
  const taxonomy: Taxonomy = {
    purposes: purposeMap,
    categories: categoryMap,
    purpose(id, where) {
      const p = purposeMap.get(id);
      if (p) return p;
      throw new TactfulError(
        'UNKNOWN_PURPOSE',
        `${where ? `${where}: ` : ''}unknown purpose "${id}"; known purposes: ${[...purposeMap.keys()].join(', ')}`,
      );
    },
    category(id, where) {
      const c = categoryMap.get(id);
      if (c) return c;
      throw new TactfulError(
        'UNKNOWN_CATEGORY',
        `${where ? `${where}: ` : ''}unknown data category "${id}"; declare it in a taxonomy extension or use one of: ${[...categoryMap.keys()].join(', ')}`,
      );
    },
    permitsCategory(purpose, category) {
      const c = categoryMap.get(category);
      if (!c) return false;
      if (!c.sensitive) return true;
      return purposeMap.get(purpose)?.explicitConsentFor.includes(category) ?? false;
    },
  };
  return Object.freeze(taxonomy);
}

function addUnique<T extends { id: string }>(map: Map<string, T>, value: T, kind: string): void {
  const existing = map.get(value.id);
  if (existing && JSON.stringify(existing) !== JSON.stringify(value)) {
    throw new TactfulError(
      'INVALID_CONFIG',
      `${kind} "${value.id}" is defined twice with different definitions`,
      {
        path: [`${kind === 'purpose' ? 'purposes' : 'categories'}`, value.id],
      },
    );
  }
  map.set(value.id, Object.freeze(value));
}

/** The taxonomy of built-ins only. */
export const defaultTaxonomy: Taxonomy = /* @__PURE__ */ createTaxonomy();
