import { configJsonSchema } from '@tactful/config';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/**
 * What each section and the main fields are for. The types, defaults and limits in the reference
 * come from the schema itself; a test fails when a path here no longer exists in it.
 */
export const FIELD_NOTES: Readonly<Record<string, string>> = {
  $schema:
    'The JSON Schema of this file, so editors autocomplete it: `./node_modules/@tactful/config/schema.json`.',
  controller: 'The data controller named in the privacy notice.',
  'controller.contact': 'An email address, URL or phone number people can reach about their data.',
  rightsUrl: 'Where people withdraw consent and exercise their rights (your privacy center).',
  privacyCenter:
    'The privacy center on your own site, which the notice names as the place to withdraw consent and see, download or delete data: a path such as `/privacy`, or a URL.',
  noticeDate:
    'The day this version of the privacy notice takes effect, `YYYY-MM-DD`: the notice shows people this date ("This version of the notice applies from 1 December 2026") instead of its version hash, which consent records keep.',
  jurisdictions: 'Jurisdictions whose law the notice names and whose deadlines rights requests follow.',
  taxonomy: 'Purposes and data categories added to the built-in taxonomy.',
  storage:
    'Where Tactful keeps its records: SQLite files in a folder (the default, one server), PostgreSQL (a fleet of servers), or memory (tests, demos).',
  'storage.url':
    'PostgreSQL: the connection URL from the environment, `${env:DATABASE_URL}`; a literal password in the file is refused.',
  'storage.schema': 'PostgreSQL: the schema the tables live in (default `tactful`).',
  'storage.migrate':
    'PostgreSQL: `on-start` (default) applies pending migrations when a server starts (safe with many at once); `manual` needs `tactful migrate` first.',
  'storage.poolSize': 'PostgreSQL: connections per server (default 10).',
  cache:
    'Where anonymous sessions and rate limits live: `memory` (each process, the default) or `redis` (shared by a fleet).',
  'cache.url': 'Redis: the URL from the environment, `${env:REDIS_URL}`; a literal password is refused.',
  'cache.keyPrefix': 'Redis: the prefix of every key (default `tactful:`).',
  'storage.directory':
    'The folder of the database files, relative to the configuration file; created when missing.',
  'storage.thread':
    '`worker` (default): SQLite runs on two database threads, so another process’s lock or a slow disk never stalls the server; `main`: in the server’s own thread.',
  consent: 'The consent providers: explicit opt-in records (always on), GPC/DNT (on), IAB TCF v2.2 (off).',
  'consent.optIn.missing':
    'What a purpose with no consent record means: `deny` (the default, P1) or `abstain`.',
  'consent.gpc':
    'Global Privacy Control / Do-Not-Track: on by default; `false` turns it off (not recommended).',
  'consent.tcf': 'IAB TCF v2.2 TC strings: off by default.',
  sources: 'Data sources configured by the file (the person’s own data sources are built in).',
  'sources.weather': 'A weather API of the Open-Meteo format, for `weather.*` rules.',
  strategies: 'The first-party strategies and their options; see each package’s guide.',
  'strategies.contextual':
    'Time, device, locale, coarse location and weather rules — docs/guides/contextual.md.',
  'strategies.segments': 'Rule-based customer segments — docs/guides/segments.md.',
  'strategies.contextual.rules[].when':
    'A condition over the request’s context (`daypart`, `device.class`, `holidays` …) — docs/guides/conditions.md.',
  'strategies.segments.segments[].condition':
    'A condition in the condition language (MongoDB-style) over the person’s data — docs/guides/conditions.md.',
  'strategies.segments.topics':
    'What people call each topic, by topic key (`{ "rain": { "en": "rain gear", "vi": "đồ đi mưa" } }`): a declared "not interested" is explained in these words ("You told us you are not interested in rain gear.") instead of the key.',
  'strategies.segments.storeMemberships':
    'Keep memberships in the store (they then join the person’s export and erasure).',
  'strategies.dynamicContent':
    'One or more content catalogs; `catalog` is inline JSON or a path relative to this file — docs/guides/dynamic-content.md.',
  'strategies.anonymousSession':
    'Real-time session interests without identity — docs/guides/anonymous-session.md.',
  plugins:
    'Third-party plugins (strategies, data sources, consent providers), by package name or relative path.',
  'plugins[].module': 'The module to import: a package name or a path relative to the configuration file.',
  'plugins[].export': 'The export to use: a factory called with `options`, or a plugin object.',
  'plugins[].options': 'Options passed to the factory.',
  merge: 'How proposals for one slot are merged: by priority, by score, or weighted.',
  timeouts: 'Deadlines of the orchestrator, in milliseconds; a plugin past its deadline is dropped (P8).',
  audit: 'The decision audit trail — docs/guides/audit.md.',
  'audit.sampling': 'Share of decisions recorded, in [0, 1].',
  'audit.retentionDays': 'Days an audit entry is kept.',
  'audit.overload':
    'When the audit store falls behind: `gap` serves the decision and records a signed entry counting those not recorded, `wait` holds decisions until there is room, `shed` answers 503 with Retry-After.',
  'audit.maxQueue': 'Most recordings waiting to be written before the overload policy applies.',
  retention:
    'How long a person’s data is kept, and the scheduled purge that deletes what is past it — docs/guides/data-rights.md.',
  'retention.subjects':
    'Days each category of a person’s data is kept (purchases 730, page views 90, cart 30, stored segments 30 by default); data past it is never returned, and the privacy notice states these periods.',
  'retention.purge':
    'Every server deletes data past retention (subject data, and audit entries past `audit.retentionDays`) on this schedule, in batches; safe with several servers on one database. `false` turns it off — then run `tactful purge` from a job.',
  'retention.purge.intervalMinutes':
    'Minutes between purges, each wait varied by up to 10% so servers spread out.',
  'retention.purge.batchSize':
    'Most items deleted per batch; a full batch is followed by the next one a second later, so no batch holds the database for long.',
  'retention.purge.maxBatchesPerInterval':
    'Most batches one purge runs; a backlog larger than this waits for the next interval instead of holding the store without end.',
  'retention.purge.callTimeoutMs':
    'Milliseconds one store call of the purge may take; past it the purge reports the store as failed (once per interval) and sends it nothing more until the late call answers.',
  rights:
    'The person’s rights: deadlines, default jurisdiction, stores that must retain data — docs/guides/data-rights.md.',
  'rights.jurisdictions': 'Deadline rules to add or override, by jurisdiction code.',
  'rights.retain': 'Stores allowed to keep data on erasure, each with the legal reason shown on receipts.',
  server: 'The decision server (`tactful serve`, `@tactful/server`).',
  'server.origins': 'The public origin(s) of the site, for CSRF checks; default: the request’s own origin.',
  'server.trustedProxy': 'The edge proxy whose location headers are believed. Without it, none are.',
  'server.tokens':
    'Bearer tokens for server-to-server calls, as SHA-256 hex digests (never the tokens), each named.',
  'server.limits.bodyBytes': 'Largest request body, in bytes (413 past it).',
  'server.limits.maxConcurrent':
    'Most requests answered at once (the in-flight limit’s ceiling); more wait up to `queueTimeoutMs`, then 503.',
  'server.limits.minConcurrent':
    'Fewest requests answered at once however loaded: the adaptive in-flight limit never goes below it.',
  'server.limits.latencyTargetMs':
    'Answer time the in-flight limit is held to: over it, on a saturated loop, fewer are let in; 0 (the default) keeps `maxConcurrent`.',
  'server.limits.headersTimeoutMs':
    'Longest a client may take to send its request headers (then 408 and the connection is closed).',
  'server.limits.bodyTimeoutMs':
    'Longest a client may take to send a body after its headers (then 408, closed); a slow body holds no slot.',
  'server.limits.maxConnections': 'Most open connections; past it, new ones are closed at once.',
  'server.limits.queueTimeoutMs':
    'Longest a request (its body in) waits for a slot before 503 with Retry-After; 0 sheds at once.',
  'server.limits.maxLagMs':
    'Event-loop delay from which new requests are shed (503, Retry-After), a share growing to all at twice it.',
  'server.limits.turnBudgetMs':
    'How long the requests read in one loop turn run before the rest wait for the next turn (timers run on time under thousands of connections); 0 turns it off.',
  'server.limits.shedOverBudget':
    'Past the loop turn budget, an API request finding no slot free is shed (503, Retry-After) instead of held for the next turn.',
  'server.limits.rightsPerHour': 'Export and erasure requests per person per hour (429 past it).',
};

const MAX_DEPTH = 7;

function code(value: unknown): string {
  const text = JSON.stringify(value);
  return `\`${(text ?? 'undefined').replace(/\|/g, '\\|')}\``;
}

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return code(s.const);
  if (s.enum) return s.enum.map(code).join(' \\| ');
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map(typeOf).join(' \\| ');
  const t = Array.isArray(s.type) ? s.type.join(' \\| ') : s.type;
  if (t === 'array') return `${s.items ? typeOf(s.items) : 'any'}[]`;
  if (t === 'object') {
    if (s.properties) return 'object';
    if (s.additionalProperties && typeof s.additionalProperties === 'object')
      return `Record&lt;string, ${typeOf(s.additionalProperties)}&gt;`;
    return 'object';
  }
  if (t === 'string' && s.format) return `string (${s.format})`;
  return t ?? 'any JSON';
}

function limits(s: JsonSchema): string {
  const out: string[] = [];
  const range = (lo: number | undefined, hi: number | undefined, loX = false, unit = '') => {
    if (lo !== undefined && hi !== undefined) out.push(`${lo}${loX ? ' <' : ' ≤'} x ≤ ${hi}${unit}`);
    else if (lo !== undefined) out.push(`${loX ? '>' : '≥'} ${lo}${unit}`);
    else if (hi !== undefined) out.push(`≤ ${hi}${unit}`);
  };
  const small = (n: number | undefined) => (n !== undefined && Math.abs(n) < 1e15 ? n : undefined);
  range(s.exclusiveMinimum ?? small(s.minimum), small(s.maximum), s.exclusiveMinimum !== undefined);
  if (s.minLength !== undefined || s.maxLength !== undefined) {
    out.push(`length ${s.minLength ?? 0}–${s.maxLength ?? '∞'}`);
  }
  if (s.minItems !== undefined || s.maxItems !== undefined)
    out.push(`${s.minItems ?? 0}–${s.maxItems ?? '∞'} items`);
  if (s.pattern) out.push(`matches \`${s.pattern.replace(/\|/g, '\\|')}\``);
  return out.join(', ');
}

interface Row {
  path: string;
  type: string;
  required: boolean;
  default: string;
  limits: string;
  note: string;
}

function walk(s: JsonSchema, path: string, required: boolean, rows: Row[], depth: number): void {
  rows.push({
    path,
    type: typeOf(s),
    required,
    default: s.default === undefined ? '' : code(s.default),
    limits: limits(s),
    note: s.description ?? FIELD_NOTES[path] ?? '',
  });
  if (depth >= MAX_DEPTH) return;
  const children = (o: JsonSchema, prefix: string) => {
    for (const [key, child] of Object.entries(o.properties ?? {})) {
      walk(child, `${prefix}.${key}`, (o.required ?? []).includes(key), rows, depth + 1);
    }
    if (!o.properties && o.additionalProperties && typeof o.additionalProperties === 'object') {
      const inner = o.additionalProperties;
      if (inner.properties || inner.items) walk(inner, `${prefix}.<key>`, false, rows, depth + 1);
    }
  };
  if (s.properties) children(s, path);
  else if (s.items && (s.items.properties || s.items.anyOf || s.items.oneOf)) {
    const item = s.items;
    if (item.properties) children(item, `${path}[]`);
    for (const v of item.anyOf ?? item.oneOf ?? []) if (v.properties) children(v, `${path}[]`);
  } else {
    for (const v of s.anyOf ?? s.oneOf ?? []) {
      if (!v.properties) continue;
      const tag = Object.entries(v.properties).find(([, p]) => p.const !== undefined);
      const prefix = tag ? `${path} (${tag[0]}: ${code(tag[1].const)})` : path;
      children(v, prefix);
    }
  }
}

function cell(text: string): string {
  return text.replace(/\n/g, ' ');
}

/** Every field path of the configuration schema, as the reference lists them. */
export function configFieldPaths(): string[] {
  const schema = configJsonSchema() as JsonSchema;
  const rows: Row[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) walk(child, key, false, rows, 0);
  return rows.map((r) => r.path.replace(/ \([^)]*\)/g, ''));
}

/**
 * The configuration reference in Markdown, generated from the zod schema of `@tactful/config`
 * (through its JSON Schema): one section per top-level key, each field with its type, whether it
 * is required, its default and its limits.
 *
 * @example
 * ```ts
 * await writeFile('docs/reference/configuration.md', configReference());
 * ```
 */
export function configReference(): string {
  const schema = configJsonSchema() as JsonSchema;
  const top = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const out: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from the zod schemas of @tactful/config by `pnpm --filter @tactful/cli docs:config`. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    'A Tactful configuration file (`tactful.config.json`; comments and trailing commas allowed) is',
    'validated when it is loaded, with **every problem reported at once** — its JSON path,',
    '`line:column` and a hint (`tactful validate`). Point `$schema` at',
    '`./node_modules/@tactful/config/schema.json` and editors autocomplete every field below.',
    '',
    'Start from a recipe ([docs/recipes](../recipes/README.md)) or `tactful init --template ecommerce|newsletter|travel`.',
    'The API behind it: [@tactful/config in the API reference](../../packages/config/README.md).',
    '',
    '## Sections',
    '',
    '| section | required | what it sets |',
    '| --- | --- | --- |',
  ];
  for (const key of Object.keys(top)) {
    const anchor = key.replace(/[^A-Za-z0-9-]/g, '').toLowerCase();
    out.push(
      `| [\`${key}\`](#${anchor}) | ${required.has(key) ? 'yes' : 'no'} | ${cell(FIELD_NOTES[key] ?? '')} |`,
    );
  }
  for (const [key, child] of Object.entries(top)) {
    const rows: Row[] = [];
    walk(child, key, required.has(key), rows, 0);
    out.push('', `## \`${key}\``, '');
    if (FIELD_NOTES[key]) out.push(FIELD_NOTES[key], '');
    out.push(
      '| field | type | required | default | limits | notes |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const r of rows) {
      out.push(
        `| \`${r.path}\` | ${cell(r.type)} | ${r.required ? 'yes' : ''} | ${cell(r.default)} | ${cell(r.limits)} | ${cell(r.note)} |`,
      );
    }
  }
  out.push('');
  return out.join('\n');
}
