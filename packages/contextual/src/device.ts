import { isbot } from 'isbot';
import UAParser from 'ua-parser-js';

/** Classes of device, as the `contextual.context` signal names them. */
export const DEVICE_CLASSES = [
  'mobile',
  'tablet',
  'desktop',
  'tv',
  'console',
  'wearable',
  'bot',
  'unknown',
] as const;
/** A class of device. */
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/** What is known of the visitor's device. */
export interface DeviceInfo {
  class: DeviceClass;
  /** Operating system name, e.g. `Android`, `iOS`, `Windows`, `macOS`. */
  os?: string;
  /** Browser name, e.g. `Chrome`, `Safari`, `Firefox`. */
  browser?: string;
}

const DESKTOP_OS = new Set([
  'Windows',
  'macOS',
  'Linux',
  'ChromeOS',
  'Ubuntu',
  'Debian',
  'Fedora',
  'FreeBSD',
  'OpenBSD',
  'NetBSD',
  'Solaris',
  'Mint',
  'Arch',
  'Gentoo',
  'SUSE',
  'Red Hat',
  'CentOS',
]);
const OS_NAMES: Record<string, string> = {
  'Mac OS': 'macOS',
  macOS: 'macOS',
  'Chromium OS': 'ChromeOS',
  'Chrome OS': 'ChromeOS',
  Windows: 'Windows',
  Android: 'Android',
  iOS: 'iOS',
  iPadOS: 'iOS',
  Linux: 'Linux',
};
const BROWSER_NAMES: Record<string, string> = {
  'Mobile Safari': 'Safari',
  'Chrome WebView': 'Chrome',
  'Chrome Headless': 'Chrome',
  'Mobile Chrome': 'Chrome',
  'Google Chrome': 'Chrome',
  'Microsoft Edge': 'Edge',
  'Mobile Firefox': 'Firefox',
};

const cache = new Map<string, DeviceInfo>();
const CACHE_SIZE = 1000;

function fromUserAgent(userAgent: string): DeviceInfo {
  const hit = cache.get(userAgent);
  if (hit !== undefined) return hit;
  const result = new UAParser(userAgent).getResult();
  const os = result.os.name ? (OS_NAMES[result.os.name] ?? result.os.name) : undefined;
  const browser = result.browser.name
    ? (BROWSER_NAMES[result.browser.name] ?? result.browser.name)
    : undefined;
  let deviceClass: DeviceClass;
  if (isbot(userAgent)) deviceClass = 'bot';
  else {
    switch (result.device.type) {
      case 'mobile':
        deviceClass = 'mobile';
        break;
      case 'tablet':
        deviceClass = 'tablet';
        break;
      case 'smarttv':
        deviceClass = 'tv';
        break;
      case 'console':
        deviceClass = 'console';
        break;
      case 'wearable':
        deviceClass = 'wearable';
        break;
      case 'embedded':
        deviceClass = 'unknown';
        break;
      default:
        deviceClass = os !== undefined && DESKTOP_OS.has(os) ? 'desktop' : 'unknown';
    }
  }
  const info: DeviceInfo = { class: deviceClass, ...(os ? { os } : {}), ...(browser ? { browser } : {}) };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(userAgent, Object.freeze(info) as DeviceInfo);
  return info;
}

/** Reads a structured-header string (`"Android"`) or token; undefined when malformed. */
function sfString(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const match = /^"((?:[^"\\]|\\.){0,64})"$/.exec(v);
  if (match) return match[1]!.replace(/\\(.)/g, '$1');
  return /^[A-Za-z][A-Za-z0-9 ._-]{0,63}$/.test(v) ? v : undefined;
}

/** The brands of a `Sec-CH-UA` list, skipping GREASE entries ("Not A;Brand"). */
function brands(value: string | undefined): string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const item of value.split(',').slice(0, 10)) {
    const name = sfString(item.split(';')[0]);
    if (name && !/not.?a.?brand/i.test(name)) out.push(name);
  }
  return out;
}

/**
 * Device class, OS and browser of a visitor, from the User-Agent (parsed by ua-parser-js 1.x, MIT)
 * refined by User-Agent client hints (`sec-ch-ua`, `sec-ch-ua-mobile`, `sec-ch-ua-platform`,
 * `sec-ch-ua-form-factors`), which Chromium browsers send instead of a full User-Agent.
 * Returns undefined when neither says anything. Never throws.
 *
 * @example
 * ```ts
 * deviceFrom('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) ... Mobile/15E148 Safari/604.1');
 * // { class: 'mobile', os: 'iOS', browser: 'Safari' }
 * ```
 */
export function deviceFrom(
  userAgent: string | undefined,
  clientHints?: Readonly<Record<string, string>> | undefined,
): DeviceInfo | undefined {
  const found = frozenDeviceFrom(userAgent, clientHints);
  return found === undefined ? undefined : { ...found };
}

/**
 * {@link deviceFrom}, frozen: without client hints, the parsed User-Agent's own cached (frozen)
 * answer, with no copy per call.
 */
export function frozenDeviceFrom(
  userAgent: string | undefined,
  clientHints?: Readonly<Record<string, string>> | undefined,
): Readonly<DeviceInfo> | undefined {
  if (clientHints === undefined) {
    if (typeof userAgent !== 'string' || userAgent.trim() === '') return undefined;
    return fromUserAgent(userAgent.slice(0, 2048));
  }
  return Object.freeze(withHints(userAgent, clientHints));
}

function withHints(
  userAgent: string | undefined,
  clientHints: Readonly<Record<string, string>>,
): DeviceInfo | undefined {
  const hints: Record<string, string> = {};
  for (const [k, v] of Object.entries(clientHints)) if (typeof v === 'string') hints[k.toLowerCase()] = v;
  const ua = typeof userAgent === 'string' && userAgent.trim() !== '' ? userAgent.slice(0, 2048) : undefined;
  const hasHints = Object.keys(hints).some((k) => k.startsWith('sec-ch-ua'));
  if (ua === undefined && !hasHints) return undefined;
  const base: DeviceInfo = ua === undefined ? { class: 'unknown' } : { ...fromUserAgent(ua) };
  if (!hasHints || base.class === 'bot') return base;

  const platform = sfString(hints['sec-ch-ua-platform']);
  if (platform && platform !== 'Unknown') base.os = OS_NAMES[platform] ?? platform;
  const brand = brands(hints['sec-ch-ua']).filter((b) => b !== 'Chromium');
  const chosen = brand[0] ?? brands(hints['sec-ch-ua'])[0];
  if (chosen) base.browser = BROWSER_NAMES[chosen] ?? chosen;

  const formFactors = brands(hints['sec-ch-ua-form-factors']).map((f) => f.toLowerCase());
  const mobile = hints['sec-ch-ua-mobile']?.trim();
  if (formFactors.includes('tablet')) base.class = 'tablet';
  else if (formFactors.includes('watch')) base.class = 'wearable';
  else if (formFactors.includes('mobile') || mobile === '?1') base.class = 'mobile';
  else if (formFactors.includes('desktop')) base.class = 'desktop';
  else if (mobile === '?0' && (base.class === 'unknown' || base.class === 'mobile')) {
    base.class =
      base.os !== undefined && DESKTOP_OS.has(base.os)
        ? 'desktop'
        : base.class === 'mobile'
          ? 'tablet'
          : 'unknown';
  }
  return base;
}
