import { describe, expect, it } from 'vitest';
import { SafeEvents } from '../src/events.js';

describe('SafeEvents listener list', () => {
  it('calls listeners in the order added, once per registration; off removes one registration', () => {
    const events = new SafeEvents(() => {});
    const seen: string[] = [];
    const a = () => seen.push('a');
    const b = () => seen.push('b');
    events.on('decision', a);
    events.on('decision', b);
    events.on('decision', a);
    events.emit('decision', {});
    expect(seen).toEqual(['a', 'b', 'a']);
    events.off('decision', a);
    seen.length = 0;
    events.emit('decision', {});
    expect(seen).toEqual(['a', 'b']);
    events.off('decision', a);
    events.off('decision', a);
    events.off('decision', () => {});
    seen.length = 0;
    events.emit('decision', {});
    expect(seen).toEqual(['b']);
    expect(events.has('decision')).toBe(true);
    events.off('decision', b);
    expect(events.has('decision')).toBe(false);
    expect(events.has('merge:failed')).toBe(false);
  });

  it('an emit in progress is not changed by listeners added or removed during it', () => {
    const events = new SafeEvents(() => {});
    const seen: string[] = [];
    const late = () => seen.push('late');
    const second = () => seen.push('second');
    events.on('decision', () => {
      seen.push('first');
      events.off('decision', second);
      events.on('decision', late);
    });
    events.on('decision', second);
    events.emit('decision', {});
    expect(seen).toEqual(['first', 'second']);
    seen.length = 0;
    events.emit('decision', {});
    expect(seen).toEqual(['first', 'late']);
  });

  it('passes the payload, keeps events apart, and reports a throwing listener without stopping the rest', () => {
    const errors: string[] = [];
    const events = new SafeEvents((_, where) => errors.push(where));
    const got: unknown[] = [];
    events.on('source:failed', () => {
      throw new Error('bug');
    });
    events.on('source:failed', (p: never) => got.push(p));
    events.on('decision', () => got.push('wrong event'));
    events.emit('source:failed', { name: 'x' });
    expect(got).toEqual([{ name: 'x' }]);
    expect(errors).toEqual(['source:failed']);
    events.emit('nobody-listens', 1);
  });
});
