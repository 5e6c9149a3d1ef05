import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Three groups: code tests next to each package (real mediasoup workers and a real PostgreSQL
// where the behaviour lives there), cross-package integration tests, and end-to-end tests in
// Debian's Chromium. One PostgreSQL server is started for the whole run; each test file gets
// its own database in it.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: [
            'media-server/src/**/*.test.ts',
            'signaling/src/**/*.test.ts',
            'db/src/**/*.test.ts',
            'server/src/**/*.test.ts',
            'tests/integration/**/*.test.ts',
          ],
          globalSetup: ['tests/support/global-postgres.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The Svelte plugin compiles the runes in the app's `*.svelte.ts` state classes.
        plugins: [svelte()],
        test: {
          name: 'web',
          include: ['web/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/global-postgres.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // A browser on a busy two-core machine may take seconds to lay out, focus or paint
          // what a test waits for: polls without a bound of their own wait up to 10 s (the
          // default is 1 s). Bounds that are requirements are written at the poll itself.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
