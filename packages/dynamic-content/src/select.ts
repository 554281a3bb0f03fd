import type { CatalogSlot, CatalogVariant } from './catalog.js';
import { bucketOf, pickByWeight } from './hash.js';

/** What selection knows about the decision besides the facts. */
export interface SelectionContext {
  readonly facts: Record<string, unknown>;
  /** Granted purposes (a `Set`, or anything that answers `has`). */
  readonly granted: { has(purpose: string): boolean };
  /** Decision time, epoch milliseconds. */
  readonly now: number;
  /** The stable keys available for splits (present only when permitted). */
  readonly keys: { readonly session?: string; readonly subject?: string };
}

/** The outcome of selection for one slot. */
export interface Selection {
  readonly variant: CatalogVariant;
  /** How the variant was chosen. */
  readonly by: 'condition' | 'priority' | 'split' | 'control';
  /** The key kind a split used. */
  readonly key?: 'session' | 'subject';
  /** The bucket in [0, 1) a split used. */
  readonly bucket?: number;
}

/** True when the variant may apply now: in schedule, purpose granted, condition true. */
export function applies(variant: CatalogVariant, context: SelectionContext): boolean {
  if (variant.start !== undefined && context.now < variant.start) return false;
  if (variant.end !== undefined && context.now >= variant.end) return false;
  if (variant.purpose !== undefined && !context.granted.has(variant.purpose)) return false;
  return variant.condition === undefined || variant.condition(context.facts);
}

/**
 * Chooses a slot's variant, deterministically: among the variants that apply, those of the highest
 * priority; when several remain and the slot splits traffic, by weight from the seeded hash of the
 * stable key (`experiment:version:key`); without a usable key, the first of them (the control);
 * otherwise the first in catalog order. `undefined` when none applies.
 */
export function selectVariant(slot: CatalogSlot, context: SelectionContext): Selection | undefined {
  let best: CatalogVariant[] = [];
  let bestPriority = Number.NEGATIVE_INFINITY;
  for (const variant of slot.variants) {
    if (variant.priority < bestPriority) continue;
    if (!applies(variant, context)) continue;
    if (variant.priority > bestPriority) {
      bestPriority = variant.priority;
      best = [variant];
    } else best.push(variant);
  }
  return chooseAmong(slot, best, context);
}

/** The choice among the applicable variants of the highest priority (catalog order), as documented on {@link selectVariant}. */
function chooseAmong(
  slot: CatalogSlot,
  best: readonly CatalogVariant[],
  context: SelectionContext,
): Selection | undefined {
  const first = best[0];
  if (first === undefined) return undefined;
  const by = first.condition === undefined ? 'priority' : 'condition';
  if (best.length === 1 || slot.experiment === undefined) return { variant: first, by };
  const { experiment } = slot;
  let keyKind: 'session' | 'subject' | undefined;
  if (experiment.bucketBy === 'subject' && context.keys.subject !== undefined) keyKind = 'subject';
  else if (context.keys.session !== undefined) keyKind = 'session';
  if (keyKind === undefined) return { variant: first, by: 'control' };
  const bucket = bucketOf(experiment.id, experiment.version, context.keys[keyKind]!);
  const index = pickByWeight(
    best.map((v) => v.weight ?? 1),
    bucket,
  );
  return { variant: best[index] ?? first, by: 'split', key: keyKind, bucket };
}

/**
 * The other variants that apply now, best first (priority, then catalog order), leaving out the
 * chosen one: what the slot falls back to when a declared "not interested" removes the chosen
 * variant (P4). At most `max`.
 */
export function alternativesTo(
  slot: CatalogSlot,
  context: SelectionContext,
  chosen: CatalogVariant,
  max: number,
): CatalogVariant[] {
  const applicable = slot.variants.filter((v) => v !== chosen && applies(v, context));
  // A stable sort: equal priorities keep their catalog order.
  return applicable.sort((a, b) => b.priority - a.priority).slice(0, max);
}

/**
 * {@link selectVariant} and {@link alternativesTo} in one pass: every variant's schedule, purpose
 * and condition are judged once. Same answers as calling both.
 */
export function selectWithAlternatives(
  slot: CatalogSlot,
  context: SelectionContext,
  max: number,
): { selection: Selection | undefined; alternatives: CatalogVariant[] } {
  const applicable: CatalogVariant[] = [];
  let bestPriority = Number.NEGATIVE_INFINITY;
  for (const variant of slot.variants) {
    if (!applies(variant, context)) continue;
    applicable.push(variant);
    if (variant.priority > bestPriority) bestPriority = variant.priority;
  }
  const best = applicable.filter((v) => v.priority === bestPriority);
  const selection = chooseAmong(slot, best, context);
  if (selection === undefined) return { selection, alternatives: [] };
  const chosen = selection.variant;
  const alternatives = applicable.filter((v) => v !== chosen);
  // A stable sort: equal priorities keep their catalog order.
  alternatives.sort((a, b) => b.priority - a.priority);
  if (alternatives.length > max) alternatives.length = max;
  return { selection, alternatives };
}
