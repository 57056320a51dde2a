// The app's own router: the bottom tabs open their page without reloading and mark it as the
// current page, the phone's back and forward buttons move between the pages seen, and a link
// opened in a new tab (ctrl-click) leaves this page where it is.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');

const tabs = (page) => page.getByRole('navigation');

const setUp = (page) => fillFirstRun(page);

async function onPage(page, path, heading) {
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.getByRole('heading', { name: heading, level: 2 })).toBeVisible();
  // Exactly one tab is marked: the one of the page shown.
  await expect(tabs(page).locator('[aria-current="page"]')).toHaveCount(1);
  await expect(tabs(page).getByRole('link', { name: heading })).toHaveAttribute('aria-current', 'page');
}

test('tabs open their page in place, back and forward follow, a ctrl-click opens elsewhere', async ({ page, server }) => {
  await page.goto(server.url);
  await setUp(page);
  await onPage(page, '/roster', '花名册');
  // A marker on the window: gone if a link reloaded the page.
  await page.evaluate(() => { window.stillHere = true; });

  await tabs(page).getByRole('link', { name: '预警' }).click();
  await onPage(page, '/board', '预警');

  await tabs(page).getByRole('link', { name: '设置' }).click();
  await onPage(page, '/settings', '设置');

  await page.goBack();
  await onPage(page, '/board', '预警');
  await page.goBack();
  await onPage(page, '/roster', '花名册');
  await page.goForward();
  await onPage(page, '/board', '预警');
  expect(await page.evaluate(() => window.stillHere)).toBe(true);

  const opened = page.context().waitForEvent('page');
  await tabs(page).getByRole('link', { name: '设置' }).click({ modifiers: ['Control'] });
  await opened;
  await onPage(page, '/board', '预警');
});
