import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['bot/test/**/*.test.ts', 'sim/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
