// The term after the first run. A head teacher who set up the phone with last year's dates sees
// the term in settings with its number of school days, is told it is over, begins the next term
// from the dates the app proposes, corrects a date (a last day before the first is refused
// beside the form, nothing saved), and finds the term still there after a reload, in both
// languages.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const path = require('node:path');

const shots = path.join(__dirname, '../artifacts');

test('the term is seen, begun anew and corrected in settings', async ({ page, server }) => {
  const year = new Date().getFullYear();
  const [oldStart, oldEnd] = [`${year - 2}-09-01`, `${year - 1}-01-20`];
  await page.goto(server.url);
  await fillFirstRun(page, { termStart: oldStart, termEnd: oldEnd });
  await expect(page.getByRole('heading', { name: '花名册', level: 2 })).toBeVisible();
  await page.getByRole('link', { name: '设置', exact: true }).click();

  const card = page.locator('.card.term');
  await expect(card.getByRole('heading', { name: '本学期' })).toBeVisible();
  await expect(card.getByText(oldStart)).toBeVisible();
  await expect(card.getByText(oldEnd)).toBeVisible();
  // 2 September of that year to 20 January: weekdays only, a hundred or so.
  await expect(card.getByText(/^\d{2,3} 个上课日/)).toBeVisible();
  await expect(card.getByText('这个学期已经结束')).toBeVisible();

  await card.getByRole('button', { name: '开始新学期' }).click();
  const start = await card.getByLabel('开学日期').inputValue();
  const end = await card.getByLabel('结束日期').inputValue();
  // The proposal starts after the old term and is not over yet.
  expect(start > oldEnd).toBe(true);
  expect(end >= new Date().toISOString().slice(0, 10)).toBe(true);
  await card.getByRole('button', { name: '保存' }).click();
  await expect(card.getByText('学期日期已保存')).toBeVisible();
  await expect(card.getByText(start)).toBeVisible();
  await expect(card.getByText('这个学期已经结束')).toHaveCount(0);
  await expect(card.getByRole('button', { name: '开始新学期' })).toHaveCount(0);

  // A last day before the first is refused beside the form; the stored dates stay.
  await card.getByRole('button', { name: '修改学期日期' }).click();
  await card.getByLabel('结束日期').fill(`${year - 1}-01-01`);
  await card.getByRole('button', { name: '保存' }).click();
  await expect(card.getByRole('alert')).toHaveText('结束日期要晚于开学日期');
  await expect(card.getByLabel('开学日期')).toHaveValue(start);
  // Corrected: the term ends a week later than proposed.
  const later = new Date(`${end}T00:00:00Z`);
  later.setUTCDate(later.getUTCDate() + 7);
  const newEnd = later.toISOString().slice(0, 10);
  await card.getByLabel('结束日期').fill(newEnd);
  await card.getByRole('button', { name: '保存' }).click();
  await expect(card.getByText('学期日期已保存')).toBeVisible();
  await expect(card.getByText(newEnd)).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'settings-term-zh-360.png') });

  await page.reload();
  await expect(card.getByText(newEnd)).toBeVisible();
  await expect(card.getByText(start)).toBeVisible();
  await page.locator('header').getByRole('button', { name: 'English' }).click();
  await expect(card.getByRole('heading', { name: 'This term' })).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'settings-term-en-360.png') });
});
