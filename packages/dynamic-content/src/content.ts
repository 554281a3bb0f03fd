import { FORBIDDEN_KEYS, type TactfulIssue } from '@tactful/core';
import { objectNode, type TemplateParts } from './render-parts.js';
import {
  type CompiledTemplate,
  compileTemplate,
  RENDER_CONTEXTS,
  type RenderContext,
  templateParts,
} from './template.js';

/**
 * Content after compilation: static JSON is kept as is (frozen); objects of the form
 * `{ "$template": "...", "as": "html" }` anywhere inside become compiled templates, rendered at
 * decision time into strings.
 */
export interface CompiledContent {
  /** True when some part of the content is a template. */
  readonly dynamic: boolean;
  /** Every template in the content. */
  readonly templates: readonly CompiledTemplate[];
  /** The content with every template rendered with `values`. Static content is returned as is. */
  render(values: unknown): unknown;
}

/** Caps on one content value. */
export const CONTENT_LIMITS = Object.freeze({ maxDepth: 16, maxNodes: 5_000 });

type Node = (values: unknown) => unknown;

/**
 * A content value as data, for a prebuilt catalog: static JSON as is, and in place of each template
 * that has placeholders `{ "$template": i }`, `i` indexing `templates` (their parts). A static
 * object never has a `"$template"` key (one that had would have been compiled as a template).
 */
export interface ContentData {
  readonly value: unknown;
  readonly templates: readonly TemplateParts[];
}

const DATA = new WeakMap<CompiledContent, ContentData>();

/** The data form of compiled content (what `compileCatalog` writes), or undefined for another object. */
export function contentData(content: CompiledContent): ContentData | undefined {
  return DATA.get(content);
}

/** A walked value: a renderer (dynamic) with its data form, or a static value. */
interface Walked {
  node: Node | undefined;
  value: unknown;
  data?: unknown;
}

/**
 * Compiles a content value. Problems are appended to `issues` (with paths under `path`) rather than
 * thrown, so a catalog reports all of them at once.
 */
export function compileContent(
  value: unknown,
  defaultFormat: RenderContext,
  path: ReadonlyArray<string | number>,
  issues: TactfulIssue[],
): CompiledContent {
  const templates: CompiledTemplate[] = [];
  const parts: TemplateParts[] = [];
  let nodes = 0;
  const walk = (v: unknown, at: ReadonlyArray<string | number>, depth: number): Walked => {
    nodes++;
    if (nodes > CONTENT_LIMITS.maxNodes) {
      if (nodes === CONTENT_LIMITS.maxNodes + 1)
        issues.push({ path: at, message: `content has more than ${CONTENT_LIMITS.maxNodes} values` });
      return { node: undefined, value: null };
    }
    if (depth > CONTENT_LIMITS.maxDepth) {
      issues.push({ path: at, message: `content is nested deeper than ${CONTENT_LIMITS.maxDepth} levels` });
      return { node: undefined, value: null };
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return { node: undefined, value: v };
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) issues.push({ path: at, message: 'numbers in content must be finite' });
      return { node: undefined, value: v };
    }
    if (Array.isArray(v)) {
      const items = v.map((item, i) => walk(item, [...at, i], depth + 1));
      if (items.every((p) => p.node === undefined))
        return { node: undefined, value: Object.freeze(items.map((p) => p.value)) };
      const renderers = items.map((p) => p.node ?? (() => p.value));
      return {
        node: (values) => renderers.map((r) => r(values)),
        value: undefined,
        data: items.map((p) => (p.node ? p.data : p.value)),
      };
    }
    if (typeof v === 'object') {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        issues.push({
          path: at,
          message: 'content must be JSON: plain objects, arrays, strings, numbers, booleans and null',
        });
        return { node: undefined, value: null };
      }
      const record = v as Record<string, unknown>;
      if (Object.hasOwn(record, '$template')) return templateNode(record, at);
      const keys = Object.keys(record);
      const entries: Array<[string, Walked]> = [];
      for (const key of keys) {
        if (FORBIDDEN_KEYS.has(key)) {
          issues.push({ path: [...at, key], message: `"${key}" is not allowed as a content key` });
          continue;
        }
        entries.push([key, walk(record[key], [...at, key], depth + 1)]);
      }
      if (entries.every(([, p]) => p.node === undefined)) {
        return {
          node: undefined,
          value: Object.freeze(Object.fromEntries(entries.map(([k, p]) => [k, p.value]))),
        };
      }
      return {
        node: objectNode(entries),
        value: undefined,
        data: Object.fromEntries(entries.map(([k, p]) => [k, p.node ? p.data : p.value])),
      };
    }
    issues.push({ path: at, message: `content must be JSON, got ${typeof v}` });
    return { node: undefined, value: null };
  };
  const templateNode = (record: Record<string, unknown>, at: ReadonlyArray<string | number>): Walked => {
    const extra = Object.keys(record).filter((k) => k !== '$template' && k !== 'as');
    if (extra.length > 0)
      issues.push({
        path: at,
        message: `a template node has only "$template" and "as", not ${extra.join(', ')}`,
      });
    const source = record['$template'];
    const as = record['as'] ?? defaultFormat;
    if (typeof source !== 'string') {
      issues.push({ path: [...at, '$template'], message: '"$template" must be a string' });
      return { node: undefined, value: null };
    }
    if (typeof as !== 'string' || !(RENDER_CONTEXTS as readonly string[]).includes(as)) {
      issues.push({ path: [...at, 'as'], message: `"as" must be one of ${RENDER_CONTEXTS.join(', ')}` });
      return { node: undefined, value: null };
    }
    try {
      const template = compileTemplate(source, as as RenderContext);
      templates.push(template);
      if (template.segments.length === 0) return { node: undefined, value: template.render({}) };
      parts.push(templateParts(template)!);
      return {
        node: (values) => template.render(values),
        value: undefined,
        data: { $template: parts.length - 1 },
      };
    } catch (error) {
      issues.push({
        path: [...at, '$template'],
        message: error instanceof Error ? error.message : String(error),
      });
      return { node: undefined, value: null };
    }
  };
  const root = walk(value, path, 0);
  const rootNode = root.node;
  const staticValue = root.value;
  const compiled: CompiledContent = Object.freeze({
    dynamic: rootNode !== undefined,
    templates: Object.freeze(templates),
    render: rootNode ?? (() => staticValue),
  });
  DATA.set(compiled, { value: rootNode === undefined ? staticValue : root.data, templates: parts });
  return compiled;
}
