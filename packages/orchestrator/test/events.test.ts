import { describe, expect, it, vi } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import { consentProvider, request, strategy } from './fixtures.js';

describe('events and hooks', () => {
  it('emits decision, and a listener that throws or rejects never breaks the decision', async () => {
    const onListenerError = vi.fn();
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      strategies: [strategy('a')],
      onListenerError,
    });
    const seen: string[] = [];
    tactful
      .on('decision', () => {
        throw new Error('listener bug');
      })
      .on('decision', async () => {
        throw new Error('async listener bug');
      })
      .on('decision', (d) => seen.push(d.traceId));
    const decision = await tactful.decide(request());
    await new Promise((r) => setTimeout(r, 0));
    expect(decision.slots[0]?.strategy).toBe('a');
    expect(seen).toEqual(['trace-0001']);
    expect(onListenerError).toHaveBeenCalledTimes(2);
    expect(onListenerError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'listener bug' }),
      'decision',
    );
  });

  it('off removes a listener', async () => {
    const tactful = createOrchestrator({ consent: [consentProvider('opt-in')], strategies: [strategy('a')] });
    const listener = vi.fn();
    tactful.on('decision', listener);
    await tactful.decide(request());
    tactful.off('decision', listener);
    await tactful.decide(request());
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('runs beforeDecision and afterDecision hooks; a throwing hook never breaks the decision', async () => {
    const onListenerError = vi.fn();
    const calls: string[] = [];
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      strategies: [strategy('a')],
      onListenerError,
      hooks: [
        {
          beforeDecision: ({ request: r }) => {
            calls.push(`before:${r.slots[0]?.id}`);
            throw new Error('hook bug');
          },
          afterDecision: ({ decision }) => {
            calls.push(`after:${decision.slots[0]?.strategy}`);
          },
        },
      ],
    });
    tactful.addHooks({ afterDecision: () => Promise.reject(new Error('late')) });
    const decision = await tactful.decide(request());
    await new Promise((r) => setTimeout(r, 0));
    expect(decision.slots[0]?.strategy).toBe('a');
    expect(calls).toEqual(['before:home.hero', 'after:a']);
    expect(onListenerError.mock.calls.map((c) => c[1])).toEqual(['beforeDecision', 'afterDecision']);
  });

  it('emits strategy:dropped for skipped strategies too', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in', { granted: [] })],
      strategies: [strategy('a')],
    });
    const events: unknown[] = [];
    tactful.on('strategy:dropped', (e) => events.push(e));
    await tactful.decide(request());
    expect(events).toEqual([
      expect.objectContaining({
        plugin: 'a',
        outcome: 'skipped',
        code: 'PURPOSE_NOT_GRANTED',
        traceId: 'trace-0001',
      }),
    ]);
  });
});
