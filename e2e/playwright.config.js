// @ts-check
// End-to-end journeys in Debian's Chromium against the real binaries. ctest runs
// them (tests named e2e.*) with E2E_BIN_DIR, E2E_WIDGET_DIR and E2E_OUTPUT_DIR set;
// run by hand from e2e/ with `npx playwright test` after script/build.
const { defineConfig } = require('@playwright/test');
const path = require('path');

const outputDir = process.env.E2E_OUTPUT_DIR || path.join(__dirname, '..', 'build', 'e2e');

module.exports = defineConfig({
  testDir: './tests',
  outputDir: path.join(outputDir, 'results'),
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS || 2),
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['html', { outputFolder: path.join(outputDir, 'report'), open: 'never' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'sqlite', use: { database: 'sqlite' } },
    // One project on PostgreSQL, through a throwaway cluster like the C++ tests use.
    { name: 'postgres', use: { database: 'postgres' }, grep: /@postgres/ },
  ],
});
