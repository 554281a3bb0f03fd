import type { DataOrigin } from './data-origins.js';

/**
 * The built-in taxonomy without its text: ids and the flags a decision needs (consent, the creepy
 * line, origins). Page code (the condition compiler, the GPC provider) reads these alone, so a page
 * does not load the labels and descriptions (`taxonomy-text.ts`), which `createTaxonomy` adds.
 */

/** A built-in purpose's flags: requiresConsent, explicitConsentFor, tcfPurposes, tcfSpecialFeatures. */
type PurposeFlags = readonly [
  id: string,
  requiresConsent: boolean,
  explicitConsentFor: readonly string[],
  tcfPurposes: readonly number[],
  tcfSpecialFeatures: readonly number[],
];

/** @internal The built-in purposes' flags, in the order of `BUILTIN_PURPOSES`. */
export const PURPOSE_FLAGS: readonly PurposeFlags[] = [
  ['necessary', false, [], [], []],
  ['personalization.contextual', true, [], [11], []],
  ['personalization.profile', true, [], [5, 6], []],
  ['personalization.session', true, [], [1], []],
  ['personalization.precise-location', true, ['location.precise'], [], [1]],
  ['measurement', true, [], [8], []],
  ['marketing.email', true, [], [], []],
];

/** A built-in category's flags: origin, sensitive, personal. */
type CategoryFlags = readonly [id: string, origin: DataOrigin, sensitive: boolean, personal: boolean];

const C = 'contextual';
const O = 'observed';
const D = 'declared';

/** @internal The built-in categories' flags, in the order of `BUILTIN_CATEGORIES`. */
export const CATEGORY_FLAGS: readonly CategoryFlags[] = [
  ['context.time', C, false, false],
  ['context.device', C, false, true],
  ['context.locale', C, false, true],
  ['context.location.coarse', C, false, true],
  ['context.page', C, false, true],
  ['context.weather', C, false, false],
  ['session.events', O, false, true],
  ['session.id', O, false, true],
  ['subject.id', O, false, true],
  ['profile.preferences', D, false, true],
  ['profile.attributes', D, false, true],
  ['profile.contact', D, false, true],
  ['behavior.purchases', O, false, true],
  ['behavior.pageviews', O, false, true],
  ['behavior.cart', O, false, true],
  ['derived.segments', 'derived', false, true],
  ['derived.interests', 'derived', false, true],
  ['health', D, true, true],
  ['finances', D, true, true],
  ['location.precise', C, true, true],
  ['children', D, true, true],
  ['ethnicity', D, true, true],
  ['religion', D, true, true],
  ['politics', D, true, true],
  ['sexual-life', D, true, true],
  ['biometrics', D, true, true],
  ['communications', O, true, true],
];

/** The ids of the built-in purposes (those of `BUILTIN_PURPOSES`, without their text). */
export const BUILTIN_PURPOSE_IDS: readonly string[] = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ PURPOSE_FLAGS.map((p) => p[0]),
);

/** The ids of the built-in purposes that need consent (all but `necessary`). */
export const BUILTIN_CONSENT_PURPOSE_IDS: readonly string[] = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ PURPOSE_FLAGS.flatMap((p) => (p[1] ? [p[0]] : [])),
);

/** The ids of the built-in data categories (those of `BUILTIN_CATEGORIES`, without their text). */
export const BUILTIN_CATEGORY_IDS: readonly string[] = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ CATEGORY_FLAGS.map((c) => c[0]),
);
