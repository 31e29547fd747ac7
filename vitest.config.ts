import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const domain = fileURLToPath(new URL('./server/domain', import.meta.url));

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@domain': domain } },
  test: {
    // Test files run two at a time on the 2-core CI machine (the default there is one): most of an
    // integration file's time is spent waiting on services, sockets and browsers, not on the CPU.
    // Files share nothing but influxd and PostgreSQL, where each has its own databases
    // (tests/helpers/global-setup.ts); the chaos files start their own services.
    maxWorkers: 2,
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // One module graph per worker, not per file: importing the modules again for every file
          // was most of the run (unit: 149 s → 34 s). Nothing in these files mocks modules.
          isolate: false,
          include: ['server/**/*.test.ts', 'simulators/**/*.test.ts', 'client/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // As the unit tests (integration: 490 s of imports → 26 s); each file starts its own apps
          // and stops them, and the chaos files, which restart services, stay isolated.
          isolate: false,
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/chaos/**', 'tests/e2e/**', 'tests/cluster/**'],
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // The browser tests, one file at a time after the others: Chromium takes both cores, and
          // side by side their waits on the page ran late.
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          isolate: false,
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // Own services (they are stopped and restarted), the server as a child process.
          name: 'chaos',
          include: ['tests/chaos/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // `npm run test:cluster` (tests/cluster/): one local cluster of the product's processes on
          // its own services (tests/helpers/local-cluster.ts), the tests in order against it.
          name: 'cluster',
          include: ['tests/cluster/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
