import { defineCatalog } from '../src/catalog.js';

/** A catalog over data categories (purposes per variant, a sensitive-free profile read, a template). */
export const profileCatalog = () =>
  defineCatalog({
    slots: [
      {
        id: 'home.offer',
        default: { content: { voucher: null } },
        variants: [
          {
            id: 'first-order',
            when: { 'data.behavior.purchases': { $size: 0 } },
            content: { voucher: 'WELCOME10' },
          },
          {
            id: 'gold',
            when: { 'data.profile.attributes.tier': 'gold' },
            content: { voucher: { $template: 'GOLD-{{ data.profile.attributes.tier }}' } },
          },
          {
            id: 'nearby',
            purpose: 'personalization.precise-location',
            when: { 'data.location.precise.latitude': { $gt: 10 } },
            content: { voucher: 'STORE-NEARBY' },
          },
        ],
      },
    ],
  });

/**
 * Templates in every render context and every place a placeholder can sit (element text, quoted
 * attribute, the start and the rest of a URL attribute, URL templates, email HTML), with locales,
 * fallbacks, static templates and nested content, so a rendering difference shows.
 */
export const escapingCatalog = () =>
  defineCatalog({
    purpose: 'personalization.profile',
    slots: [
      {
        id: 'page.card',
        format: 'html',
        default: {
          content: {
            html: { $template: '<p lang="{{ locale ?? "en" }}">Hello</p>' },
            static: [1, 'two', null],
          },
          locales: { 'vi-VN': { html: { $template: '<p>Xin chào {{ locale }}</p>' } } },
        },
        variants: [
          {
            id: 'city',
            when: { 'context.city': { $exists: true } },
            reason: { en: 'Near you', vi: 'Gần bạn' },
            topics: ['travel'],
            content: {
              html: {
                $template:
                  '<a href="{{ context.link }}" title="{{ context.city }}">{{ context.city ?? "there" }}</a> <a href="/s?q={{ context.city }}&amp;p={{ context.page }}">x</a>',
              },
              url: { $template: '{{ context.link }}', as: 'url' },
              search: { $template: '/search/{{ context.city }}?q={{ context.page ?? "1" }}', as: 'url' },
              attr: { $template: '{{ context.city }}" onclick="x', as: 'attribute' },
              text: { $template: 'Hi {{ context.city }}\u0007!', as: 'text' },
              fixed: { $template: '<b>static</b>', as: 'html' },
              list: [
                { $template: '{{ interests.kids }}' },
                'plain',
                { deep: { $template: '{{ segments[0] }}' } },
              ],
            },
            locales: { vi: { html: { $template: '<i>{{ context.city }}</i>' } } },
          },
          {
            id: 'email',
            when: { segments: 'mail' },
            priority: -1,
            content: {
              $template:
                '<a href="{{ context.link }}">{{ context.city }}</a><img src="https://cdn.example/{{ context.page }}.png">',
              as: 'email-html',
            },
          },
          {
            id: 'tier',
            when: { 'data.profile.attributes.tier': { $in: ['gold', 'silver'] } },
            priority: -2,
            content: { $template: 'Tier {{ data.profile.attributes.tier }}', as: 'text' },
          },
          { id: 'anyone', priority: -5, content: 'for everyone' },
        ],
      },
      {
        id: 'page.split',
        default: { content: 'default' },
        experiment: { id: 'split', version: 2, bucketBy: 'subject' },
        variants: [
          { id: 'a', weight: 3, content: { $template: 'A {{ context.city }}' } },
          { id: 'b', weight: 1, content: 'B' },
          {
            id: 'late',
            schedule: { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' },
            priority: 1,
            content: 'spring',
          },
        ],
      },
    ],
  });
