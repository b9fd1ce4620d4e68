import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // ensureBuilt() in a beforeAll may compile and bundle when src/ is newer than dist/ (outside npm test).
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
