import { isTactfulError } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import {
  abortedSignal,
  callContext,
  consentQuery,
  DEFAULT_NOW,
  dataSourceQuery,
  recordingStrategyInput,
  strategyInput,
} from './builders.js';

describe('input builders', () => {
  it('strategyInput fills defaults and freezes everything', () => {
    const input = strategyInput({ data: { 'context.time': { now: '2026-01-15T17:30:00+07:00' } } });
    expect(input.slots).toEqual([{ id: 'home.hero' }]);
    expect(input.granted).toEqual([]);
    expect(input.now).toBe(DEFAULT_NOW);
    expect(Object.isFrozen(input)).toBe(true);
    expect(Object.isFrozen(input.data['context.time'])).toBe(true);
  });

  it('strategyInput accepts ISO strings and Dates for now, and rejects invalid times and slot ids', () => {
    expect(strategyInput({ now: '2026-02-01T00:00:00Z' }).now).toBe(Date.UTC(2026, 1, 1));
    expect(strategyInput({ now: new Date(5) }).now).toBe(5);
    expect(() => strategyInput({ now: 'not a date' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => strategyInput({ slots: ['has space'] })).toThrow(/slots\[0\]\.id/);
  });

  it('recordingStrategyInput records data and signal reads and refuses writes to the input itself', () => {
    const rec = recordingStrategyInput(
      { data: { 'profile.preferences': { interests: [] } }, signals: { 'segments.memberships': ['vip'] } },
      { categories: ['profile.preferences'], signals: [] },
    );
    void rec.input.data['health'];
    void rec.input.signals['segments.memberships'];
    expect(() => {
      (rec.input as { now: number }).now = 1;
    }).toThrow(TypeError);
    expect(rec.data.undeclared).toEqual(['health']);
    expect(rec.signals.undeclared).toEqual(['segments.memberships']);
    expect(rec.input.signals).toEqual({});
    expect(rec.allMutations()).toEqual([{ key: 'input.now', operation: 'set' }]);
  });

  it('consentQuery validates with core schemas and names the bad field', () => {
    const q = consentQuery({
      subject: 'u-1',
      purposes: ['measurement'],
      context: { gpc: true },
      session: {},
    });
    expect(q).toMatchObject({ subject: { id: 'u-1' }, purposes: ['measurement'], context: { gpc: true } });
    expect(q.session?.id).toHaveLength(24);
    expect(() => consentQuery({ subject: 'not an id!' })).toThrow(/subject/);
    expect(() => consentQuery({ context: { geo: { country: 'Vietnam' } } })).toThrow(/context\.geo\.country/);
  });

  it('dataSourceQuery builds a frozen query', () => {
    const q = dataSourceQuery({ subject: { id: 'u-2' }, categories: ['behavior.purchases'] });
    expect(q).toEqual({
      subject: { id: 'u-2' },
      categories: ['behavior.purchases'],
      context: {},
      now: DEFAULT_NOW,
    });
    expect(Object.isFrozen(q.categories)).toBe(true);
  });

  it('abortedSignal carries an ABORTED TactfulError, so throwIfAborted rejects with the contract error', () => {
    const signal = abortedSignal();
    expect(signal.aborted).toBe(true);
    let thrown: unknown;
    try {
      callContext({ signal }).signal.throwIfAborted();
    } catch (error) {
      thrown = error;
    }
    expect(isTactfulError(thrown) && thrown.code).toBe('ABORTED');
  });
});
