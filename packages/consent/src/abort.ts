import { TactfulError } from '@tactful/core';

/** Throws `ABORTED` when the decision's deadline passed or it was cancelled (fail closed, P8). */
export function throwIfAborted(signal: AbortSignal | undefined, plugin: string): void {
  if (signal?.aborted) {
    throw new TactfulError(
      'ABORTED',
      `${plugin}: the call was aborted before consent was resolved; nothing is granted`,
      {
        plugin,
        cause: signal.reason,
      },
    );
  }
}
