import { validateConfig } from '@tactful/config';
import { describe, expect, it } from 'vitest';
import { CONFIG_TEMPLATE_NAMES, configFromTemplate } from '../src/templates/index.js';

describe('configuration templates', () => {
  it.each(CONFIG_TEMPLATE_NAMES)('%s passes every load-time check of @tactful/config', async (name) => {
    const result = await validateConfig(configFromTemplate(name));
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
