import { inspect, isDeepStrictEqual } from 'node:util';

/** What a `// → <value>` comment of a docs sample states: the statement's value deeply equals it. */
export function docCheck(actual: unknown, expected: unknown, where: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(
      `${where}: the text says ${inspect(expected)}, the code gives ${inspect(actual, { depth: 6 })}`,
    );
  }
}

/** What a `// → throws CODE` comment of a docs sample states: the statement throws a `TactfulError` with that code. */
export async function docThrows(run: () => Promise<unknown>, code: string, where: string): Promise<void> {
  try {
    await run();
  } catch (error) {
    const actual = (error as { code?: unknown }).code;
    if (code && actual !== code) {
      throw new Error(
        `${where}: the text says it throws ${code}, it threw ${String(actual)}: ${String(error)}`,
      );
    }
    return;
  }
  throw new Error(`${where}: the text says it throws ${code || 'an error'}, it returned`);
}
