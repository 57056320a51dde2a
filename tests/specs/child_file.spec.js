// The child's file: a child absent without excuse three school days in a row is confirmed as a
// dropout with a case, visited, brought back and checked on; the head teacher opens the child's
// file from the case section and finds the 劝返复学方案 header and the whole story in date order,
// then prints it on A4 (the PDF and its pages as pictures are kept in tests/artifacts).
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { at, goToDay, addStudent, markUnexcused, openChild } = require('../casework');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

test.use({ timezoneId: 'Asia/Shanghai' });

const shots = path.join(__dirname, '../artifacts');
const child = '张小明';

test('the child file tells the whole story in date order and prints on A4', async ({ page, server }) => {
  test.setTimeout(180_000);
  fs.mkdirSync(shots, { recursive: true });
  await page.clock.install({ time: at('2026-09-16') });
  await page.goto(server.url);
  await fillFirstRun(page, { termStart: '2026-09-01', termEnd: '2027-01-22' });
  await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
  await addStudent(page, child, '男', '2013-05-02');

  // Wednesday to Friday, 16–18 September: three unexcused days.
  for (const day of ['2026-09-16', '2026-09-17', '2026-09-18']) {
    await goToDay(page, day);
    await markUnexcused(page, [child]);
  }

  // Friday 18th: confirmed, with a case.
  await openChild(page, child);
  await page.getByRole('button', { name: '确认辍学，建立劝返方案' }).click();
  const confirm = page.locator('form.confirm-form');
  await confirm.getByLabel('厌学').check();
  await confirm.getByLabel('外出打工').check();
  await confirm.getByLabel('情况说明').fill('随父亲去昆明打工');
  await confirm.getByLabel('学校领导').fill('陈校长');
  await confirm.getByLabel('村干部').fill('石门村李主任');
  await confirm.getByLabel('劝返期限').fill('2026-10-09');
  await confirm.getByRole('button', { name: '保存并立案' }).click();
  await expect(page.getByRole('heading', { name: '劝返复学方案（一人一案）' })).toBeVisible();

  // Saturday 19th: a home visit.
  await goToDay(page, '2026-09-19');
  await openChild(page, child);
  await page.getByRole('button', { name: '登记一次家访或电话' }).click();
  const contact = page.locator('form.contact-form');
  await contact.getByLabel('日期', { exact: true }).fill('2026-09-19');
  await contact.getByLabel('方式').selectOption({ label: '家访' });
  await contact.getByLabel('接待人（如：父亲、祖母）').fill('祖母');
  await contact.getByLabel('结果').fill('祖母说孩子在昆明，答应打电话');
  await contact.getByRole('button', { name: '保存记录' }).click();
  await expect(contact).toHaveCount(0);

  // Tuesday 29th: back in class.
  await goToDay(page, '2026-09-29');
  await openChild(page, child);
  await page.getByRole('button', { name: '登记复学' }).click();
  const back = page.locator('form.return-form');
  await back.getByLabel('复学日期').fill('2026-09-29');
  await back.getByLabel('补课与帮扶计划').fill('数学、语文每周补课两次');
  await back.getByRole('button', { name: '保存复学' }).click();
  await expect(page.locator('.placements')).toContainText('2026-09-29 复学，编入 七年级(2)班');

  // A week later, the follow-up check.
  await goToDay(page, '2026-10-06');
  await openChild(page, child);
  await page.getByRole('button', { name: '登记回访' }).click();
  await page.locator('form.follow-up-form').getByLabel('说明').fill('按时到校，作业能完成');
  await page.locator('form.follow-up-form').getByRole('button', { name: '保存回访' }).click();
  await expect(page.locator('.follow-ups')).toContainText('正常在校');

  // The file, one tap from the case section.
  await page.getByRole('link', { name: '查看学生档案（可打印）' }).click();
  await expect(page).toHaveURL(/\/student\/[^/]+\/file$/);
  const paper = page.locator('article.paper');
  await expect(paper.getByRole('heading', { name: '劝返复学方案', level: 2 })).toBeVisible();
  await expect(paper).toContainText('大井镇中学');
  const head = paper.locator('.file-head');
  for (const [label, value] of [
    ['姓名', child], ['性别', '男'], ['出生日期', '2013年5月2日'], ['班级', '七年级(2)班'],
    ['监护人', '张建国'], ['家庭住址', '石门村'], ['劝返责任人', '陈校长'], ['劝返期限', '2026年10月9日'],
    ['劝返措施', '家访'], ['目前状态', '已返校'],
  ]) {
    await expect(head.locator('div').filter({ has: page.locator('dt', { hasText: label }) })).toContainText(value);
  }
  // A child added by hand has no 学籍号: no empty row for it.
  await expect(head.locator('dt', { hasText: '学籍号' })).toHaveCount(0);

  // The story, oldest first: each entry its date and what happened, in this order.
  const expected = [
    ['2026年9月1日', '学籍状态：在读'],
    ['2026年9月16日', '连续旷课3天（2026年9月16日至2026年9月18日）'],
    ['2026年9月18日', '学籍状态：劝返中'],
    ['2026年9月18日', '列入排查台账'],
    ['2026年9月18日', '确认辍学，立案劝返'],
    ['2026年9月19日', '家访'],
    ['2026年9月29日', '学籍状态：已复学'],
    ['2026年9月29日', '复学，编入七年级(2)班'],
    ['2026年10月6日', '跟踪回访：正常在校'],
  ];
  const entries = paper.locator('.story-entry');
  await expect(entries).toHaveCount(expected.length);
  const dates = await entries.locator('.story-date').allTextContents();
  const whats = await entries.locator('.story-what').allTextContents();
  expect(dates.map((date, index) => [date, whats[index]])
    .map(([date, what], index) => [date, what.includes(expected[index][1]) ? expected[index][1] : what]))
    .toEqual(expected);
  // The details behind each line: the reasons and investigator, the visit's outcome, the plan.
  await expect(entries.nth(3)).toContainText('辍学原因：厌学、外出打工');
  await expect(entries.nth(4)).toContainText('劝返期限：2026年10月9日');
  await expect(entries.nth(5)).toContainText('见祖母');
  await expect(entries.nth(5)).toContainText('结果：祖母说孩子在昆明，答应打电话');
  await expect(entries.nth(7)).toContainText('补课与帮扶：数学、语文每周补课两次');
  await page.screenshot({ path: path.join(shots, 'child-file-360.png'), fullPage: true });

  // On paper: A4, the buttons and the app's bars gone.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
  const pdf = path.join(shots, 'child-file.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  expect(fs.statSync(pdf).size).toBeGreaterThan(1000);
  try {
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(shots, 'child-file-pdf')]);
  } catch (error) {
    // The PDF is kept; its pictures are a convenience for looking at it.
  }

  // The page survives a reload (it is an app path of its own), and leads back to the child.
  await page.reload();
  await expect(page.locator('.story-entry')).toHaveCount(expected.length);
  // In English too, every line from the translation table (records stay as written).
  await page.getByRole('button', { name: 'English' }).click();
  await expect(paper.getByRole('heading', { name: 'Plan to Bring the Child Back to School', level: 2 })).toBeVisible();
  await expect(page.locator('.story-entry').nth(1))
    .toContainText('Absent without excuse 3 school days in a row (16/9/2026 to 18/9/2026)');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('link', { name: '返回学生页面' }).click();
  await expect(page.getByRole('heading', { name: child, level: 2 })).toBeVisible();
});
