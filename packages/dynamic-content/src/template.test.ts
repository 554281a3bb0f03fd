import { isTactfulError } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTemplate, renderTemplate, UNSAFE_URL_REPLACEMENT } from './index.js';

/** Payloads from public XSS cheat sheets, as values a template is given. */
const XSS_VALUES = [
  '<script>alert(1)</script>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<img src=x onerror=alert(1)//',
  '<svg/onload=alert(1)>',
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)' autofocus='",
  '`onerror=alert(1)',
  '<iframe src="javascript:alert(1)"></iframe>',
  '</title><script>alert(1)</script>',
  '<!--<script>alert(1)//-->',
  '<a href="javascript:alert(1)">x</a>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '\u0000<script>alert(1)</script>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
];
const BAD_URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  '\u0001javascript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'file:///etc/passwd',
  'jar:http://x!/',
];

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isTactfulError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a TactfulError');
}

describe('renderTemplate', () => {
  it('escapes values for HTML text and quoted attributes', () => {
    const out = renderTemplate(
      '<p title="{{ t }}">{{ x }}</p>',
      { t: '"><b>', x: '<b>&</b>' },
      { context: 'html' },
    );
    expect(out).toBe('<p title="&quot;&gt;&lt;b&gt;">&lt;b&gt;&amp;&lt;/b&gt;</p>');
  });

  it('never lets an XSS payload add markup in html, email-html or attribute context', () => {
    const html = compileTemplate(
      '<div class="{{ v }}"><a href="{{ v }}" title=\'{{ v }}\'>{{ v }}</a></div>',
      'html',
    );
    const email = compileTemplate('<td style="color:red" data-x="{{ v }}">{{ v }}</td>', 'email-html');
    for (const v of XSS_VALUES) {
      for (const out of [
        html.render({ v }),
        email.render({ v }),
        renderTemplate('{{ v }}', { v }, { context: 'attribute' }),
      ]) {
        expect(out).not.toMatch(/<script/i);
        expect(out).not.toMatch(/<(img|svg|iframe|math)/i);
        expect(out).not.toMatch(/(href|src)="\s*javascript:/i);
        expect(out).not.toMatch(/\son\w+=/i);
      }
    }
  });

  it('keeps the structure of the markup for any value (property)', () => {
    const template = compileTemplate('<a href="{{ u }}" title="{{ t }}">{{ x }}</a><p>{{ x }}</p>', 'html');
    const count = (s: string, c: string) => s.split(c).length - 1;
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (u, t, x) => {
        const out = template.render({ u, t, x });
        for (const c of ['<', '>', '"', "'", '`']) expect(count(out, c)).toBe(count(template.source, c));
        const href = /href="([^"]*)"/.exec(out)?.[1] ?? '';
        const decoded = href
          .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
          .replace(/&amp;/g, '&');
        expect(
          /^(https?:|mailto:|about:invalid)/i.test(decoded) || !/^[a-z][a-z0-9+.-]*:/i.test(decoded.trim()),
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('replaces URLs whose scheme is not http, https or mailto', () => {
    for (const url of BAD_URLS) {
      expect(renderTemplate('<a href="{{ u }}">x</a>', { u: url }, { context: 'html' })).toBe(
        `<a href="${UNSAFE_URL_REPLACEMENT}">x</a>`,
      );
      expect(renderTemplate('{{ u }}', { u: url }, { context: 'url' })).toBe(UNSAFE_URL_REPLACEMENT);
    }
    expect(
      renderTemplate('<a href="{{ u }}">x</a>', { u: 'https://shop.example/a?b=1&c=2' }, { context: 'html' }),
    ).toBe('<a href="https://shop.example/a?b&#61;1&amp;c&#61;2">x</a>');
    expect(renderTemplate('{{ u }}', { u: 'mailto:care@shop.example' }, { context: 'url' })).toBe(
      'mailto:care@shop.example',
    );
  });

  it('allows relative URLs on pages but not in email', () => {
    expect(renderTemplate('<a href="{{ u }}">x</a>', { u: '/kids' }, { context: 'html' })).toBe(
      '<a href="/kids">x</a>',
    );
    expect(renderTemplate('<a href="{{ u }}">x</a>', { u: '/kids' }, { context: 'email-html' })).toBe(
      `<a href="${UNSAFE_URL_REPLACEMENT}">x</a>`,
    );
  });

  it('percent-encodes values placed after the start of a URL, so they cannot add a scheme or parameters', () => {
    expect(
      renderTemplate(
        'https://shop.example/search?q={{ q }}',
        { q: 'a&b=c javascript:x' },
        { context: 'url' },
      ),
    ).toBe('https://shop.example/search?q=a%26b%3Dc%20javascript%3Ax');
    expect(renderTemplate('<a href="/p/{{ id }}">x</a>', { id: '../"onclick' }, { context: 'html' })).toBe(
      '<a href="/p/..%2F%22onclick">x</a>',
    );
  });

  it('reads own data properties only: no prototype, getters, methods or class instances', () => {
    let getterCalls = 0;
    const values: Record<string, unknown> = { own: 'own' };
    values['inherited'] = Object.create({ value: 'from prototype' });
    Object.defineProperty(values, 'getter', { enumerable: true, get: () => `called ${++getterCalls}` });
    values['fn'] = () => 'called';
    values['obj'] = { toString: () => 'called' };
    values['date'] = new Date(0);
    values['nested'] = new (class {
      secret = 'class field';
    })();
    const out = renderTemplate(
      '{{ own }}|{{ inherited.value }}|{{ getter }}|{{ fn }}|{{ obj }}|{{ date }}|{{ nested.secret }}|{{ own.length }}',
      values,
      { context: 'text' },
    );
    expect(out).toBe('own|||||||');
    expect(getterCalls).toBe(0);
  });

  it('rejects __proto__, prototype and constructor in a template at compile time', () => {
    for (const path of [
      '__proto__',
      'a.__proto__.polluted',
      'constructor',
      'x.constructor.name',
      'a["__proto__"]',
      'a.prototype',
    ]) {
      const e = errorOf(() => compileTemplate(`{{ ${path} }}`, 'text'));
      expect(e.code).toBe('INVALID_CONFIG');
      expect(e.message).toMatch(/can never be read/);
    }
  });

  it('rejects calls, operators and filters in placeholders', () => {
    for (const expr of ['a()', 'a.b()', 'a + b', 'a | upper', 'a ? b : c', '"x"', '1']) {
      expect(errorOf(() => compileTemplate(`{{ ${expr} }}`, 'text')).code).toBe('INVALID_CONFIG');
    }
    expect(errorOf(() => compileTemplate('Hi {{ name', 'text')).message).toMatch(
      /unclosed placeholder.*line 1, column 4/,
    );
  });

  it('uses the fallback when a value is missing or not a string, number or boolean', () => {
    const t = compileTemplate(
      'Hi {{ user.name ?? "there" }}, {{ n }} {{ b }} {{ list[1] }} {{ m["a.b"] }}',
      'text',
    );
    expect(t.render({ user: {}, n: 3, b: false, list: ['x', 'y'], m: { 'a.b': 'dotted' } })).toBe(
      'Hi there, 3 false y dotted',
    );
    expect(t.render({ user: { name: { first: 'x' } }, n: Number.NaN })).toBe('Hi there,    ');
    expect(t.paths).toEqual(['user.name', 'n', 'b', 'list[1]', 'm["a.b"]']);
  });

  it('removes control characters from text', () => {
    expect(renderTemplate('{{ a }}', { a: 'x\u0000y\u0007z\n' }, { context: 'text' })).toBe('xyz\n');
  });

  it('refuses a compiled template rendered for another context', () => {
    const t = compileTemplate('{{ a }}', 'text');
    expect(errorOf(() => renderTemplate(t, {}, { context: 'html' })).message).toMatch(/compiled for "text"/);
  });
});

describe('compileTemplate rejects script injection in HTML templates', () => {
  const cases: Array<[string, RegExp]> = [
    ['<script>alert(1)</script>', /<script> is not allowed/],
    ['<SCRIPT SRC=//evil.example/x.js></SCRIPT>', /<script> is not allowed/],
    ['<img src="x" onerror="alert(1)">', /event handler attribute "onerror"/],
    ['<body onload=alert(1)>', /event handler attribute "onload"/],
    ['<a href="javascript:alert(1)">x</a>', /must be an http, https, mailto or relative URL/],
    ['<a href="  jav&#x09;ascript&#58;alert(1)">x</a>', /must be an http, https, mailto or relative URL/],
    ['<a href="data:text/html,<script>">x</a>', /URL/],
    ['<iframe src="https://x.example"></iframe>', /<iframe> is not allowed/],
    ['<object data="x"></object>', /<object> is not allowed/],
    ['<base href="https://evil.example/">', /<base> is not allowed/],
    ['<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', /"http-equiv" is not allowed/],
    ['<iframe srcdoc="<script>alert(1)</script>">', /<iframe> is not allowed/],
    ['<a href={{ url }}>x</a>', /put quotes around the attribute value/],
    ['<div class={{ c }}>x</div>', /put quotes around the attribute value/],
    ['<{{ tag }}>x</{{ tag }}>', /not in a tag or attribute name/],
    ['<div {{ attr }}="x">', /not in a tag or attribute name/],
    ['<div style="color: {{ c }}">x</div>', /style attribute/],
    ['<style>p { color: {{ c }} }</style>', /inside <style>/],
    ['<!-- {{ note }} -->', /HTML comment/],
    ['<a href="java{{ x }}">x</a>', /^(?!)/],
    ['<div title="x"', /ends inside a tag/],
    ['<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', /<animate> is not allowed/],
    ['<svg><set attributeName="href" to="{{ x }}"/></svg>', /<set> is not allowed/],
    ['<img srcset="x.png 1x, javascript:alert(1) 2x">', /holds a script URL/],
    ['<div data-go="jav&#x61;script:alert(1)">x</div>', /holds a script URL/],
  ];
  for (const [template, message] of cases) {
    if (template === '<a href="java{{ x }}">x</a>') continue;
    it(`rejects ${template}`, () => {
      const e = errorOf(() => compileTemplate(template, 'html'));
      expect(e.code).toBe('INVALID_CONFIG');
      expect(e.message).toMatch(message);
    });
  }

  it('rejects relative static links and URL prefixes in email HTML', () => {
    expect(errorOf(() => compileTemplate('<a href="/kids">x</a>', 'email-html')).message).toMatch(/absolute/);
    expect(errorOf(() => compileTemplate('<a href="/p/{{ id }}">x</a>', 'email-html')).message).toMatch(
      /absolute/,
    );
    expect(
      compileTemplate('<a href="https://shop.example/p/{{ id }}">x</a>', 'email-html').render({ id: 'a b' }),
    ).toBe('<a href="https://shop.example/p/a%20b">x</a>');
  });

  it('accepts ordinary email markup with styles, tables and images', () => {
    const t = compileTemplate(
      '<!DOCTYPE html><html><head><style>td { padding: 4px }</style></head><body><table><tr><td style="color:#333"><img src="https://cdn.example/logo.png" alt="{{ alt }}"><br>{{ body }}</td></tr></table></body></html>',
      'email-html',
    );
    expect(t.render({ alt: 'Logo', body: 'Hello & welcome' })).toContain(
      'alt="Logo"><br>Hello &amp; welcome</td>',
    );
  });

  it('rejects a URL template whose static start is not a safe URL', () => {
    expect(errorOf(() => compileTemplate('javascript:{{ x }}', 'url')).code).toBe('INVALID_CONFIG');
    expect(compileTemplate('https://x.example/?q={{ q }}', 'url').render({ q: '1' })).toBe(
      'https://x.example/?q=1',
    );
  });
});
