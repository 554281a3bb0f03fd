import type { TactfulConfigInput } from '@tactful/config';
import { ecommerceTemplate } from './ecommerce.js';
import { newsletterTemplate } from './newsletter.js';
import { travelTemplate } from './travel.js';

/** The configurations `tactful init --template <name>` writes; also published as docs/recipes. */
export const CONFIG_TEMPLATES = {
  ecommerce: ecommerceTemplate,
  newsletter: newsletterTemplate,
  travel: travelTemplate,
} as const satisfies Record<string, TactfulConfigInput>;

/** The name of a configuration template. */
export type ConfigTemplateName = keyof typeof CONFIG_TEMPLATES;

/** The template names, in the order `--help` lists them. */
export const CONFIG_TEMPLATE_NAMES = Object.keys(CONFIG_TEMPLATES) as ConfigTemplateName[];

/** Where a configuration's `$schema` points when @tactful/config is installed next to it. */
export const SCHEMA_REFERENCE = './node_modules/@tactful/config/schema.json';

/** Options of {@link configFromTemplate}. */
export interface TemplateOverrides {
  /** The data controller's name (the notice names it). */
  name?: string;
  /** The privacy contact: an email, URL or phone. */
  contact?: string;
  /** `$schema` to write (default {@link SCHEMA_REFERENCE}). */
  schema?: string;
}

/**
 * A complete configuration from a template, with the controller and `$schema` set.
 *
 * @example
 * ```ts
 * const config = configFromTemplate('ecommerce', { name: 'Shop ABC', contact: 'privacy@shop.example' });
 * ```
 */
export function configFromTemplate(template: ConfigTemplateName, overrides: TemplateOverrides = {}) {
  const base = structuredClone(CONFIG_TEMPLATES[template]) as TactfulConfigInput;
  const controller = {
    ...base.controller,
    ...(overrides.name === undefined ? {} : { name: overrides.name }),
    ...(overrides.contact === undefined ? {} : { contact: overrides.contact }),
  };
  return { $schema: overrides.schema ?? SCHEMA_REFERENCE, ...base, controller } as TactfulConfigInput;
}
