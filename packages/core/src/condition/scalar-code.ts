// Codes of tests simple enough for a field predicate to run inline on a scalar value (see
// `field.ts`). Plain constants rather than an enum, imported as a namespace
// (`import * as ScalarCode`): a bundler inlines each use as its number, where an enum would ship as
// an object read on every use.

export const Eq: 1 = 1;
export const NumGt: 2 = 2;
export const NumGte: 3 = 3;
export const NumLt: 4 = 4;
export const NumLte: 5 = 5;
export const StrGt: 6 = 6;
export const StrGte: 7 = 7;
export const StrLt: 8 = 8;
export const StrLte: 9 = 9;
export const InList: 10 = 10;
export const InSet: 11 = 11;
/** `$regex` (elementwise, strings only). */
export const Regex: 12 = 12;
/** `$exists: true` (the value itself, not its elements). */
export const Exists: 13 = 13;
/** `$size` (the value itself). */
export const Size: 14 = 14;

/** Any of the codes. */
export type Code = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14;
