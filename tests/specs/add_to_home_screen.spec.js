// A teacher adds the app to the phone's home screen: the browser finds a valid manifest with
// icons that load, and has nothing against installing it.
const { test, expect } = require('../fixtures');
const { openUntilWorkerControls } = require('../service_worker');

test('the manifest is linked, valid, and its icons load', async ({ page, server }) => {
  await openUntilWorkerControls(page, server.url);
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');

  const response = await page.request.get(new URL(href, server.url).toString());
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/manifest+json');
  const manifest = JSON.parse(await response.text());
  expect(manifest).toMatchObject({ name: '保学 · 控辍保学', short_name: '保学', lang: 'zh-CN', start_url: '/',
    display: 'standalone', theme_color: '#0b5d3b', background_color: '#ffffff' });
  const purposes = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose}`);
  expect(purposes).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);

  const icons = [...manifest.icons.map((icon) => icon.src),
    await page.locator('link[rel=apple-touch-icon]').getAttribute('href')];
  for (const src of icons) {
    const icon = await page.request.get(new URL(src, server.url).toString());
    expect(icon.status(), src).toBe(200);
    expect(icon.headers()['content-type'], src).toBe('image/png');
    const size = await page.evaluate(async (url) => {
      const bitmap = await createImageBitmap(await (await fetch(url)).blob());
      return `${bitmap.width}x${bitmap.height}`;
    }, src);
    expect(size, src).toBe(src.includes('apple') ? '180x180' : manifest.icons.find((i) => i.src === src).sizes);
  }

  // Chromium's own verdict, as its install prompt would give it.
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Playwright's browser contexts are incognito ones, where Chromium never offers to install.
  expect(installabilityErrors.filter((error) => error.errorId !== 'in-incognito')).toEqual([]);
  const { errors } = await cdp.send('Page.getAppManifest');
  expect(errors).toEqual([]);
});
