/** Default strength of each kind of session event (before caps and decay). */
export const DEFAULT_SIGNAL_STRENGTHS = Object.freeze({
  page_view: 0.25,
  category_view: 0.75,
  product_view: 1,
  search: 1,
  add_to_cart: 3,
  /** Per `dwellUnitMs` of dwell time. */
  dwell: 0.5,
});
