// The app is three wasm modules (docs/code-splitting.md): the main one draws a new phone's
// first-run form; the later one (the store, the other pages, sync) arrives after it, with the
// chunk of code it shares with the third, the case work, which comes when a page first needs
// it. Here the later module is held back on a new phone: the form still shows, a later page says
// it is not on the phone yet instead of going blank, and once the module can be fetched "try
// again" draws it and the form saves. The case work held back is said in the same way.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { addSchool, enrollmentCode } = require('../operator');
const path = require('node:path');

const shots = path.join(__dirname, '../artifacts');

// Playwright's routes do not see what a service worker answers: these tests are about the
// modules themselves, so the service worker is kept out (work_offline covers it).
test.use({ serviceWorkers: 'block' });

const LATER = /\/later_[A-Za-z0-9_]+-[0-9a-f]{16}\.wasm$/;
const CASES = /\/later_split_cases-[0-9a-f]{16}\.wasm$/;

test('a new phone draws the first-run form before the later code, and a page without it can try again', async ({ page, server }) => {
  let held = true;
  const asked = [];
  await page.route(LATER, (route) => {
    asked.push(route.request().url());
    return held ? route.abort('internetdisconnected') : route.continue();
  });
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: '开始使用' })).toBeVisible();
  await expect(page.getByLabel('学校名称')).toBeEditable();
  // The app asked for the later module at start, and did not get it.
  await expect.poll(() => asked.length).toBeGreaterThan(0);
  await page.screenshot({ path: path.join(shots, 'setup-without-later-360.png') });

  await page.goto(new URL('/settings', server.url).toString());
  await expect(page.getByRole('alert')).toContainText('这一页还没有下载到手机上');
  const retry = page.getByRole('button', { name: '再试一次' });
  await expect(retry).toBeVisible();

  held = false;
  await retry.click();
  await expect(page.getByRole('heading', { name: '设置', level: 2 })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.goto(server.url);
  await fillFirstRun(page);
  await expect(page.getByRole('heading', { name: '花名册', level: 2 })).toBeVisible();

  // A returning phone needs the later module to read its store: without it, it says so (not
  // an endless "loading"), and draws the roster once it can be fetched.
  held = true;
  await page.reload();
  await expect(page.getByRole('alert')).toContainText('这一页还没有下载到手机上');
  await page.screenshot({ path: path.join(shots, 'later-not-fetched-360.png') });
  held = false;
  await page.getByRole('button', { name: '再试一次' }).click();
  await expect(page.getByRole('heading', { name: '花名册', level: 2 })).toBeVisible();
});

test('the first visit fetches only the main module before the first-run form', async ({ page, server }) => {
  const wasm = [];
  page.on('request', (request) => { if (request.url().endsWith('.wasm')) wasm.push(request.url()); });
  let release;
  const releasing = new Promise((resolve) => { release = resolve; });
  // The later module waits until the form is on screen: the form must not need it.
  await page.route(LATER, async (route) => { await releasing; await route.continue(); });
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: '开始使用' })).toBeVisible();
  release();
  expect(wasm.filter((url) => /\/app_bg-[0-9a-f]{16}\.wasm$/.test(url))).toHaveLength(1);
  await fillFirstRun(page);
  await expect(page.getByRole('heading', { name: '花名册', level: 2 })).toBeVisible();
  // At start: the later module and the chunk it shares with the case work, not the case work.
  const later = wasm.filter((url) => LATER.test(url));
  expect(later.filter((url) => url.includes('/later_split_later-'))).toHaveLength(1);
  expect(later.filter((url) => url.includes('/later_chunk_'))).toHaveLength(1);
  expect(later).toHaveLength(2);
  expect(wasm.filter((url) => url.includes('import_bg'))).toHaveLength(0);
});

test('the case work is fetched when a page first needs it, and a page without it can try again', async ({ page, server }) => {
  const wasm = [];
  page.on('request', (request) => { if (request.url().endsWith('.wasm')) wasm.push(request.url()); });
  let held = true;
  await page.route(CASES, (route) => (held ? route.abort('internetdisconnected') : route.continue()));
  await page.goto(server.url);
  await fillFirstRun(page);
  await expect(page.getByRole('heading', { name: '花名册', level: 2 })).toBeVisible();
  await page.getByRole('link', { name: '设置' }).first().click();
  await expect(page.getByRole('heading', { name: '设置', level: 2 })).toBeVisible();
  // Nothing drawn so far needed it.
  expect(wasm.filter((url) => CASES.test(url))).toHaveLength(0);

  await page.goto(new URL('/ledgers', server.url).toString());
  await expect(page.getByRole('alert')).toContainText('这一页还没有下载到手机上');
  expect(wasm.filter((url) => CASES.test(url)).length).toBeGreaterThan(0);
  held = false;
  await page.getByRole('button', { name: '再试一次' }).click();
  await expect(page.getByRole('heading', { name: '台账', level: 2 })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('saving the first-run form waits for the later module and the store it reads', async ({ page, server }) => {
  const school = addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' });
  const code = enrollmentCode(server, school);
  let held = true;
  await page.route(LATER, (route) => (held ? route.abort('internetdisconnected') : route.continue()));
  await page.goto(server.url);
  // Without a code: the form says the app is not all here, and keeps what was typed.
  await fillFirstRun(page);
  await expect(page.getByRole('alert')).toContainText('应用还没有下载完');
  await expect(page.getByLabel('学校名称')).toHaveValue('大井镇中学');
  // With a code, the save fetches the module, which must read the store before it enrolls.
  held = false;
  await page.getByLabel('注册码（可选）').fill(code);
  await page.getByRole('button', { name: '保存并开始' }).click();
  await expect(page.getByRole('heading', { name: '花名册', level: 2 })).toBeVisible();
  await expect(page.getByRole('region', { name: '同步状态' })).not.toContainText('未加入');
});
