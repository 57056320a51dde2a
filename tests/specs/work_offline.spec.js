// A teacher opens the link once in town, then works in a village with no signal: the app and
// every page of it still open, from the phone.
const { test, expect } = require('../fixtures');
const { openUntilWorkerControls, cacheNames, seesTheApp } = require('../service_worker');
const path = require('node:path');

const shots = path.join(__dirname, '../artifacts');

test('after one visit the app opens with no network, on any of its pages', async ({ page, server }) => {
  await openUntilWorkerControls(page, server.url);
  await seesTheApp(page);
  expect(await cacheNames(page)).toEqual([expect.stringMatching(/^baoxue-[0-9a-f]{16}$/)]);

  // No signal at all: the browser is offline and the server is gone.
  await page.context().setOffline(true);
  await server.stop();

  await page.reload();
  await seesTheApp(page);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await page.screenshot({ path: path.join(shots, 'offline-home-360.png') });

  // A link to a screen the teacher never opened before still gets the app.
  await page.goto(new URL('/class/1/attendance', server.url).toString());
  await seesTheApp(page);
  await page.screenshot({ path: path.join(shots, 'offline-deep-link-360.png') });
});

test('the sync API is never answered from the phone', async ({ page, server }) => {
  await openUntilWorkerControls(page, server.url);
  const health = await page.evaluate(async () => (await fetch('/api/health')).status);
  expect(health).toBe(200);

  await page.context().setOffline(true);
  const offline = await page.evaluate(() => fetch('/api/health').then((response) => `HTTP ${response.status}`,
    (error) => `failed: ${error.name}`));
  expect(offline, 'an API call without network must fail, not come from a cache').toBe('failed: TypeError');
  const cachedUrls = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(cachedUrls.filter((url) => url.startsWith('/api'))).toEqual([]);
});
