import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { subjectExportJsonSchema } from './export-document.js';
import { memorySubjectStore } from './memory-subject-store.js';
import { createRightsService } from './rights-service.js';

const shipped = JSON.parse(
  readFileSync(new URL('../schema/subject-export.schema.json', import.meta.url), 'utf8'),
);

describe('the published export schema', () => {
  it('ships the JSON Schema generated from the zod schema (regenerate with the build when this fails)', () => {
    expect(shipped).toEqual(subjectExportJsonSchema());
  });

  it('validates a real export with a standard JSON Schema validator, and rejects a tampered one', async () => {
    const store = memorySubjectStore();
    await store.declarePreferences('u-1', { interests: ['kids'], answers: { q: ['a', 'b'] } });
    await store.recordEvents('u-1', [
      { category: 'behavior.pageviews', data: { at: new Date().toISOString(), url: '/x', durationMs: 10 } },
    ]);
    const doc = await createRightsService({ stores: [store] }).export('u-1');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    // ajv-formats is CommonJS: its default export arrives as the module or as `.default`.
    const addFormats = (formats as unknown as { default?: typeof formats }).default ?? formats;
    addFormats(ajv);
    const validate = ajv.compile(shipped);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...doc, format: 'something-else' })).toBe(false);
    expect(validate({ ...doc, sections: [{ kind: 'subject', name: 'x', data: {} }] })).toBe(false);
  });
});
