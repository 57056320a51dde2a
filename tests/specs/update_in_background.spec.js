// A new version is deployed while a teacher has the app open with unsaved input: it installs
// in the background, the page is told (for the app's "new version" banner) but keeps running
// untouched, and only when the teacher agrees does the page reload into the new version.
const { testWithOwnDist: test, expect } = require('../fixtures');
const { openUntilWorkerControls, cacheNames, seesTheApp } = require('../service_worker');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const shots = path.join(__dirname, '../artifacts');

test('a new version installs in the background and takes over only when asked', async ({ page, server, dist }) => {
  await openUntilWorkerControls(page, server.url);
  await seesTheApp(page);
  const [oldCache] = await cacheNames(page);
  const oldStyle = await stylesheet(page);

  // Unsaved work on the page: typed into the screen's first field, and kept in a variable.
  const field = page.getByRole('main').getByRole('textbox').first();
  await field.fill('城关镇第二小学');
  await page.evaluate(() => {
    window.unsavedNote = '张小明 今天请病假，明天家访';
    window.updateEvents = 0;
    window.addEventListener('baoxue:update-ready', () => { window.updateEvents += 1; });
  });
  expect(await page.evaluate(() => window.baoxueUpdateReady)).toBe(false);

  const newStyle = deployNewVersion(dist);

  // Browsers look for a new sw.js on navigations and now and then; ask now, and again each
  // second: a check the browser began before the deploy (after the reload above) absorbs an
  // update() asked while it runs, and that check saw the old sw.js.
  await expect.poll(() => page.evaluate(async () => {
    if (window.updateEvents === 0) await (await navigator.serviceWorker.getRegistration()).update();
    return window.updateEvents;
  }), { message: 'the new version was deployed but the page never got baoxue:update-ready', timeout: 20_000, intervals: [1_000] })
    .toBeGreaterThan(0);

  // The page was left alone: same document, same state, still the old version's files.
  await expect(field).toHaveValue('城关镇第二小学');
  expect(await page.evaluate(() => window.unsavedNote)).toBe('张小明 今天请病假，明天家访');
  expect(await page.evaluate(() => window.baoxueUpdateReady)).toBe(true);
  const banner = page.getByRole('status').filter({ hasText: '新版本已下载' });
  await expect(banner).toBeVisible();
  expect(await stylesheet(page)).toBe(oldStyle);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).waiting !== null),
    'the new worker should wait, not take over by itself').toBe(true);
  const whileWaiting = await cacheNames(page);
  expect(whileWaiting).toContain(oldCache);
  expect(whileWaiting).toHaveLength(2);
  await page.screenshot({ path: path.join(shots, 'update-ready-360.png') });

  // The teacher taps the banner: the new worker takes over and the page reloads into it.
  const reloaded = page.waitForEvent('load');
  await banner.getByRole('button', { name: '立即更新' }).click();
  await reloaded;
  await seesTheApp(page);
  await expect(page.getByRole('status').filter({ hasText: '新版本已下载' })).toHaveCount(0);
  expect(await page.evaluate(() => window.unsavedNote)).toBeUndefined();
  expect(await stylesheet(page)).toBe(`/${newStyle}`);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const [newCache, ...others] = await cacheNames(page);
  expect(others, 'the old version\'s cache should be deleted').toEqual([]);
  expect(newCache).not.toBe(oldCache);

  // And the new version works offline too.
  await page.context().setOffline(true);
  await server.stop();
  await page.reload();
  await seesTheApp(page);
  expect(await stylesheet(page)).toBe(`/${newStyle}`);
});

// The path of the page's stylesheet, e.g. "/style-a014acbbc4a54277.css".
async function stylesheet(page) {
  return page.evaluate(() => new URL(document.querySelector('link[rel=stylesheet]').href).pathname);
}

// Does to `dist` what `cargo xtask build` and a deploy do when the CSS changes: a new hashed
// style file (the old one gone), index.html and sw.js naming it, sw.js with a new build id;
// each with its gzip copy, which the server prefers. Returns the new style file's name.
function deployNewVersion(dist) {
  const oldStyle = fs.readdirSync(dist).find((name) => /^style-[0-9a-f]{16}\.css$/.test(name));
  const css = Buffer.concat([fs.readFileSync(path.join(dist, oldStyle)), Buffer.from('\n.new-version { }\n')]);
  const newStyle = `style-${crypto.createHash('sha256').update(css).digest('hex').slice(0, 16)}.css`;
  write(dist, newStyle, css);
  for (const name of [oldStyle, `${oldStyle}.gz`]) fs.rmSync(path.join(dist, name));

  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  write(dist, 'index.html', html.replaceAll(oldStyle, newStyle));
  const worker = fs.readFileSync(path.join(dist, 'sw.js'), 'utf8');
  const build = worker.match(/const BUILD = "([0-9a-f]{16})";/);
  if (!build) throw new Error('dist/sw.js holds no `const BUILD = "<16 hex>";`: was it built by cargo xtask build?');
  const newBuild = crypto.createHash('sha256').update(build[1] + newStyle).digest('hex').slice(0, 16);
  write(dist, 'sw.js', worker.replace(build[0], `const BUILD = "${newBuild}";`).replaceAll(oldStyle, newStyle));
  return newStyle;
}

function write(dist, name, contents) {
  fs.writeFileSync(path.join(dist, name), contents);
  fs.writeFileSync(path.join(dist, `${name}.gz`), zlib.gzipSync(contents));
}
