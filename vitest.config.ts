import { defineConfig } from 'vitest/config';

// Tests run straight from each package's src/ through the `@mnist/source` export condition, so no build is needed.
export default defineConfig({
  resolve: { conditions: ['@mnist/source'] },
  ssr: { resolve: { conditions: ['@mnist/source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
      'examples/*/e2e/**/*.test.ts',
      'docs/**/*.test.ts',
    ],
    environment: 'node',
  },
});
