// The student page. A head teacher sets up a new phone, adds a child by hand, flags the child as
// wavering (动摇生) with a note, and finds the child on the at-risk board with that reason. A
// birth date that cannot be right is refused beside the field, and everything is still there
// after a reload. A status change is recorded as a dated event; leaving the dropout ledger
// without evidence is refused with the reason, and nothing is saved until it is given.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const path = require('node:path');

const shots = path.join(__dirname, '../artifacts');
const child = '王小燕';
const note = '家访时说想跟哥哥去广东打工';

const act = {
  setUp: (page) => fillFirstRun(page),
  async addStudent(page, name, birthDate) {
    await page.getByRole('link', { name: '添加学生' }).click();
    await expect(page.getByRole('heading', { name: '添加学生' })).toBeVisible();
    await page.getByLabel('姓名').fill(name);
    await page.getByLabel('性别').selectOption({ label: '女' });
    await page.getByLabel('出生日期').fill(birthDate);
    await page.getByLabel('村').fill('石门村');
    await page.getByLabel('监护人').fill('王建国');
    await page.getByLabel('电话').fill('13800001234');
    await page.getByRole('button', { name: '保存', exact: true }).click();
  },
  async setFlag(page, flag, text) {
    await page.getByRole('button', { name: `标为${flag}` }).click();
    await page.getByLabel('依据（必填）').fill(text);
    await page.getByRole('button', { name: '保存标记' }).click();
  },
  async tryBirthDate(page, value) {
    await page.getByLabel('出生日期').fill(value);
    await page.getByRole('button', { name: '保存', exact: true }).click();
  },
};

const check = {
  async onStudentPage(page, name) {
    await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  },
  async flagHeld(page, flag, text) {
    await expect(page.getByRole('button', { name: `撤销${flag}` })).toBeVisible();
    await expect(page.locator('.flag-on')).toContainText(flag);
    await expect(page.getByText(text)).toBeVisible();
  },
  async onBoardWith(page, name, reason) {
    await expect(page.getByRole('heading', { name: '预警', level: 2 })).toBeVisible();
    const row = page.getByRole('link', { name: new RegExp(name) });
    await expect(row).toBeVisible();
    await expect(row).toContainText(reason);
  },
};

test('a head teacher flags a wavering child and finds them on the at-risk board', async ({ page, server }) => {
  await page.goto(server.url);
  await act.setUp(page);
  await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();

  await act.addStudent(page, child, '20140315');
  await check.onStudentPage(page, child);
  await expect(page.getByText('2014-03-15')).toBeVisible();

  await page.getByRole('link', { name: '花名册' }).click();
  await page.getByRole('link', { name: new RegExp(child) }).click();
  await check.onStudentPage(page, child);

  // A note is required: saving without one says so and saves nothing.
  await page.getByRole('button', { name: '标为动摇生' }).click();
  await page.getByRole('button', { name: '保存标记' }).click();
  await expect(page.getByRole('alert')).toHaveText('请写明依据');
  await page.getByRole('button', { name: '取消' }).click();

  await act.setFlag(page, '动摇生', note);
  await check.flagHeld(page, '动摇生', note);
  await expect(page.getByText('35 分')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'student-360.png') });
  await page.screenshot({ path: path.join(shots, 'student-360-full.png'), fullPage: true });

  await page.getByRole('link', { name: '预警' }).click();
  await check.onBoardWith(page, child, '动摇生 +30');
  await expect(page.getByRole('link', { name: new RegExp(child) })).toContainText('七年级 +5');
  await page.screenshot({ path: path.join(shots, 'board-360.png') });
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('link', { name: new RegExp(child) })).toContainText('Wavering +30');
  await page.screenshot({ path: path.join(shots, 'board-en-360.png') });
  await page.getByRole('button', { name: '中文' }).click();

  // Impossible birth dates are refused beside the field, in words a teacher acts on.
  await page.getByRole('link', { name: new RegExp(child) }).click();
  await page.getByRole('button', { name: '修改信息' }).click();
  await act.tryBirthDate(page, '2014-02-30');
  await expect(page.getByText('没有这一天，请检查月和日')).toBeVisible();
  await act.tryBirthDate(page, '1990-01-01');
  await expect(page.getByText('按这个出生日期，孩子已超过 20 岁，请检查年份')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'student-edit-error-360.png') });
  await page.getByRole('button', { name: '取消' }).click();

  // Everything is still there after a reload, read back from the phone's storage.
  await page.reload();
  await check.onStudentPage(page, child);
  await expect(page.getByText('2014-03-15')).toBeVisible();
  await check.flagHeld(page, '动摇生', note);
  await page.getByRole('link', { name: '预警' }).click();
  await check.onBoardWith(page, child, '动摇生 +30');
  await page.getByRole('link', { name: '花名册' }).click();
  await expect(page.getByRole('link', { name: new RegExp(child) })).toBeVisible();
});

test('a status change is a dated event, and leaving the dropout ledger needs its evidence', async ({ page, server }) => {
  await page.goto(server.url);
  await act.setUp(page);
  await act.addStudent(page, child, '20140315');
  await check.onStudentPage(page, child);
  const timeline = page.locator('.timeline');
  const record = async (status, evidence) => {
    await page.getByRole('button', { name: '记录状态变化' }).click();
    await page.getByLabel('新状态').selectOption({ label: status });
    await page.getByLabel('依据').fill(evidence);
    await page.getByRole('button', { name: '保存状态' }).click();
  };

  await record('辍学', '家访确认已随父母外出打工');
  await expect(timeline).toContainText('辍学');
  await expect(page.locator('.student-head .status')).toHaveText('辍学');

  // No date: refused, saying so.
  await page.getByRole('button', { name: '记录状态变化' }).click();
  await page.getByLabel('日期').fill('');
  await page.getByRole('button', { name: '保存状态' }).click();
  await expect(page.getByRole('alert')).toContainText('日期不对');
  await page.getByRole('button', { name: '取消' }).click();

  // Back in school, but no evidence: refused with the reason, nothing written.
  await record('已复学', '   ');
  await expect(page.getByRole('alert')).toContainText('须写明依据');
  // 在读 from the term's start (a child added by hand is on the roll) and 辍学.
  await expect(timeline.locator('li')).toHaveCount(2);
  await page.getByLabel('依据').fill('11月23日返校，编入七年级(2)班');
  await page.getByRole('button', { name: '保存状态' }).click();
  await expect(timeline.locator('li')).toHaveCount(3);
  await expect(timeline.locator('li').first()).toContainText('11月23日返校');
  await page.reload();
  await expect(page.locator('.student-head .status')).toHaveText('已复学');
  await expect(page.locator('.timeline li')).toHaveCount(3);
});
