// End-to-end tests drive Debian's Chromium (never a downloaded browser) at a phone's size.
const { defineConfig } = require('@playwright/test');

module.exports = defineConfig({
  testDir: './specs',
  outputDir: './test-results',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      // Without the last four, Chromium floods this machine's closed network at every start.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
