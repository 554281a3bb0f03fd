import { type PluginCallContext, TactfulError, isCallAborted } from '@tactful/core';

/** Throws `ABORTED` when the decision's deadline passed or it was cancelled (fail closed, P8). */
export function throwIfAborted(ctx: PluginCallContext, plugin: string): void {
  // The flag first: reading `signal` would create one for nothing on the usual, unaborted path.
  if (isCallAborted(ctx)) {
    throw new TactfulError(
      'ABORTED',
      `${plugin}: the call was aborted before consent was resolved; nothing is granted`,
      {
        plugin,
        cause: ctx.signal.reason,
      },
    );
  }
}
