// A head teacher opens the link on a new phone: the app loads in Chinese with the first-run
// form (so the phone's storage opened), switches to English and back.
const { test, expect } = require('../fixtures');
const path = require('node:path');
const { fillFirstRun } = require('../first_run');

const shots = path.join(__dirname, '../artifacts');

test('a new phone opens in Chinese on the first-run form, and switches language', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: '保学' })).toBeVisible();
  // The store opened (no storage error) and found no profile: the first-run form.
  await expect(page.getByRole('heading', { name: '开始使用' })).toBeVisible();
  await expect(page.getByText('无法打开本机存储')).toHaveCount(0);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.screenshot({ path: path.join(shots, 'home-zh-360.png') });

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Baoxue' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Get started' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.screenshot({ path: path.join(shots, 'home-en-360.png') });
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '保学' })).toBeVisible();
});

test('a page opened from a link loads the app, and hashed files are cached for a year', async ({ page, server }) => {
  const response = await page.goto(new URL('/class/1/attendance', server.url).toString());
  expect(response.status()).toBe(200);
  await expect(page.getByRole('heading', { name: '保学' })).toBeVisible();
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name).find((name) => name.endsWith('.wasm')));
  expect(wasm).toMatch(/\/app_bg-[0-9a-f]{16}\.wasm$/);
  const cached = await page.request.get(wasm, { headers: { 'accept-encoding': 'gzip' } });
  expect(cached.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(cached.headers()['content-encoding']).toBe('gzip');
});

test('the language chosen stays after a reload, and the English tabs fit a 360 px screen', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: '开始使用' })).toBeVisible();
  await fillFirstRun(page);
  await expect(page.getByRole('heading', { name: '花名册', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('link', { name: 'Register', exact: true })).toBeVisible();

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Baoxue' })).toBeVisible();
  // Five equal fifths (before, "Attendance" pushed its neighbours into a run of words with
  // no gap between the tabs), every tab's words inside its own fifth, the bar no wider than
  // the screen.
  const tabs = page.locator('nav.tabs a');
  await expect(tabs).toHaveCount(5);
  const widths = await tabs.evaluateAll((links) => links.map((link) => Math.round(link.getBoundingClientRect().width)));
  expect(widths).toEqual([72, 72, 72, 72, 72]);
  const overflow = await tabs.evaluateAll((links) => links
    .filter((link) => link.scrollWidth > link.clientWidth || link.getBoundingClientRect().right > window.innerWidth)
    .map((link) => link.textContent));
  expect(overflow).toEqual([]);
  // No word cut in two ("Attendan / ce"): a one-word label is on one line.
  const broken = await tabs.evaluateAll((links) => links
    .filter((link) => !link.textContent.trim().includes(' '))
    .filter((link) => {
      const range = document.createRange();
      range.selectNodeContents(link);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1;
    })
    .map((link) => link.textContent));
  expect(broken).toEqual([]);
  expect(await page.locator('nav.tabs').evaluate((nav) => nav.scrollWidth <= window.innerWidth)).toBe(true);
  await page.screenshot({ path: path.join(shots, 'tabs-en-360.png') });

  await page.getByRole('button', { name: '中文' }).click();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('link', { name: '考勤', exact: true })).toBeVisible();
});
