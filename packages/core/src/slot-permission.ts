import type { SlotDecision } from './context-schema.js';

/** Purposes that need no consent: processing the service cannot work without. */
const ALWAYS_GRANTED: ReadonlySet<string> = new Set(['necessary']);

/**
 * True when a slot's decision may be shown to a person who has granted `granted` (as the page or
 * the caller knows it now): the default content always may; personalized content only when every
 * purpose its explanation names is granted. Personalized content that names no purpose, or a value
 * that is not a slot decision, is not shown: it cannot prove it is permitted. Adapters (React,
 * OpenFeature) call it so a decision kept from before a withdrawal is never shown after it.
 *
 * @example
 * ```ts
 * isSlotPermitted(decision.slots[0], ['personalization.contextual']);
 * ```
 */
export function isSlotPermitted(slot: SlotDecision, granted: readonly string[] | undefined): boolean {
  if (typeof slot !== 'object' || slot === null) return false;
  if (slot.isDefault === true) return true;
  const purposes: unknown = slot.explanation?.purposes;
  if (!Array.isArray(purposes) || purposes.length === 0) return false;
  const allowed = new Set(Array.isArray(granted) ? granted : []);
  return purposes.every((p) => ALWAYS_GRANTED.has(p) || allowed.has(p));
}
