// Writes schema.json, the JSON Schema of configuration files, from the built package.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/index.js';

const schema = {
  $id: 'https://tactful.dev/schema/config.json',
  title: 'Tactful configuration',
  ...configJsonSchema(),
};
writeFileSync(new URL('../schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
