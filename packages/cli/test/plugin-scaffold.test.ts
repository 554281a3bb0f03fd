import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factoryName, pluginFiles, pluginPackageName, pluginSlug } from '../src/plugin-scaffold.js';

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const slug = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join('-'));
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

describe('plugin scaffold names', () => {
  it('for every plugin name: a valid npm name, a slug that round-trips, and a factory that is a JS identifier', () => {
    fc.assert(
      fc.property(slug, fc.boolean(), (name, scoped) => {
        const given = scoped ? `@acme/tactful-${name}` : name;
        const named = pluginPackageName(given);
        expect(named.ok).toBe(true);
        if (!named.ok) return;
        expect(named.name).toMatch(NPM_NAME);
        expect(scoped ? named.name : named.name.startsWith('tactful-plugin-')).toBeTruthy();
        expect(pluginSlug(named.name)).toBe(name);
        expect(factoryName(name)).toMatch(IDENTIFIER);
      }),
    );
  });

  it('names the factory as a camel-case noun: happy-hour → happyHour, 2x-sale → plugin2xSale', () => {
    expect(factoryName('happy-hour')).toBe('happyHour');
    expect(factoryName('summer-sale-vn')).toBe('summerSaleVn');
    expect(factoryName('2x-sale')).toBe('plugin2xSale');
  });

  it('refuses names npm would refuse', () => {
    for (const bad of ['Bad Name', 'UPPER', '-dash', '', '@scope', 'a/b/c']) {
      expect(pluginPackageName(bad).ok, bad).toBe(false);
    }
  });

  it('writes a package whose manifest, exports and tests name the same plugin', () => {
    fc.assert(
      fc.property(slug, (name) => {
        const pkg = `tactful-plugin-${name}`;
        const files = pluginFiles({ packageName: pkg, coreRange: '^0.1.0' });
        const manifest = JSON.parse(files['package.json'] ?? '{}');
        expect(manifest.name).toBe(pkg);
        expect(manifest.peerDependencies).toEqual({ '@tactful/core': '^0.1.0' });
        expect(files[`src/${name}.ts`]).toContain(`name: '${pkg}'`);
        expect(files[`src/${name}.ts`]).toContain(`core: '^0.1.0'`);
        expect(files['src/index.ts']).toContain(`export { ${factoryName(name)},`);
        expect(files[`src/${name}.test.ts`]).toContain(`describeStrategyConformance('${pkg}'`);
      }),
      { numRuns: 50 },
    );
  });
});
