// Writes the published JSON Schema of the subject export document from the built package.
import { writeFileSync } from 'node:fs';
import { subjectExportJsonSchema } from '../dist/index.js';

const target = new URL('../schema/subject-export.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(subjectExportJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
