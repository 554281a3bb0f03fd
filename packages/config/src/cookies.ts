import type { NoticeStorageItem } from '@tactful/notice';

/**
 * The cookies the decision server sets. Both are signed (HMAC-SHA-256), `HttpOnly`,
 * `SameSite=Lax`, and `Secure` outside localhost. Declared here, next to the notice that discloses
 * them, so the server sets exactly what the notice says (`SERVER_STORAGE`).
 */
export const COOKIES = Object.freeze({
  /**
   * Strictly necessary: the random, pseudonymous id under which the person's consent choices (and,
   * with consent, their declared data) are recorded. Set only when the person makes a consent
   * choice. Holds nothing else. Lasts 180 days.
   */
  id: 'tactful_id',
  /**
   * Personalization (`personalization.session`): the anonymous session's random id. Set only while
   * that purpose is granted and no GPC/DNT signal is present; expires with the browser session,
   * removed when consent is withdrawn.
   */
  session: 'tactful_session',
});

/** How long the id cookie lasts, in seconds (180 days). */
export const ID_COOKIE_MAX_AGE = 180 * 86_400;

/** The server's cookies as the privacy notice discloses them (name, purpose, lifetime, why). */
export const SERVER_STORAGE: readonly NoticeStorageItem[] = Object.freeze([
  {
    name: COOKIES.id,
    kind: 'cookie',
    lifetimeDays: ID_COOKIE_MAX_AGE / 86_400,
    description: {
      en: 'A random code, set when you make a consent choice, under which your choices (and what you tell us) are kept; it holds nothing else',
      vi: 'Một mã ngẫu nhiên, được đặt khi bạn đưa ra lựa chọn về sự đồng ý, dùng để lưu các lựa chọn của bạn (và những gì bạn cho chúng tôi biết); mã này không chứa gì khác',
    },
  },
  {
    name: COOKIES.session,
    kind: 'cookie',
    purpose: 'personalization.session',
    description: {
      en: 'A random code for this visit, so the shop can adapt to what you look at; removed when you withdraw consent',
      vi: 'Một mã ngẫu nhiên cho lần truy cập này, để cửa hàng điều chỉnh theo những gì bạn xem; bị xóa khi bạn rút lại sự đồng ý',
    },
  },
] satisfies NoticeStorageItem[]);
