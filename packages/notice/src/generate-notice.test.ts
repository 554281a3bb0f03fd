import { createTaxonomy, defineDataSource, defineStrategy, isTactfulError } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateNotice, parseNotice } from './generate-notice.js';
import { renderNotice } from './render.js';
import { CONTROLLER, shopPlugins } from './test-fixtures.js';
import { consentsNeedingRenewal, diffNotices, noticeReference, noticeVersions } from './versions.js';

const base = { controller: CONTROLLER, rightsUrl: 'https://shop.example/privacy' };

function expectTactful(fn: () => unknown, code: string): import('@tactful/core').TactfulError {
  try {
    fn();
  } catch (e) {
    if (isTactfulError(e)) {
      expect(e.code).toBe(code);
      return e;
    }
    throw e;
  }
  throw new Error(`expected a TactfulError ${code}`);
}

describe('generateNotice', () => {
  it('describes each purpose from the manifests: categories with origin, retention, why, plugins, consent', () => {
    const notice = generateNotice({ ...shopPlugins(), ...base });
    expect(Object.keys(notice.purposes)).toEqual([
      'personalization.contextual',
      'personalization.profile',
      'personalization.session',
    ]);
    const profile = notice.purposes['personalization.profile']!;
    expect(profile.consent).toBe('opt-in');
    expect(profile.sensitive).toBe(false);
    expect(profile.plugins.map((p) => `${p.kind}:${p.name}`)).toEqual([
      'source:profile-store',
      'strategy:segments',
    ]);
    expect(profile.categories.map((c) => [c.id, c.origin, c.storage, c.retentionDays])).toEqual([
      ['behavior.purchases', 'observed', 'stored', 365],
      ['profile.preferences', 'declared', 'stored', 730],
    ]);
    expect(profile.categories[1]!.why).toEqual([
      { en: 'To show what you said you like.', vi: 'Để hiển thị những gì bạn nói rằng bạn thích.' },
    ]);
    const contextual = notice.purposes['personalization.contextual']!;
    expect(contextual.categories.map((c) => [c.id, c.storage, c.providedBy])).toEqual([
      ['context.device', 'request', []],
      ['context.time', 'request', []],
      ['context.weather', 'fetched', ['weather']],
    ]);
    expect(notice.purposes['personalization.session']!.categories[0]!.storage).toBe('session');
    expect(notice.rights).toEqual({
      access: ['behavior.purchases', 'profile.preferences'],
      erase: ['behavior.purchases', 'profile.preferences'],
      rectify: ['behavior.purchases', 'profile.preferences'],
      notErasable: [],
    });
    expect(notice.consentProviders.map((c) => [c.name, c.canGrant])).toEqual([
      ['gpc', false],
      ['opt-in', true],
    ]);
    expect(notice.jurisdictions).toEqual(['VN']);
    expect(notice.version).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.isFrozen(notice.purposes)).toBe(true);
  });

  it('needs no consent for necessary and explicit consent for a sensitive category', () => {
    const { sources, consent } = shopPlugins();
    const strategies = [
      defineStrategy({
        manifest: {
          name: 'store-finder',
          version: '1.0.0',
          core: '>=0.1.0',
          purposes: ['personalization.precise-location'],
          reads: [{ category: 'location.precise', purpose: 'personalization.precise-location' }],
        },
        decide: () => ({ proposals: [] }),
      }),
      defineStrategy({
        manifest: {
          name: 'language',
          version: '1.0.0',
          core: '>=0.1.0',
          purposes: ['necessary'],
          reads: [{ category: 'context.time', purpose: 'necessary' }],
        },
        decide: () => ({ proposals: [] }),
      }),
    ];
    const notice = generateNotice({ strategies, sources, consent, ...base });
    expect(notice.purposes['necessary']!.consent).toBe('none');
    const precise = notice.purposes['personalization.precise-location']!;
    expect(precise.consent).toBe('explicit');
    expect(precise.sensitive).toBe(true);
    const md = renderNotice(notice, { lang: 'en' });
    expect(md).toContain('only with your explicit consent to this purpose');
    expect(md).toContain('sensitive personal data');
    expect(md).toContain('this purpose does not rely on consent');
    expect(renderNotice(notice, { lang: 'vi' })).toContain('dữ liệu cá nhân nhạy cảm');
  });

  it('is the same notice whatever order the plugins were registered in', () => {
    const { strategies, sources, consent } = shopPlugins();
    const reference = generateNotice({ strategies, sources, consent, ...base });
    fc.assert(
      fc.property(
        fc.shuffledSubarray(strategies, { minLength: strategies.length }),
        fc.shuffledSubarray(sources, { minLength: sources.length }),
        fc.shuffledSubarray(consent, { minLength: consent.length }),
        (s, src, c) => {
          const notice = generateNotice({ strategies: s, sources: src, consent: c, ...base });
          expect(notice.version).toBe(reference.version);
          expect(noticeVersions(notice)).toEqual(noticeVersions(reference));
          expect(renderNotice(notice, { lang: 'vi' })).toBe(renderNotice(reference, { lang: 'vi' }));
        },
      ),
      { numRuns: 50 },
    );
  }, 30_000);

  it("accepts the orchestrator's plugins and taxonomy as they are", () => {
    const plugins = shopPlugins();
    const fromArrays = generateNotice({ ...plugins, ...base });
    const fromEngine = generateNotice({ plugins, taxonomy: createTaxonomy(), ...base });
    expect(fromEngine.version).toBe(fromArrays.version);
    const bare = generateNotice({
      strategies: plugins.strategies.map((s) => s.manifest),
      sources: plugins.sources.map((s) => s.manifest),
      consent: plugins.consent.map((c) => c.manifest),
      ...base,
    });
    expect(bare.version).toBe(fromArrays.version);
  });

  it('uses categories that plugins add to the taxonomy', () => {
    const tier = defineDataSource({
      manifest: {
        name: 'loyalty',
        version: '1.0.0',
        core: '>=0.1.0',
        taxonomy: {
          categories: [
            { id: 'loyalty.tier', label: { en: 'Loyalty tier', vi: 'Hạng thành viên' }, origin: 'derived' },
          ],
        },
        provides: [{ category: 'loyalty.tier', retentionDays: 90 }],
        rights: { export: true, erase: false },
      },
      load: () => ({}),
      export: async () => ({}),
    });
    const reader = defineStrategy({
      manifest: {
        name: 'tiers',
        version: '1.0.0',
        core: '>=0.1.0',
        purposes: ['personalization.profile'],
        reads: [{ category: 'loyalty.tier', purpose: 'personalization.profile' }],
      },
      decide: () => ({ proposals: [] }),
    });
    const notice = generateNotice({ strategies: [reader], sources: [tier], ...base });
    const cat = notice.purposes['personalization.profile']!.categories[0]!;
    expect([cat.id, cat.origin, cat.retentionDays]).toEqual(['loyalty.tier', 'derived', 90]);
    expect(notice.rights.notErasable).toEqual(['loyalty.tier']);
    expect(renderNotice(notice, { lang: 'vi' })).toContain(
      'Các dữ liệu sau chưa thể xóa trực tiếp qua dịch vụ; hãy liên hệ với chúng tôi và chúng tôi sẽ xóa: Hạng thành viên.',
    );
  });
});

describe('drift-proofing', () => {
  it("changes the notice text and that purpose's hash, and only that one, when a manifest adds a category", () => {
    const plugins = shopPlugins();
    const before = generateNotice({ ...plugins, ...base });
    const segments = plugins.strategies.find((s) => s.manifest.name === 'segments')!;
    const widened = defineStrategy({
      ...segments,
      manifest: {
        ...segments.manifest,
        reads: [
          ...segments.manifest.reads,
          {
            category: 'behavior.cart',
            purpose: 'personalization.profile',
            why: { en: 'To remind you of your cart.' },
          },
        ],
      },
    });
    const cart = defineDataSource({
      manifest: {
        name: 'cart',
        version: '1.0.0',
        core: '>=0.1.0',
        provides: [{ category: 'behavior.cart', retentionDays: 30 }],
      },
      load: () => ({}),
    });
    const after = generateNotice({
      strategies: plugins.strategies.map((s) => (s === segments ? widened : s)),
      sources: [...plugins.sources, cart],
      consent: plugins.consent,
      ...base,
    });

    expect(after.version).not.toBe(before.version);
    expect(after.purposes['personalization.profile']!.hash).not.toBe(
      before.purposes['personalization.profile']!.hash,
    );
    expect(after.purposes['personalization.contextual']!.hash).toBe(
      before.purposes['personalization.contextual']!.hash,
    );
    expect(after.purposes['personalization.session']!.hash).toBe(
      before.purposes['personalization.session']!.hash,
    );
    expect(consentsNeedingRenewal(before, after)).toEqual(['personalization.profile']);
    expect(consentsNeedingRenewal(noticeVersions(before), noticeVersions(after))).toEqual([
      'personalization.profile',
    ]);

    for (const lang of ['en', 'vi'] as const) {
      const oldText = renderNotice(before, { lang });
      const newText = renderNotice(after, { lang });
      expect(newText).not.toBe(oldText);
      expect(oldText).not.toContain(lang === 'en' ? 'Shopping cart' : 'Giỏ hàng');
      expect(newText).toContain(lang === 'en' ? '**Shopping cart**' : '**Giỏ hàng**');
      expect(newText).toContain(lang === 'en' ? 'kept for up to 30 days' : 'lưu tối đa 30 ngày');
    }
  });

  it('says a category is kept, and can be downloaded and deleted, when its source holds it without a time limit', () => {
    const plugins = shopPlugins();
    const reader = defineStrategy({
      manifest: {
        name: 'prefs-reader',
        version: '1.0.0',
        core: '>=0.1.0',
        purposes: ['personalization.profile'],
        reads: [{ category: 'profile.attributes', purpose: 'personalization.profile' }],
      },
      decide: () => ({ proposals: [] }),
    });
    const holder = defineDataSource({
      manifest: {
        name: 'attributes-store',
        version: '1.0.0',
        core: '>=0.1.0',
        provides: [{ category: 'profile.attributes' }],
        rights: { export: true, erase: true },
      },
      load: () => ({}),
      export: async () => ({}),
      erase: async () => ({ erased: 0 }),
    });
    const notice = generateNotice({
      strategies: [...plugins.strategies, reader],
      sources: [...plugins.sources, holder],
      consent: plugins.consent,
      ...base,
    });
    const category = notice.purposes['personalization.profile']!.categories.find(
      (c) => c.id === 'profile.attributes',
    );
    expect(category).toMatchObject({ storage: 'stored', retentionDays: null });
    expect(notice.rights.access).toContain('profile.attributes');
    expect(notice.rights.erase).toContain('profile.attributes');
    expect(renderNotice(notice, { lang: 'en' })).toContain('kept until you delete it');
    expect(renderNotice(notice, { lang: 'vi' })).toContain('lưu cho đến khi bạn yêu cầu xóa');
  });

  it("changes a purpose's hash when a source's retention changes, and flags a new purpose as added", () => {
    const plugins = shopPlugins();
    const before = generateNotice({ ...plugins, ...base });
    const profile = plugins.sources[0]!;
    const longer = defineDataSource({
      ...profile,
      manifest: {
        ...profile.manifest,
        provides: profile.manifest.provides.map((p) =>
          p.category === 'behavior.purchases' ? { ...p, retentionDays: 3650 } : p,
        ),
      },
    });
    const email = defineStrategy({
      manifest: {
        name: 'newsletter',
        version: '1.0.0',
        core: '>=0.1.0',
        purposes: ['marketing.email'],
        reads: [{ category: 'profile.preferences', purpose: 'marketing.email' }],
      },
      decide: () => ({ proposals: [] }),
    });
    const after = generateNotice({
      strategies: [...plugins.strategies, email],
      sources: [longer, plugins.sources[1]!],
      consent: plugins.consent,
      ...base,
    });
    expect(diffNotices(before, after)).toEqual({
      changed: ['personalization.profile'],
      added: ['marketing.email'],
      removed: [],
    });
  });

  it('keeps purpose hashes when only the controller changes, but not the notice version', () => {
    const plugins = shopPlugins();
    const a = generateNotice({ ...plugins, ...base });
    const b = generateNotice({
      ...plugins,
      ...base,
      controller: { ...CONTROLLER, contact: 'dpo@shop.example' },
    });
    expect(b.version).not.toBe(a.version);
    expect(noticeVersions(b).purposes).toEqual(noticeVersions(a).purposes);
  });
});

describe('consent references', () => {
  it('gives the option object the opt-in provider takes, and the notice field of a grant', () => {
    const notice = generateNotice({ ...shopPlugins(), ...base });
    const versions = noticeVersions(notice);
    expect(versions.version).toBe(notice.version);
    expect(versions.purposes['personalization.profile']).toBe(
      notice.purposes['personalization.profile']!.hash,
    );
    expect(noticeReference(notice, 'personalization.session')).toEqual({
      version: notice.version,
      hash: notice.purposes['personalization.session']!.hash,
    });
    expectTactful(() => noticeReference(notice, 'marketing.email'), 'UNKNOWN_PURPOSE');
  });
});

describe('configuration errors', () => {
  it('rejects options without a controller, naming the field', () => {
    const error = expectTactful(
      () => generateNotice({ ...shopPlugins(), controller: { name: '', contact: 'x@y.z' } }),
      'INVALID_OPTIONS',
    );
    expect(error.message).toContain('controller.name');
    expect(error.message).toContain('name the data controller');
    expectTactful(
      () => generateNotice({ ...shopPlugins(), ...base, rightsUrl: 'javascript:alert(1)' }),
      'INVALID_OPTIONS',
    );
  });

  it('rejects a category that no source provides and the request does not carry', () => {
    const strategy = defineStrategy({
      manifest: {
        name: 'orphan',
        version: '1.0.0',
        core: '>=0.1.0',
        purposes: ['personalization.profile'],
        reads: [{ category: 'behavior.cart', purpose: 'personalization.profile' }],
      },
      decide: () => ({ proposals: [] }),
    });
    const error = expectTactful(
      () => generateNotice({ strategies: [strategy], ...base }),
      'MISSING_CATEGORY_PROVIDER',
    );
    expect(error.message).toContain('behavior.cart');
  });

  it('rejects unknown categories and purposes, listing every problem at once', () => {
    const error = expectTactful(
      () =>
        generateNotice({
          strategies: [
            {
              name: 'typo',
              version: '1.0.0',
              core: '>=0.1.0',
              purposes: ['personalisation.profile'],
              reads: [{ category: 'behaviour.purchases', purpose: 'personalization.profile' }],
            },
          ],
          ...base,
        }),
      'INVALID_CONFIG',
    );
    expect(error.issues.map((i) => i.path.join('.'))).toEqual([
      'strategies.typo.purposes.0',
      'strategies.typo.reads.0.category',
    ]);
  });

  it('rejects malformed manifests and duplicate plugins', () => {
    expectTactful(() => generateNotice({ strategies: [{ name: 'x' }], ...base }), 'INVALID_MANIFEST');
    const { strategies } = shopPlugins();
    expectTactful(
      () => generateNotice({ strategies: [strategies[0]!, strategies[0]!], ...base }),
      'DUPLICATE_PLUGIN',
    );
    expectTactful(
      () => generateNotice({ plugins: shopPlugins(), strategies: [], ...base }),
      'INVALID_OPTIONS',
    );
  });
});

describe('parseNotice', () => {
  it('reads back the JSON form and refuses a hand-edited one', () => {
    const notice = generateNotice({ ...shopPlugins(), ...base });
    const json = JSON.parse(renderNotice(notice, { format: 'json' }));
    expect(parseNotice(json)).toEqual(notice);
    const edited = structuredClone(json);
    edited.purposes['personalization.profile'].categories[0].retentionDays = 1;
    expect(() => parseNotice(edited)).toThrow(/purposes\.personalization\.profile\.hash/);
    const reworded = structuredClone(json);
    reworded.controller.name = 'Someone else';
    expect(() => parseNotice(reworded)).toThrow(/version does not match/);
    expectTactful(() => parseNotice({ ...json, version: 'nope' }), 'INVALID_INPUT');
  });
});
