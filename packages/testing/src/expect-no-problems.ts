import { expect } from 'vitest';

/**
 * Asserts that a list of contract problems is empty, with the problems themselves as the failure
 * message (so a vendor reads "output.proposals[0].slot: … was not requested", not "expected [Array(1)]").
 */
export function expectNoProblems(problems: ReadonlyArray<string>, context?: string): void {
  const message = problems.length
    ? `${problems.join('\n')}${context ? `\n(input: ${context})` : ''}`
    : undefined;
  expect(problems, message).toEqual([]);
}
