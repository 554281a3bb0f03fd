import {
  ErasureReceiptSchema,
  RectificationReceiptSchema,
  SubjectExportDocumentSchema,
} from '@tactful/subject';
import { z } from 'zod';
import {
  AttributesBodySchema,
  ConsentChoicesBodySchema,
  ConsentGrantBodySchema,
  ConsentStateResponseSchema,
  DecideBodySchema,
  DecideResponseSchema,
  GpcSupportSchema,
  HealthSchema,
  NoticeQuerySchema,
  PreferencesBodySchema,
  PurposeStatusSchema,
  RectifyBodySchema,
  SessionEventsBodySchema,
  SessionEventsResponseSchema,
} from './schemas.js';
import { SubjectTokenBodySchema, SubjectTokenResponseSchema } from './routes/subject-token.js';
import { SERVER_VERSION } from './version.js';

/** One documented operation: the same zod schemas the route validates with. */
export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  body?: z.core.$ZodType;
  bodyOptional?: boolean;
  query?: z.ZodObject;
  response?: z.core.$ZodType;
  responseType?: string;
  /** State-changing: CSRF-checked for browsers. */
  changes?: boolean;
  /** Export and erasure: rate limited per person. */
  limited?: boolean;
  /** Needs an identified person. */
  person?: boolean;
  /** Takes a browser's subject token (the `Tactful-Subject-Token` header). */
  subjectToken?: boolean;
  /** For services only (a bearer token and the `Tactful-Subject` header). */
  service?: boolean;
}

const PurposeOneSchema = PurposeStatusSchema.extend({ purpose: z.string() });
const ErrorSchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    issues: z
      .array(z.strictObject({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }))
      .optional(),
  }),
});

/** Every route of the server, as documented in `/openapi.json`. */
export const OPERATIONS: readonly Operation[] = [
  {
    method: 'post',
    path: '/v1/decide',
    summary: 'Decide the content of slots',
    tag: 'decisions',
    body: DecideBodySchema,
    response: DecideResponseSchema,
    changes: true,
    subjectToken: true,
  },
  {
    method: 'post',
    path: '/v1/subject-token',
    summary:
      "Issue a subject token for the browser a page is rendered for (services only): the page's client then decides for that person",
    tag: 'decisions',
    body: SubjectTokenBodySchema,
    response: SubjectTokenResponseSchema,
    service: true,
  },
  {
    method: 'post',
    path: '/v1/session/events',
    summary: 'Record anonymous session events (only with personalization.session consent)',
    tag: 'session',
    body: SessionEventsBodySchema,
    response: SessionEventsResponseSchema,
    changes: true,
  },
  {
    method: 'delete',
    path: '/v1/session',
    summary: 'End the anonymous session now',
    tag: 'session',
    changes: true,
  },
  {
    method: 'get',
    path: '/v1/consent',
    summary: 'The consent of every purpose this site asks about',
    tag: 'consent',
    response: ConsentStateResponseSchema,
  },
  {
    method: 'post',
    path: '/v1/consent',
    summary: 'Record a banner or preference-center choice (grant and deny at once)',
    tag: 'consent',
    body: ConsentChoicesBodySchema,
    response: ConsentStateResponseSchema,
    changes: true,
  },
  {
    method: 'delete',
    path: '/v1/consent',
    summary: 'Withdraw every granted purpose',
    tag: 'consent',
    response: ConsentStateResponseSchema,
    changes: true,
  },
  {
    method: 'get',
    path: '/v1/consent/{purpose}',
    summary: 'The consent of one purpose',
    tag: 'consent',
    response: PurposeOneSchema,
  },
  {
    method: 'post',
    path: '/v1/consent/{purpose}',
    summary: 'Grant one purpose',
    tag: 'consent',
    body: ConsentGrantBodySchema,
    bodyOptional: true,
    response: ConsentStateResponseSchema,
    changes: true,
  },
  {
    method: 'delete',
    path: '/v1/consent/{purpose}',
    summary: 'Withdraw one purpose',
    tag: 'consent',
    response: ConsentStateResponseSchema,
    changes: true,
  },
  {
    method: 'get',
    path: '/v1/me/export',
    summary: 'Everything held about the person (machine-readable)',
    tag: 'rights',
    response: SubjectExportDocumentSchema,
    limited: true,
    person: true,
  },
  {
    method: 'patch',
    path: '/v1/me',
    summary: 'Correct held data, category by category',
    tag: 'rights',
    body: RectifyBodySchema,
    response: RectificationReceiptSchema,
    changes: true,
    person: true,
  },
  {
    method: 'patch',
    path: '/v1/me/preferences',
    summary: 'Correct declared preferences (zero-party data)',
    tag: 'rights',
    body: PreferencesBodySchema,
    response: RectificationReceiptSchema,
    changes: true,
    person: true,
  },
  {
    method: 'patch',
    path: '/v1/me/attributes',
    summary: 'Replace declared attributes',
    tag: 'rights',
    body: AttributesBodySchema,
    response: RectificationReceiptSchema,
    changes: true,
    person: true,
  },
  {
    method: 'delete',
    path: '/v1/me',
    summary: 'Erase the person from every store and source; returns a receipt',
    tag: 'rights',
    response: ErasureReceiptSchema,
    changes: true,
    limited: true,
    person: true,
  },
  {
    method: 'get',
    path: '/v1/notice',
    summary: 'The privacy notice, generated from the running configuration',
    tag: 'notice',
    query: NoticeQuerySchema,
    responseType: 'text/markdown',
  },
  {
    method: 'get',
    path: '/.well-known/gpc.json',
    summary: 'Global Privacy Control support',
    tag: 'notice',
    response: GpcSupportSchema,
  },
  { method: 'get', path: '/healthz', summary: 'Liveness', tag: 'operations', response: HealthSchema },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness (the consent store answers; not draining)',
    tag: 'operations',
    response: HealthSchema,
  },
];

const json = (schema: z.core.$ZodType, io: 'input' | 'output') => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  return rest;
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/**
 * The OpenAPI 3.1 document of the server, generated from the zod schemas the routes validate with
 * (`z.toJSONSchema`), so the document cannot drift from what the server accepts.
 */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters: unknown[] = [];
    for (const [name] of op.path.matchAll(/\{(\w+)\}/g)) {
      parameters.push({ name: name.slice(1, -1), in: 'path', required: true, schema: { type: 'string' } });
    }
    if (op.query) {
      const q = json(op.query, 'input') as { properties?: Record<string, unknown> };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: false, schema });
      }
    }
    const responses: Record<string, unknown> = {
      [op.response || op.responseType ? '200' : '204']: op.response
        ? { description: 'OK', content: { 'application/json': { schema: json(op.response, 'output') } } }
        : op.responseType
          ? {
              description: 'OK (`format=md|html|json`)',
              content: {
                [op.responseType]: { schema: { type: 'string' } },
                'text/html': { schema: { type: 'string' } },
              },
            }
          : { description: 'Done' },
      '400': errorResponse('Invalid request: every problem with its path'),
      '503': errorResponse('Overloaded or a store is unavailable (`Retry-After`)'),
    };
    if (op.body) responses['413'] = errorResponse('Body too large');
    if (op.changes)
      responses['403'] = errorResponse('Cross-site request (Origin not allowed): nothing changed');
    if (op.limited) responses['429'] = errorResponse('Too many requests (`Retry-After`)');
    if (op.person)
      responses['401'] = errorResponse('No person identified (no id cookie, no Tactful-Subject)');
    if (op.subjectToken) {
      parameters.push({
        name: 'Tactful-Subject-Token',
        in: 'header',
        required: false,
        description:
          'A subject token from POST /v1/subject-token, for the browser whose id cookie it is bound to: the decision is for its subject.',
        schema: { type: 'string', maxLength: 1024 },
      });
      responses['401'] = errorResponse(
        'The subject token is malformed (`SUBJECT_TOKEN_MALFORMED`), forged (`SUBJECT_TOKEN_INVALID`) or expired (`SUBJECT_TOKEN_EXPIRED`)',
      );
      responses['403'] = errorResponse(
        'Cross-site request (Origin not allowed): nothing changed; or the subject token was issued for another browser (`SUBJECT_TOKEN_WRONG_BROWSER`)',
      );
    }
    if (op.service) {
      responses['400'] = errorResponse('Invalid request, or no `Tactful-Subject` header (`NO_SUBJECT`)');
      responses['403'] = errorResponse('Not a service (no bearer token): `FORBIDDEN`');
    }
    const operation: Record<string, unknown> = {
      operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      summary: op.summary,
      tags: [op.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: !op.bodyOptional,
              content: { 'application/json': { schema: json(op.body, 'input') } },
            },
          }
        : {}),
      responses,
      ...(op.service
        ? { security: [{ bearer: [] }] }
        : op.path.startsWith('/v1/')
          ? { security: [{}, { bearer: [] }, { cookie: [] }] }
          : {}),
    };
    paths[op.path] = { ...paths[op.path], [op.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tactful decision server',
      version: SERVER_VERSION,
      description:
        "Decisions, anonymous session events, consent, the person's export, rectification and erasure, and the privacy notice. The person is never named in a body or query: browsers are known by a signed cookie, services by a bearer token and the Tactful-Subject header.",
    },
    paths,
    components: {
      schemas: { Error: json(ErrorSchema, 'output') },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Server-to-server token; name the person with the Tactful-Subject header.',
        },
        cookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tactful_id',
          description: 'Signed, HttpOnly, SameSite=Lax id cookie set on a consent choice.',
        },
      },
    },
  };
}
