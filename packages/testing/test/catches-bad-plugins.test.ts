import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A kit that never fails proves nothing. This runs the conformance suites, in a child vitest
 * process, over fixtures/*.conformance.ts — deliberately broken plugins plus the reference plugins
 * as a control — and checks that exactly the cases each flaw breaks fail, and nothing else.
 */

interface AssertionResult {
  fullName: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  failureMessages: string[];
}
interface Report {
  numTotalTests: number;
  testResults: Array<{ name: string; assertionResults: AssertionResult[] }>;
}

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const vitestCli = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

function runFixtures(outputFile: string): Promise<number> {
  // The parent run's VITEST_* variables would make the child think it is a worker of this run.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        vitestCli,
        'run',
        '--root',
        fixtures,
        '--config',
        join(fixtures, 'vitest.config.ts'),
        '--reporter=json',
        `--outputFile=${outputFile}`,
      ],
      {
        cwd: fixtures,
        env: { ...env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === null ? reject(new Error(`child vitest was killed\n${stderr}`)) : resolve(code),
    );
  });
}

const S = 'strategy conformance';
const D = 'data source conformance';
const C = 'consent provider conformance';

/** For every broken plugin, exactly the cases its flaw must fail. */
const expectedFailures: Record<string, string[]> = {
  [`undeclared-reader: ${S}`]: [
    'reads only the categories and signals it declared',
    'returns its fallback without throwing when every purpose is denied',
  ],
  [`abort-ignorer: ${S}`]: [
    'returns promptly, with nothing or an ABORTED error, when the signal is already aborted',
    'settles promptly when aborted mid-call',
  ],
  [`coin-flipper: ${S}`]: ['is deterministic: the same input gives the same output'],
  [`input-mutator: ${S}`]: ['treats its input as read-only'],
  [`bad-output: ${S}`]: [
    'returns valid output',
    'returns its fallback without throwing when every purpose is denied',
    'settles promptly when aborted mid-call',
  ],
  [`raw-thrower: ${S}`]: ['throws only TactfulErrors with known codes'],
  [`wrong-manifest: ${S}`]: [
    'has a manifest that validates against core',
    'supports the installed @tactful/core',
  ],
  [`leaky-source: ${D}`]: [
    'implements exactly the rights it declares',
    'loads only categories it provides and was asked for',
    'erases idempotently, leaving nothing for the subject and other subjects untouched',
    'rectifies: a replaced value is what it loads next',
    'returns promptly, with nothing or an ABORTED error, when the signal is already aborted',
  ],
  [`granting-gpc: ${C}`]: [
    'never grants when its manifest says canGrant: false',
    'grants nothing to unknown subjects or anonymous visitors',
    'fails closed, promptly, when the signal is already aborted',
  ],
  [`sluggish-source: ${D}`]: [
    'returns promptly, with nothing or an ABORTED error, when the signal is already aborted',
    'settles promptly when aborted mid-load',
  ],
  [`sluggish-consent: ${C}`]: ['fails closed, promptly, when the signal is already aborted'],
  [`reference-strategy: ${S}`]: [],
  [`reference-source: ${D}`]: [],
  [`reference-consent: ${C}`]: [],
};

describe('the conformance suites catch broken plugins', () => {
  let outDir: string;
  let exitCode: number;
  let results: AssertionResult[];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'tactful-conformance-'));
    const outputFile = join(outDir, 'report.json');
    exitCode = await runFixtures(outputFile);
    const report = JSON.parse(readFileSync(outputFile, 'utf8')) as Report;
    results = report.testResults.flatMap((file) => file.assertionResults);
  }, 180_000);

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('the child run fails (broken plugins are in it)', () => {
    expect(exitCode).toBe(1);
  });

  it('runs every suite of every fixture', () => {
    for (const suite of Object.keys(expectedFailures)) {
      expect(results.filter((r) => r.fullName.startsWith(`${suite} `)).length, suite).toBeGreaterThanOrEqual(
        8,
      );
    }
  });

  for (const [suite, failing] of Object.entries(expectedFailures)) {
    it(
      failing.length
        ? `${suite.split(':')[0]}: fails exactly ${failing.map((f) => `"${f}"`).join(', ')}`
        : `${suite.split(':')[0]}: passes every case`,
      () => {
        const cases = results.filter((r) => r.fullName.startsWith(`${suite} `));
        const failed = cases
          .filter((r) => r.status === 'failed')
          .map((r) => r.fullName.slice(suite.length + 1));
        expect(failed.sort()).toEqual([...failing].sort());
        expect(cases.every((r) => r.status === 'passed' || r.status === 'failed')).toBe(true);
      },
    );
  }

  it('explains a failure in words a plugin author can act on', () => {
    const undeclared = results.find(
      (r) => r.fullName === `undeclared-reader: ${S} reads only the categories and signals it declared`,
    );
    expect(undeclared?.failureMessages.join('\n')).toMatch(
      /read undeclared category "health"; declare them in manifest\.reads/,
    );
    const output = results.find((r) => r.fullName === `bad-output: ${S} returns valid output`);
    expect(output?.failureMessages.join('\n')).toMatch(/"not\.requested" was not requested/);
    expect(output?.failureMessages.join('\n')).toMatch(
      /"secret\.signal" is not declared in manifest\.signals\.publishes/,
    );
  });
});
