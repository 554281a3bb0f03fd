import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'packages/orchestrator/vitest.compiled.config.ts', 'examples/*', 'tooling/*'],
    // In CI a JSON report is written too, so the run's closing line can be printed from it.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default'],
  },
});
