import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time even on a 2-core machine (vitest's default is one fewer than the
    // cores: one file at a time there). The suite is CPU-bound and its tests are bounded by work,
    // not by wall-clock races (the harness tests end by time limits and end their workers), so it
    // passes on a busy machine: this halves the suite's time (2026-12-04: 475 s against 875 s of
    // file time, on 2 cores with two other sessions' builds beside it).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
