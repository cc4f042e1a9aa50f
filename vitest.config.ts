import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: a PGlite per file is memory- and CPU-heavy, so files run two at a time.
    maxWorkers: 2,
    pool: 'forks',
    // In CI a JSON report beside the usual output lets .ci/run print one plain closing line.
    reporters: process.env.VITEST_JSON_REPORT
      ? ['default', ['json', { outputFile: process.env.VITEST_JSON_REPORT }]]
      : ['default'],
  },
});
