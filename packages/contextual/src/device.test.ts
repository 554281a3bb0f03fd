import { describe, expect, it } from 'vitest';
import { deviceFrom } from './device.js';

const UA = {
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  reducedAndroid:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  windows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  tv: 'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
  playstation: 'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)',
};

describe('deviceFrom', () => {
  it('classifies common devices from the User-Agent', () => {
    expect(deviceFrom(UA.iphone)).toEqual({ class: 'mobile', os: 'iOS', browser: 'Safari' });
    expect(deviceFrom(UA.ipad)).toMatchObject({ class: 'tablet', os: 'iOS' });
    expect(deviceFrom(UA.android)).toEqual({ class: 'mobile', os: 'Android', browser: 'Chrome' });
    expect(deviceFrom(UA.windows)).toEqual({ class: 'desktop', os: 'Windows', browser: 'Chrome' });
    expect(deviceFrom(UA.mac)).toEqual({ class: 'desktop', os: 'macOS', browser: 'Safari' });
    expect(deviceFrom(UA.firefoxLinux)).toEqual({ class: 'desktop', os: 'Linux', browser: 'Firefox' });
    expect(deviceFrom(UA.googlebot)).toMatchObject({ class: 'bot' });
    expect(deviceFrom(UA.tv)).toMatchObject({ class: 'tv' });
    expect(deviceFrom(UA.playstation)).toMatchObject({ class: 'console' });
  });

  it('refines a reduced User-Agent with client hints', () => {
    expect(
      deviceFrom(UA.reducedAndroid, {
        'sec-ch-ua': '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
        'sec-ch-ua-mobile': '?1',
        'sec-ch-ua-platform': '"Android"',
      }),
    ).toEqual({ class: 'mobile', os: 'Android', browser: 'Chrome' });
    expect(
      deviceFrom(undefined, {
        'sec-ch-ua': '"Microsoft Edge";v="124", "Chromium";v="124"',
        'sec-ch-ua-mobile': '?0',
        'sec-ch-ua-platform': '"Windows"',
      }),
    ).toEqual({ class: 'desktop', os: 'Windows', browser: 'Edge' });
    expect(deviceFrom(UA.reducedAndroid, { 'sec-ch-ua-form-factors': '"Tablet"' })).toMatchObject({
      class: 'tablet',
    });
  });

  it('is absent without a User-Agent or hints, and never throws on junk', () => {
    expect(deviceFrom(undefined)).toBeUndefined();
    expect(deviceFrom('   ')).toBeUndefined();
    expect(
      deviceFrom('\u0000\u0001 garbage ((((', { 'sec-ch-ua': '"unterminated', 'sec-ch-ua-platform': '"' }),
    ).toMatchObject({
      class: 'unknown',
    });
  });
});
