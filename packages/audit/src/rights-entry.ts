import { TactfulError } from '@tactful/core';
import type { RightsRequestRecord } from './trail-types.js';
import type { AuditPayload } from './types.js';

const TYPES = new Set(['access', 'rectification', 'erasure']);
const ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The payload of a rights request entry: decision-shaped (so the chain, the stores and verification
 * treat it like any entry), with empty decision fields and a `rights` reference. It keeps what was
 * asked and when, never the data itself.
 */
export function rightsSnapshot(request: RightsRequestRecord): Omit<AuditPayload, 'subject' | 'salt'> {
  if (typeof request !== 'object' || request === null || !TYPES.has(request.type))
    throw new TactfulError(
      'INVALID_INPUT',
      'audit: recordRights: type must be access, rectification or erasure',
      {
        path: ['type'],
      },
    );
  if (typeof request.requestId !== 'string' || !ID.test(request.requestId))
    throw new TactfulError(
      'INVALID_INPUT',
      'audit: recordRights: requestId must be an id (letters, digits, . _ : -)',
      {
        path: ['requestId'],
      },
    );
  if (typeof request.receivedAt !== 'string' || !Number.isFinite(Date.parse(request.receivedAt)))
    throw new TactfulError('INVALID_INPUT', 'audit: recordRights: receivedAt must be an ISO 8601 date-time', {
      path: ['receivedAt'],
    });
  const categories =
    request.categories === undefined ? undefined : [...new Set(request.categories.map(String))].sort();
  return {
    traceId: `rights:${request.requestId}`,
    decidedAt: new Date(Date.parse(request.receivedAt)).toISOString(),
    consent: [],
    purposes: [],
    categories: categories ?? [],
    dropped: [],
    slots: [],
    rights: {
      type: request.type,
      requestId: request.requestId,
      ...(categories === undefined ? {} : { categories }),
    },
  };
}
