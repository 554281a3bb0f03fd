import { canonicalJson, isSlotPermitted } from '@tactful/core';
import type { ConsentSnapshot, PageRequest, SlotDecision } from './types.js';

/** The granted purposes of a snapshot, sorted and without repeats (an absent snapshot grants nothing). */
export function grantedPurposes(consent: ConsentSnapshot | undefined): string[] {
  const granted = consent?.granted;
  if (!Array.isArray(granted)) return [];
  return [...new Set(granted.filter((p): p is string => typeof p === 'string'))].sort();
}

/**
 * The key a decision is kept under: the consent snapshot and the page's request (subject, context,
 * session), in canonical form. Two renders share decisions only when both are the same, so a
 * consent change or another person never sees decisions made for the previous one.
 */
export function requestKey(consent: ConsentSnapshot | undefined, request: PageRequest | undefined): string {
  return canonicalJson({ granted: grantedPurposes(consent), request: request ?? {} });
}

/**
 * True when a slot's decision may be shown to a person whose consent is `consent`: the default
 * always may; personalized content only when every purpose its explanation names is granted.
 * Personalized content that names no purpose at all is not shown (it cannot prove it is permitted).
 */
export function isPermitted(slot: SlotDecision, consent: ConsentSnapshot | undefined): boolean {
  return isSlotPermitted(slot, grantedPurposes(consent));
}
