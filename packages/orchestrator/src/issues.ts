import { TactfulError, type TactfulErrorCode, type TactfulIssue, formatPath } from '@tactful/core';

/** One configuration problem found at registration. */
export interface RegistrationIssue extends TactfulIssue {
  /** The error code this problem would raise on its own. */
  readonly code: TactfulErrorCode;
  /** The plugin it is about, when there is one. */
  readonly plugin?: string;
}

/** Collects every configuration problem so one error can report them all. */
export class IssueCollector {
  readonly issues: RegistrationIssue[] = [];

  add(code: TactfulErrorCode, path: ReadonlyArray<string | number>, message: string, plugin?: string): void {
    this.issues.push({ code, path, message, ...(plugin === undefined ? {} : { plugin }) });
  }

  get size(): number {
    return this.issues.length;
  }

  /**
   * Throws one {@link TactfulError} listing every problem. Its code is the problems' code when they
   * share one, else `INVALID_CONFIG`.
   */
  throwIfAny(): void {
    const [first] = this.issues;
    if (!first) return;
    const code = this.issues.every((i) => i.code === first.code) ? first.code : 'INVALID_CONFIG';
    const plugins = new Set(this.issues.map((i) => i.plugin));
    const plugin = plugins.size === 1 ? first.plugin : undefined;
    const lines = this.issues.map((i) => `  - [${i.code}] ${formatPath(i.path)}: ${i.message}`);
    const count = this.issues.length === 1 ? 'a problem' : `${this.issues.length} problems`;
    throw new TactfulError(
      code,
      `orchestrator: the configuration has ${count}; fix them all:\n${lines.join('\n')}`,
      {
        issues: this.issues,
        path: first.path,
        ...(plugin === undefined ? {} : { plugin }),
      },
    );
  }
}
