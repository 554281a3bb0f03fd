import { TactfulError } from '@tactful/core';
import type { Decider, FlagSlots } from './shared.js';

/** Checks a provider's options; bad ones throw `INVALID_OPTIONS` naming the field. */
export function checkOptions(
  options: { decider: Decider; flags?: FlagSlots; timeoutMs?: number },
  who: string,
): void {
  if (typeof options?.decider?.decide !== 'function') {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${who}: give a decider with a decide(request) method (the engine, or a client of the server)`,
      {
        path: ['decider'],
      },
    );
  }
  if (options.timeoutMs !== undefined && !(Number.isInteger(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${who}: timeoutMs must be a whole number of milliseconds above 0`,
      {
        path: ['timeoutMs'],
      },
    );
  }
  if (options.flags !== undefined) {
    for (const [flag, slot] of Object.entries(options.flags)) {
      if (typeof slot !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(slot)) {
        throw new TactfulError(
          'INVALID_OPTIONS',
          `${who}: flags["${flag}"] must be a slot id such as "home.hero"`,
          {
            path: ['flags', flag],
          },
        );
      }
    }
  }
}
