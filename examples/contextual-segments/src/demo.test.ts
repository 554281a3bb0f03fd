import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM example without type declarations
import { runDemo } from './demo.js';

interface Slot {
  slot: string;
  content: unknown;
  strategy: string;
  isDefault: boolean;
  explanation: { summary: { en: string; vi?: string }; signals: string[]; categories: string[] };
}

describe('example: contextual and segment personalization', () => {
  it('decides the same page differently for Hanoi and Berlin, and for a loyal and a new customer', async () => {
    const lines: string[] = [];
    const { results, weatherRequests } = await runDemo({ log: (l: string) => lines.push(l) });
    const slot = (visitor: string, id: string): Slot =>
      results.find((r: { visitor: string }) => r.visitor === visitor).decision.slots.find((s: Slot) => s.slot === id);

    const hanoiHero = slot('visitor-hanoi', 'home.hero');
    expect(hanoiHero).toMatchObject({ isDefault: false, strategy: '@tactful/contextual', content: { title: 'Rain jackets and umbrellas' } });
    expect(hanoiHero.explanation.summary.vi).toBeTruthy();
    expect(hanoiHero.explanation.signals).toContain('weather.raining=true');
    expect(hanoiHero.explanation.categories).toContain('context.weather');

    const berlinHero = slot('visitor-berlin', 'home.hero');
    expect(berlinHero).toMatchObject({ isDefault: false, content: { title: 'Sunny morning: the spring lookbook' } });
    expect(berlinHero.explanation.signals).toEqual(['daypart=morning', 'weather.condition=clear', 'device.class=desktop']);

    expect(slot('visitor-hanoi', 'home.offer')).toMatchObject({
      strategy: '@tactful/segments',
      content: { title: 'Thank you: 15% off your next order' },
    });
    expect(slot('visitor-hanoi', 'home.offer').explanation.signals).toContain('segment:loyal-customer');
    expect(slot('visitor-berlin', 'home.offer')).toMatchObject({
      strategy: '@tactful/segments',
      content: { title: 'Welcome back: free delivery on your second order' },
    });
    expect(slot('visitor-berlin', 'home.offer').explanation.categories).toEqual(['behavior.purchases']);

    // Only rounded city centroids went to the weather API.
    expect(weatherRequests).toEqual([
      '/v1/forecast?latitude=21&longitude=105.9&current=temperature_2m,weather_code,precipitation',
      '/v1/forecast?latitude=52.5&longitude=13.4&current=temperature_2m,weather_code,precipitation',
    ]);
    expect(lines.length).toBeGreaterThanOrEqual(10);
  });
});
