import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // A private TMPDIR for the run; the run fails if a test leaves anything in it.
    globalSetup: ['test/global-setup.ts'],
    // e2e tests spawn the built binary; 2-core machines need headroom.
    testTimeout: 20_000,
    pool: 'forks',
  },
});
