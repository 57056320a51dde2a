// Steps and checks about the service worker (public/sw.js) that several specs share.
const { expect } = require('@playwright/test');

// Opens the app and waits until its service worker has installed (precached this build) and
// controls the page, as it does after a teacher's first visit with signal.
async function openUntilWorkerControls(page, url) {
  await page.goto(url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // The first worker claims the open page itself; a reload checks the page also loads under it.
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10_000 })
    .catch(() => { throw new Error('after install and reload, no service worker controls the page'); });
}

// The Cache Storage names the page's origin holds, e.g. ["baoxue-4ac6c370c342dad0"].
async function cacheNames(page) {
  return page.evaluate(() => caches.keys());
}

// What a teacher sees once the app has started: its heading (drawn by the wasm app, not in
// index.html) and a screen below it, which the app picks after reading the phone's storage.
async function seesTheApp(page) {
  await expect(page.getByRole('heading', { name: '保学', level: 1 })).toBeVisible();
  await expect(page.getByRole('main').getByRole('heading', { level: 2 }).first()).toBeVisible();
}

module.exports = { openUntilWorkerControls, cacheNames, seesTheApp };
