import type { CatalogSlot as Slot, CatalogVariant as Variant, RenderableContent } from './catalog.js';

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
  readonly variant: Variant<RenderableContent>;
  /** How the variant was chosen. */
  readonly by: 'condition' | 'priority' | 'split' | 'control';
  /** The key kind a split used. */
  readonly key?: 'session' | 'subject';
  /** The bucket in [0, 1) a split used. */
  readonly bucket?: number;
}

/** True when the variant may apply now: in schedule, purpose granted, condition true. */
export function applies(variant: Variant<RenderableContent>, context: SelectionContext): boolean {
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
export function selectVariant(
  slot: Slot<RenderableContent>,
  context: SelectionContext,
): Selection | undefined {
  const best: Variant<RenderableContent>[] = [];
  let bestPriority = Number.NEGATIVE_INFINITY;
  const variants = slot.variants;
  for (let i = 0; i < variants.length; i++) {
    const variant = variants[i]!;
    if (variant.priority < bestPriority) continue;
    if (!applies(variant, context)) continue;
    if (variant.priority > bestPriority) {
      bestPriority = variant.priority;
      best.length = 0;
    }
    best.push(variant);
  }
  return chooseAmong(slot, best, best.length, context);
}

/**
 * The choice among the first `count` of `best`, the applicable variants of the highest priority
 * (catalog order), as documented on {@link selectVariant}.
 */
function chooseAmong(
  slot: Slot<RenderableContent>,
  best: readonly Variant<RenderableContent>[],
  count: number,
  context: SelectionContext,
): Selection | undefined {
  const first = best[0];
  if (first === undefined || count === 0) return undefined;
  const { experiment } = slot;
  if (count === 1 || experiment === undefined)
    return { variant: first, by: first.condition === undefined ? 'priority' : 'condition' };
  let keyKind: 'session' | 'subject' | undefined;
  if (experiment.bucketBy === 'subject' && context.keys.subject !== undefined) keyKind = 'subject';
  else if (context.keys.session !== undefined) keyKind = 'session';
  if (keyKind === undefined) return { variant: first, by: 'control' };
  const bucket = bucketOf(experiment.id, experiment.version, context.keys[keyKind]!);
  const index = pickByWeight(
    best.slice(0, count).map((v) => v.weight ?? 1),
    bucket,
  );
  return { variant: (index < 0 ? undefined : best[index]) ?? first, by: 'split', key: keyKind, bucket };
}

/**
 * The other variants that apply now, best first (priority, then catalog order), leaving out the
 * chosen one: what the slot falls back to when a declared "not interested" removes the chosen
 * variant (P4). At most `max`.
 */
export function alternativesTo(
  slot: Slot<RenderableContent>,
  context: SelectionContext,
  chosen: Variant<RenderableContent>,
  max: number,
): Variant<RenderableContent>[] {
  const applicable = slot.variants.filter((v) => v !== chosen && applies(v, context));
  // A stable sort: equal priorities keep their catalog order.
  return applicable.sort((a, b) => b.priority - a.priority).slice(0, max);
}

/**
 * A slot's variants in the order selection judges them: highest priority first, catalog order
 * within a priority (a stable sort). Computed once per slot, for {@link selectInOrder}.
 */
export function selectionOrder(slot: Slot<RenderableContent>): readonly Variant<RenderableContent>[] {
  const order = slot.variants.slice();
  order.sort((a, b) => b.priority - a.priority);
  return Object.freeze(order);
}

/**
 * {@link selectVariant} and {@link alternativesTo} in one walk over the slot's
 * {@link selectionOrder}: it stops as soon as the choice and `max` alternatives are known, so the
 * variants after them are never judged. The alternatives are pushed onto `alternatives`, best first.
 * Same answers as calling both.
 */
export function selectInOrder(
  slot: Slot<RenderableContent>,
  order: readonly Variant<RenderableContent>[],
  context: SelectionContext,
  max: number,
  alternatives: Variant<RenderableContent>[],
): Selection | undefined {
  // Only a split needs every applicable variant of the top priority; otherwise the first decides.
  const split = slot.experiment !== undefined;
  const found: Variant<RenderableContent>[] = [];
  let top = 0;
  let topKnown = false;
  for (let i = 0; i < order.length; i++) {
    const variant = order[i]!;
    if (!topKnown && top > 0 && variant.priority < found[0]!.priority) topKnown = true;
    if (topKnown && found.length > max) break;
    if (!applies(variant, context)) continue;
    found.push(variant);
    if (!topKnown) {
      top++;
      if (!split) topKnown = true;
    }
  }
  const selection = chooseAmong(slot, found, top, context);
  if (selection === undefined) return undefined;
  const chosen = selection.variant;
  for (let i = 0; i < found.length && alternatives.length < max; i++)
    if (found[i] !== chosen) alternatives.push(found[i]!);
  return selection;
}
