import type { LocalizedText } from '@tactful/core';
import type { SegmentDefinitionInput } from './definition.js';

/** What every built-in accepts besides its own parameters. */
export interface BuiltinOptions {
  /** The segment name (each built-in has a default). */
  name?: string;
  description?: LocalizedText;
  purpose?: string;
  priority?: number;
  proposals?: SegmentDefinitionInput['proposals'];
}

const make = (
  defaults: { name: string; description: LocalizedText; topics?: string[] },
  condition: Record<string, unknown>,
  options: BuiltinOptions,
): SegmentDefinitionInput => ({
  name: options.name ?? defaults.name,
  description: options.description ?? defaults.description,
  condition,
  ...(defaults.topics ? { topics: defaults.topics } : {}),
  ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
  ...(options.priority === undefined ? {} : { priority: options.priority }),
  ...(options.proposals === undefined ? {} : { proposals: options.proposals }),
});

/**
 * Built-in segments: configure them rather than write conditions. Each returns a plain segment
 * definition (JSON) over the agreed category shapes and the per-request `stats.*` facts.
 *
 * @example
 * ```ts
 * segments({ segments: [builtins.loyalCustomer({ purchases: 3, withinDays: 365 }), builtins.interestedIn('kids')] });
 * ```
 */
export const builtins = Object.freeze({
  /** No earlier visit and no purchase on record. */
  newVisitor(options: BuiltinOptions = {}): SegmentDefinitionInput {
    return make(
      {
        name: 'new-visitor',
        description: { en: 'Visitors here for the first time', vi: 'Khách truy cập lần đầu' },
      },
      { 'stats.pageviews.previousVisits': 0, 'stats.purchases.count': 0 },
      options,
    );
  },

  /** At least `visits` earlier visits (default 1). */
  returningVisitor(params: { visits?: number } = {}, options: BuiltinOptions = {}): SegmentDefinitionInput {
    const visits = params.visits ?? 1;
    return make(
      {
        name: 'returning-visitor',
        description: { en: 'Visitors who have been here before', vi: 'Khách đã từng ghé thăm' },
      },
      { 'stats.pageviews.previousVisits': { $gte: visits } },
      options,
    );
  },

  /** A first purchase within the last `withinDays` days (default 30). */
  newCustomer(params: { withinDays?: number } = {}, options: BuiltinOptions = {}): SegmentDefinitionInput {
    const days = params.withinDays ?? 30;
    return make(
      {
        name: 'new-customer',
        description: {
          en: `Customers whose first purchase was in the last ${days} days`,
          vi: `Khách hàng mới mua lần đầu trong ${days} ngày qua`,
        },
      },
      { 'stats.purchases.count': { $gte: 1 }, 'stats.purchases.daysSinceFirst': { $lte: days } },
      options,
    );
  },

  /** At least `purchases` purchases within `withinDays` days (defaults 3 and 365). */
  loyalCustomer(
    params: { purchases?: number; withinDays?: number } = {},
    options: BuiltinOptions = {},
  ): SegmentDefinitionInput {
    const purchases = params.purchases ?? 3;
    const days = params.withinDays ?? 365;
    return make(
      {
        name: 'loyal-customer',
        description: {
          en: `Loyal customers: ${purchases} or more purchases in the last ${days} days`,
          vi: `Khách hàng trung thành: từ ${purchases} lần mua trở lên trong ${days} ngày qua`,
        },
      },
      { [`stats.purchases.withinDays.d${days}`]: { $gte: purchases } },
      options,
    );
  },

  /**
   * Interested in `topic`: declared in the preference center, or observed (at least
   * `observedViews` views of pages or products about it, default 3). A declared "not interested"
   * in the topic always keeps the person out.
   */
  interestedIn(
    topic: string,
    params: { observedViews?: number } = {},
    options: BuiltinOptions = {},
  ): SegmentDefinitionInput {
    const views = params.observedViews ?? 3;
    return make(
      {
        name: `interested-in-${topic}`,
        description: { en: `People interested in ${topic}`, vi: `Người quan tâm đến ${topic}` },
        topics: [topic],
      },
      {
        $or: [
          { 'profile.preferences.interests': topic },
          { [`stats.topics.views.${topic}`]: { $gte: views } },
        ],
      },
      options,
    );
  },

  /** Items left in the cart for at least `afterHours` hours (default 24). */
  cartAbandoner(params: { afterHours?: number } = {}, options: BuiltinOptions = {}): SegmentDefinitionInput {
    const hours = params.afterHours ?? 24;
    return make(
      {
        name: 'cart-abandoner',
        description: {
          en: `Shoppers who left items in their cart for over ${hours} hours`,
          vi: `Khách để quên sản phẩm trong giỏ hàng hơn ${hours} giờ`,
        },
      },
      { 'stats.cart.items': { $gte: 1 }, 'stats.cart.idleHours': { $gte: hours } },
      options,
    );
  },
});
