import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// `source` makes the `#lib` imports of package.json resolve to the TypeScript sources in tests.
const conditions = ['source', ...defaultServerConditions];

const shared = {
  resolve: { conditions },
  ssr: { resolve: { conditions } },
};

export default defineConfig({
  ...shared,
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['{apps,libs,device-simulator,bench,test}/**/*.test.ts'],
          exclude: ['**/*.medium.test.ts', '**/*.service.test.ts', '**/*.e2e.test.ts', '**/node_modules/**', 'dist/**'],
        },
      },
      {
        ...shared,
        test: {
          name: 'medium',
          include: ['{apps,libs,device-simulator,test}/**/*.medium.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          // The medium suites again on the real PostgreSQL / Mosquitto, plus interop tests with outside clients.
          name: 'services',
          include: ['{apps,libs,device-simulator,test}/**/*.{medium,service}.test.ts'],
          // Suites that measure the embedded database itself (statement counts of PGlite).
          exclude: ['**/*.pglite.medium.test.ts', '**/node_modules/**', 'dist/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          // Against the built gateway process (`npm run build` first).
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
