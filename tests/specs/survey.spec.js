// The satisfaction survey: parents answer on the phone before and after a campaign, one tap per
// question; nothing is submitted until every question has a score; the summary gives each
// question's mean before and after and the change, worked out by hand here, on the phone and in
// its workbook (calamine), and prints.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { at } = require('../casework');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

test.use({ timezoneId: 'Asia/Shanghai' });
const shots = path.join(__dirname, '../artifacts');

async function answer(page, round, scores) {
  await page.getByRole('button', { name: round, exact: true }).click();
  const questions = page.locator('.survey-question');
  for (const [index, score] of scores.entries()) {
    await questions.nth(index).getByRole('button', { name: `${score} 分` }).click();
  }
  await page.getByRole('button', { name: '提交问卷' }).click();
}

test('parents answer before and after a campaign and the summary gives the change', async ({ page, server }) => {
  await page.clock.install({ time: at('2026-10-14') });
  await page.goto(server.url);
  await fillFirstRun(page, { termStart: '2026-09-01', termEnd: '2027-01-22' });
  await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: /^全校统计/ }).click();
  await page.getByRole('link', { name: '调查：学生、家长满意度' }).click();
  await expect(page.getByRole('heading', { name: '满意度调查', level: 2, exact: true })).toBeVisible();

  // Four of five answered: not yet.
  const questions = page.locator('.survey-question');
  for (let index = 0; index < 4; index += 1) {
    await questions.nth(index).getByRole('button', { name: '3 分' }).click();
  }
  await expect(page.getByText('还有 1 题没有作答。')).toBeVisible();
  await expect(page.getByRole('button', { name: '提交问卷' })).toBeDisabled();
  await questions.nth(4).getByRole('button', { name: '2 分' }).click();
  await page.getByRole('button', { name: '提交问卷' }).click();
  await expect(page.getByText('已提交 1 份问卷。')).toBeVisible();
  await answer(page, '活动前', [2, 4, 1, 2, 4]);
  await page.screenshot({ path: path.join(shots, 'survey-360.png'), fullPage: true });
  await answer(page, '活动后', [4, 5, 3, 5, 5]);
  await expect(page.getByText('已提交 3 份问卷。')).toBeVisible();

  // Question 1: before (3 + 2) / 2 = 2.50, after 4.00, change +1.50; question 3: 2.00 → 3.00.
  const parents = page.locator('.survey-summary .report-card').first();
  await expect(page.locator('.survey-papers').first()).toHaveText('活动前 2 份，活动后 1 份');
  await expect(parents).toContainText('活动前平均分2.50');
  await expect(parents).toContainText('变化+1.50');
  const [book] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 Excel 表格' }).click(),
  ]);
  const sheet = JSON.parse(execFileSync(process.env.BAOXUE_XTASK_BIN, ['sheet', await book.path()], { encoding: 'utf8' }));
  expect(sheet.rows[0][0]).toBe('大井镇中学 满意度调查汇总表');
  expect(sheet.rows[1].slice(0, 2)).toEqual(['家长', '活动前 2 份，活动后 1 份']);
  expect(sheet.rows[2]).toEqual(['题目', '活动前平均分', '活动前人数', '活动后平均分', '活动后人数', '变化']);
  expect(sheet.rows[3]).toEqual(['对学校教育教学总体满意', '2.50', '2', '4.00', '1', '+1.50']);
  expect(sheet.rows[5]).toEqual(['资助、帮扶政策落实到位', '2.00', '2', '3.00', '1', '+1.00']);
  // The students answered nothing: no means, no change.
  const students = sheet.rows.findIndex((row) => row[0] === '学生');
  expect(sheet.rows[students + 2]).toEqual(['对学校教育教学总体满意', '—', '0', '—', '0', '—']);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.survey-summary table.report-table tbody tr')).toHaveCount(10);
  await expect(page.locator('.survey-form')).toBeHidden();
  await page.pdf({ path: path.join(shots, 'survey-summary.pdf'), preferCSSPageSize: true, printBackground: true });
});
