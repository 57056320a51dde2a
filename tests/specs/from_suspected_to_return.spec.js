// From three unexcused days to a child back in class, on one phone, day by day (the phone's
// clock is set to each day): three children are absent without excuse on three school days in
// a row and are raised as suspected dropouts; one is cleared (ill), one is confirmed, gets a
// case, three logged contacts and a printed 《限期复学通知书》, returns, and has a follow-up; the
// third is confirmed and leaves the dropout ledger as a transfer with the receiving school's
// receipt. At each step the term's 辍学率 and 劝返复学率 on the ledgers page equal the values
// worked out by hand below, numerator and denominator. Bad input is refused beside its field
// with what was typed kept.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { at, goToDay, addStudent, markUnexcused, openChild, logContact } = require('../casework');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

test.use({ timezoneId: 'Asia/Shanghai' });

const shots = path.join(__dirname, '../artifacts');

// A downloaded workbook's first sheet, read by calamine (`cargo xtask sheet`).
function readSheet(file) {
  const xtask = process.env.BAOXUE_XTASK_BIN;
  if (!xtask) throw new Error('BAOXUE_XTASK_BIN is not set (cargo xtask test sets it)');
  return JSON.parse(execFileSync(xtask, ['sheet', file], { encoding: 'utf8' }));
}
// The page printed (print media, the paper's own page size) to `<name>.pdf` among the
// artifacts, with pictures of its pages to look at; `check` runs under print media first.
async function printPaper(page, name, check = async () => {}) {
  await page.emulateMedia({ media: 'print' });
  await check();
  const pdf = path.join(shots, `${name}.pdf`);
  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  expect(fs.statSync(pdf).size).toBeGreaterThan(1000);
  try {
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(shots, `${name}-pdf`)]);
  } catch (error) {
    // The PDF is kept; its pictures are a convenience for looking at it.
  }
}
// A paper's workbook: the download's name and its first sheet as calamine reads it.
async function downloadBook(page) {
  const [book] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 Excel 表格' }).click(),
  ]);
  return { name: book.suggestedFilename(), sheet: readSheet(await book.path()) };
}
// A ledger as a paper, one tap from the ledgers page; its cards' names.
async function openLedgerPaper(page, title) {
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: '查看台账' }).click();
  await page.locator('.paper-links').getByRole('link', { name: title, exact: true }).click();
  await expect(page.locator('article.ledger-paper .paper-title')).toHaveText(title);
  return page.locator('article.ledger-paper .report-card .name').allTextContents();
}
const back = '张小明'; // confirmed, persuaded, back in class
const ill = '李小红'; // cleared: the days were an illness
const moved = '王小军'; // confirmed, then transferred with a receipt
const present = '赵小花'; // at school every day
const truants = [back, ill, moved];

// The ledgers page's two rates, as "numerator/denominator".
async function expectRates(page, dropout, returned) {
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: '查看台账' }).click();
  await expect(page.getByRole('heading', { name: '台账', level: 2 })).toBeVisible();
  await page.locator('select[name="class"]').selectOption({ label: '全部班级' });
  await expect(page.locator('[data-rate="dropout"] .rate-value')).toContainText(new RegExp(`^${dropout}（`));
  await expect(page.locator('[data-rate="returned"] .rate-value')).toContainText(new RegExp(`^${returned}（`));
}

async function ledgerNames(page, tab) {
  await page.getByRole('button', { name: tab, exact: true }).click();
  return page.locator('.ledger-list .ledger-name .name').allTextContents();
}

test('one child from three unexcused days to a return, one cleared as ill, one transferred', async ({ page, server }) => {
  test.setTimeout(240_000);
  await page.clock.install({ time: at('2026-09-16') });
  await page.goto(server.url);
  await fillFirstRun(page, { termStart: '2026-09-01', termEnd: '2027-01-22' });
  await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
  await addStudent(page, back, '男', '2013-05-02');
  await addStudent(page, ill, '女', '2013-08-19');
  await addStudent(page, moved, '男', '2013-11-30');
  await addStudent(page, present, '女', '2014-01-07');

  // The school's rules are on the settings page; a number out of range is refused beside it.
  await page.getByRole('link', { name: '设置', exact: true }).click();
  await page.getByRole('button', { name: '修改规则' }).click();
  await page.getByLabel('连续旷课几天视为疑似辍学').fill('0');
  await page.getByRole('button', { name: '保存规则' }).click();
  await expect(page.locator('.rules-form').getByText('请填写 1 到 30 之间的数')).toBeVisible();
  await page.getByLabel('连续旷课几天视为疑似辍学').fill('3');
  await page.getByLabel('复学后第几天首次回访').fill('7');
  await page.getByRole('button', { name: '保存规则' }).click();
  await expect(page.locator('.rules .figure').first()).toContainText('3');
  await page.screenshot({ path: path.join(shots, 'settings-rules-360.png'), fullPage: true });

  // Four children on the roll from the term's start, nobody out yet: 辍学率 0/4, and no
  // dropout to bring back: 劝返复学率 0/0.
  await expectRates(page, '0/4', '0/0');

  // The list of 无辍学班 before anyone is out: the one class, its four children, first place;
  // the same cells on the phone, in the workbook (read back by calamine) and on A4.
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: /^名单：无辍学班/ }).click();
  const classList = page.locator('article.class-list');
  await expect(classList.locator('[data-count="without-dropout"]')).toHaveText('无辍学班 1 个，共 1 个班');
  await expect(classList.locator('.report-card .name')).toHaveText(['七年级(2)班']);
  await expect(classList.locator('.report-card')).toContainText('本学期在籍人数4');
  await page.screenshot({ path: path.join(shots, 'class-list-360.png'), fullPage: true });
  const [classBook] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 Excel 表格' }).click(),
  ]);
  expect(classBook.suggestedFilename()).toBe('大井镇中学-无辍学班名单-2026-09-01.xlsx');
  const classSheet = readSheet(await classBook.path());
  expect(classSheet.rows[0][0]).toBe('大井镇中学 无辍学班名单');
  expect(classSheet.rows[2]).toEqual(['序号', '年级班级', '班主任', '本学期在籍人数', '出勤率', '量化评比名次']);
  expect(classSheet.rows[3].slice(0, 2)).toEqual(['初中', '无辍学班 1 个，共 1 个班']);
  expect(classSheet.rows[4].filter((_, column) => column !== 4)).toEqual(['1', '七年级(2)班', '李老师', '4', '1']);
  await printPaper(page, 'class-list', () => expect(classList.locator('table.report-table tbody tr')).toHaveCount(1));

  // Wednesday to Friday, 16–18 September: three unexcused days each.
  for (const day of ['2026-09-16', '2026-09-17', '2026-09-18']) {
    await goToDay(page, day);
    await markUnexcused(page, truants);
  }

  // Friday 18th's attendance papers, from the register handed in: the class's (应到 4, 实到 1,
  // 旷课 3, the three listed) and the school's (the class's line and the total), the same cells
  // on the phone, in the workbooks (read back by calamine) and on A4.
  await page.getByRole('link', { name: '班级出席日报表' }).click();
  const classDay = page.locator('article.class-day');
  await expect(classDay.locator('.paper-subtitle')).toHaveText('大井镇中学 · 七年级(2)班 · 2026-09-18');
  await expect(classDay.locator('.day-figures dd')).toHaveText(['4', '1', '0', '0', '0', '3', '0', '已交']);
  expect((await classDay.locator('.report-card .name').allTextContents()).sort()).toEqual([...truants].sort());
  await page.screenshot({ path: path.join(shots, 'class-day-360.png'), fullPage: true });
  const [classDayBook] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 Excel 表格' }).click(),
  ]);
  expect(classDayBook.suggestedFilename()).toBe('大井镇中学-七年级(2)班-班级出席日报表-2026-09-18.xlsx');
  const classDaySheet = readSheet(await classDayBook.path());
  expect(classDaySheet.rows[0][0]).toBe('大井镇中学 班级出席日报表');
  expect(classDaySheet.rows[2]).toEqual(['应到', '实到', '迟到', '病假', '事假', '旷课', '未点名', '日报']);
  expect(classDaySheet.rows[3]).toEqual(['4', '1', '0', '0', '0', '3', '0', '已交']);
  expect(classDaySheet.rows[5].slice(0, 3)).toEqual(['序号', '姓名', '情况']);
  const truantRows = classDaySheet.rows.slice(6, 9);
  expect(truantRows.map((row) => row[1]).sort()).toEqual([...truants].sort());
  expect(truantRows.map((row) => row[2])).toEqual(['旷课', '旷课', '旷课']);
  await printPaper(page, 'class-day', () => expect(classDay.locator('table.report-table tbody tr')).toHaveCount(3));

  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: '日报：教导处出席日统计表' }).click();
  const schoolDay = page.locator('article.school-day');
  await expect(schoolDay.locator('.day-figures dd')).toHaveText(['4', '1', '0', '0', '0', '3', '0']);
  await expect(schoolDay.locator('.report-card .name')).toHaveText(['七年级(2)班', '合计']);
  await page.screenshot({ path: path.join(shots, 'school-day-360.png'), fullPage: true });
  const [schoolDayBook] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 Excel 表格' }).click(),
  ]);
  const schoolDaySheet = readSheet(await schoolDayBook.path());
  expect(schoolDaySheet.rows[0][0]).toBe('大井镇中学 教导处出席日统计表');
  expect(schoolDaySheet.rows[2]).toEqual(
    ['序号', '年级班级', '班主任', '应到', '实到', '迟到', '病假', '事假', '旷课', '未点名', '出勤率', '日报'],
  );
  expect(schoolDaySheet.rows[3]).toEqual(['1', '七年级(2)班', '李老师', '4', '1', '0', '0', '0', '3', '0', '25.0%', '已交']);
  expect(schoolDaySheet.rows[4]).toEqual(['', '合计', '', '4', '1', '0', '0', '0', '3', '0', '25.0%', '1/1 个班已交']);
  await printPaper(page, 'school-day', () => expect(schoolDay.locator('table.report-table tbody tr')).toHaveCount(2));

  // Friday 18th: the three are on the suspected ledger and on 今天要做, due today.
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await expect(page.getByRole('heading', { name: '今天要做', level: 2 })).toBeVisible();
  for (const name of truants) {
    await expect(page.locator('.duty').filter({ hasText: name })).toContainText('上报疑似辍学');
  }
  await page.screenshot({ path: path.join(shots, 'today-360.png'), fullPage: true });
  await expectRates(page, '0/4', '0/0');
  expect((await ledgerNames(page, '疑似辍学台账')).sort()).toEqual([...truants].sort());
  await page.screenshot({ path: path.join(shots, 'ledger-suspected-360.png'), fullPage: true });
  // The same three on the 疑似辍学台账 as a paper, each with why and since when.
  expect((await openLedgerPaper(page, '疑似辍学台账')).sort()).toEqual([...truants].sort());
  const suspectedBook = await downloadBook(page);
  expect(suspectedBook.name).toBe('大井镇中学-疑似辍学台账-2026-09-18.xlsx');
  expect(suspectedBook.sheet.rows[2]).toEqual(
    ['序号', '姓名', '性别', '年龄', '年级班级', '学籍号', '家庭住址', '疑似情形', '发现日期'],
  );
  const suspectedRow = suspectedBook.sheet.rows.find((row) => row[1] === back);
  expect(suspectedRow.slice(2)).toEqual(['男', '13', '七年级(2)班', '', '石门村', '连续旷课 3 天', '2026-09-18']);
  await printPaper(page, 'suspected-ledger', () =>
    expect(page.locator('article.ledger-paper table.report-table tbody tr')).toHaveCount(3));

  // 李小红 was ill: cleared, her three days become 病假.
  await openChild(page, ill);
  await expect(page.getByText('疑似辍学：请确认辍学并立案，或排除')).toBeVisible();
  await page.getByRole('button', { name: '排除疑似' }).click();
  await page.getByLabel('生病（缺课改为病假）').check();
  await page.getByLabel('说明（如：医院证明）').fill('发烧住院，有县医院证明');
  await page.getByRole('button', { name: '确认排除' }).click();
  await expect(page.getByText('疑似辍学：请确认辍学并立案，或排除')).toHaveCount(0);

  // 张小明: confirmed with a case. A deadline in the past is refused beside its field, and
  // what was typed stays.
  await openChild(page, back);
  await page.getByRole('button', { name: '确认辍学，建立劝返方案' }).click();
  const confirm = page.locator('form.confirm-form');
  await expect(confirm.getByLabel('发现日期')).toHaveValue('2026-09-18');
  await confirm.getByLabel('厌学').check();
  await confirm.getByLabel('外出打工').check();
  await confirm.getByLabel('情况说明').fill('随父亲去昆明打工');
  await confirm.getByLabel('学校领导').fill('陈校长');
  await confirm.getByLabel('村干部').fill('石门村李主任');
  await confirm.getByLabel('劝返期限').fill('2026-09-10');
  await confirm.getByRole('button', { name: '保存并立案' }).click();
  await expect(confirm.getByText('期限已过：请定一个今天或以后的日期')).toBeVisible();
  await expect(confirm.getByLabel('情况说明')).toHaveValue('随父亲去昆明打工');
  await expect(confirm.getByLabel('厌学')).toBeChecked();
  await confirm.getByLabel('劝返期限').fill('2026-10-09');
  await page.screenshot({ path: path.join(shots, 'case-confirm-360.png'), fullPage: true });
  await confirm.getByRole('button', { name: '保存并立案' }).click();
  await expect(page.getByRole('heading', { name: '劝返复学方案（一人一案）' })).toBeVisible();
  await expect(page.locator('.case-plan')).toContainText('陈校长');
  // The same day's 辍学学生情况报告表, from what was just typed: nothing typed again.
  await page.getByRole('link', { name: '辍学学生情况报告表' }).click();
  const dropoutReport = page.locator('article.dropout-report');
  const line = (label) => dropoutReport.locator('dl > div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
  await expect(line('姓名')).toHaveText(back);
  await expect(line('辍学时间')).toHaveText('2026-09-18');
  await expect(line('原因')).toHaveText('厌学、外出打工');
  await expect(line('情况说明')).toHaveText('随父亲去昆明打工');
  await expect(line('承包老师/责任人')).toContainText('陈校长');
  await expect(line('劝返期限')).toHaveText('2026-10-09');
  await page.screenshot({ path: path.join(shots, 'dropout-report-360.png'), fullPage: true });
  const reportBook = await downloadBook(page);
  expect(reportBook.name).toBe(`大井镇中学-辍学学生情况报告表-${back}-2026-09-18.xlsx`);
  const reportCell = (label) => reportBook.sheet.rows.find((row) => row[0] === label)[1];
  expect([reportCell('姓名'), reportCell('性别'), reportCell('出生日期'), reportCell('家庭住址')])
    .toEqual([back, '男', '2013-05-02', '石门村']);
  expect([reportCell('原因'), reportCell('排查时间'), reportCell('目前状态')]).toEqual(['厌学、外出打工', '2026-09-18', '劝返中']);
  await printPaper(page, 'dropout-report', () => expect(dropoutReport.locator('table.report-form tr')).toHaveCount(19));
  await page.getByRole('link', { name: '‹ 返回学生页' }).click();
  await expect(page.getByRole('heading', { name: back, level: 2 })).toBeVisible();

  // 王小军: confirmed too (reason: other).
  await openChild(page, moved);
  await page.getByRole('button', { name: '确认辍学，建立劝返方案' }).click();
  await page.locator('form.confirm-form').getByLabel('其他', { exact: true }).check();
  await page.locator('form.confirm-form').getByRole('button', { name: '保存并立案' }).click();
  await expect(page.getByRole('heading', { name: '劝返复学方案（一人一案）' })).toBeVisible();

  // Two dropouts of four on the roll; two dropouts, none back.
  await expectRates(page, '2/4', '0/2');
  expect(await ledgerNames(page, '疑似辍学台账')).toEqual([]);
  expect((await ledgerNames(page, '辍学台账')).sort()).toEqual([back, moved].sort());
  await page.screenshot({ path: path.join(shots, 'ledger-dropouts-360.png'), fullPage: true });
  // The 辍学台账 as a paper: the two, with the 排查台账's reasons, date found and investigator.
  expect((await openLedgerPaper(page, '辍学台账')).sort()).toEqual([back, moved].sort());
  const dropoutBook = await downloadBook(page);
  expect(dropoutBook.sheet.rows[2]).toEqual([
    '序号', '姓名', '性别', '年龄', '年级班级', '学籍号', '家庭住址', '辍学时间', '原因', '排查时间', '排查人', '劝返情况',
  ]);
  const dropoutRow = dropoutBook.sheet.rows.find((row) => row[1] === back);
  expect(dropoutRow.slice(2, 10)).toEqual(['男', '13', '七年级(2)班', '', '石门村', '2026-09-18', '厌学、外出打工', '2026-09-18']);
  expect(dropoutRow[11]).toBe('劝返中');
  await page.screenshot({ path: path.join(shots, 'dropout-ledger-paper-360.png'), fullPage: true });
  await printPaper(page, 'dropout-ledger', () =>
    expect(page.locator('article.ledger-paper table.report-table tbody tr')).toHaveCount(2));

  // Three contacts on three days. A visit dated before the child was found is refused.
  await goToDay(page, '2026-09-19');
  await openChild(page, back);
  await page.getByRole('button', { name: '登记一次家访或电话' }).click();
  let form = page.locator('form.contact-form');
  await form.getByRole('button', { name: '保存记录' }).click();
  await expect(form.getByText('请选择联系方式')).toBeVisible();
  await form.getByLabel('日期', { exact: true }).fill('2026-09-15');
  await form.getByLabel('方式').selectOption({ label: '家访' });
  await form.getByLabel('接待人（如：父亲、祖母）').fill('祖母');
  await form.getByRole('button', { name: '保存记录' }).click();
  await expect(form.getByText('这次联系早于发现孩子辍学的日期，请检查日期')).toBeVisible();
  await expect(form.getByLabel('接待人（如：父亲、祖母）')).toHaveValue('祖母');
  await form.getByLabel('日期', { exact: true }).fill('2026-09-19');
  await form.getByLabel('结果').fill('祖母说孩子在昆明，答应打电话');
  await form.getByRole('button', { name: '保存记录' }).click();
  await expect(form).toHaveCount(0);
  await goToDay(page, '2026-09-22');
  await openChild(page, back);
  await logContact(page, { date: '2026-09-22', method: '家访', met: '父亲', outcome: '父亲不同意回校' });
  await goToDay(page, '2026-09-25');
  await openChild(page, back);
  await logContact(page, { date: '2026-09-25', method: '家访', met: '父亲', outcome: '仍不同意' });
  await expect(page.locator('.contact-count')).toHaveText('共联系 3 次，其中家访 3 次');
  await expect(page.locator('.notice-offer')).toContainText('已联系 3 次');

  // The notice, printed: its text names the child, the guardian, the deadline, its serial and
  // the law.
  await page.getByRole('button', { name: '出具《限期复学通知书》' }).click();
  const notice = page.locator('form.notice-form');
  await expect(notice.getByLabel('发文单位')).toHaveValue('大井镇人民政府');
  await expect(notice.getByLabel('文号')).toHaveValue('〔2026〕第001号');
  await notice.getByLabel('限期返校日期').fill('2026-10-08');
  await notice.getByRole('button', { name: '保存通知书' }).click();
  const paper = page.locator('article.paper');
  await expect(paper).toContainText('限期复学通知书');
  await expect(paper).toContainText('张建国（张小明的监护人）：');
  await expect(paper).toContainText('〔2026〕第001号');
  await expect(paper).toContainText('现责令你于2026年10月8日前送张小明返回大井镇中学复学');
  await expect(paper).toContainText('自2026年9月18日起未到校上学，学校已上门家访或电话联系3次');
  await expect(paper).toContainText('《中华人民共和国义务教育法》第五条');
  await expect(paper).toContainText('第五十八条');
  await expect(paper).toContainText('《中华人民共和国未成年人保护法》');
  await expect(paper).toContainText('大井镇人民政府');
  await page.screenshot({ path: path.join(shots, 'notice-360.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  const pdf = path.join(shots, 'notice.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  expect(fs.statSync(pdf).size).toBeGreaterThan(1000);
  try {
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(shots, 'notice-pdf')]);
  } catch (error) {
    // The PDF is kept; its pictures are a convenience for looking at it.
  }

  // 28th: 王小军's receipt from the receiving school takes him off the dropout ledger.
  await goToDay(page, '2026-09-28');
  // 动态销号 without evidence is refused beside the field.
  await openChild(page, moved);
  await page.getByRole('button', { name: '其他原因销号（转学、送教上门、免学等）' }).click();
  const closing = page.locator('form.closing-form');
  await closing.getByLabel('销号原因').selectOption({ label: '转学（已收到回执）' });
  await closing.getByRole('button', { name: '保存并结案' }).click();
  await expect(closing.getByText('销号须写明依据（动态销号）')).toBeVisible();
  await closing.getByLabel('接收学校及回执（哪所学校、何时收到）').fill('回执：昆明市五华区某中学，2026-09-27');
  await closing.getByRole('button', { name: '保存并结案' }).click();
  await expect(closing).toHaveCount(0);
  await expect(page.locator('ol.timeline')).toContainText('回执：昆明市五华区某中学');
  await expect(page.locator('.case-plan')).toContainText('已结案');
  // He dropped out in the term and was not brought back: still 2/4 and 0/2.
  await expectRates(page, '2/4', '0/2');
  expect(await ledgerNames(page, '辍学台账')).toEqual([back]);
  expect(await ledgerNames(page, '本月销号')).toEqual([moved]);

  // 29th: 张小明 is back. A return dated before the case was opened is refused.
  await goToDay(page, '2026-09-29');
  await openChild(page, back);
  await page.getByRole('button', { name: '登记复学' }).click();
  const back_form = page.locator('form.return-form');
  await back_form.getByLabel('复学日期').fill('2026-09-17');
  await back_form.getByLabel('补课与帮扶计划').fill('数学、语文每周补课两次');
  await back_form.getByRole('button', { name: '保存复学' }).click();
  await expect(back_form.getByText('复学日期早于立案日期，请检查日期')).toBeVisible();
  await expect(back_form.getByLabel('补课与帮扶计划')).toHaveValue('数学、语文每周补课两次');
  await back_form.getByLabel('复学日期').fill('2026-09-29');
  await back_form.getByRole('button', { name: '保存复学' }).click();
  await expect(page.locator('.placements')).toContainText('2026-09-29 复学，编入 七年级(2)班');
  // One of the two dropouts is back: 1/2; the dropout rate keeps both: 2/4.
  await expectRates(page, '2/4', '1/2');
  expect(await ledgerNames(page, '辍学台账')).toEqual([]);
  expect((await ledgerNames(page, '本月销号')).sort()).toEqual([back, moved].sort());
  // The head teacher's home visits this term against the quota of 15.
  await expect(page.locator('.visit-row')).toHaveText(['李老师：3/15']);
  await page.locator('[data-rate="returned"] summary').click();
  await expect(page.locator('[data-rate="returned"] .rate-children')).toHaveText(back);
  await page.screenshot({ path: path.join(shots, 'ledger-figures-360.png'), fullPage: true });
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('[data-rate="returned"] .rate-value')).toContainText('1 of 2');
  await page.screenshot({ path: path.join(shots, 'ledger-figures-en-360.png'), fullPage: true });
  await page.getByRole('link', { name: 'Roster', exact: true }).click();
  await page.getByRole('link', { name: new RegExp(back) }).first().click();
  await expect(page.getByRole('heading', { name: 'Return plan (one per child)' })).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'case-en-360.png'), fullPage: true });
  await page.getByRole('button', { name: '中文' }).click();
  // The 复学学生名单 of the term: 张小明 only (王小军 left by a transfer, no return).
  expect(await openLedgerPaper(page, '复学学生名单')).toEqual([back]);
  const returnedBook = await downloadBook(page);
  expect(returnedBook.sheet.rows[2]).toEqual(['序号', '姓名', '性别', '年级班级', '辍学时间', '复学时间', '依据']);
  expect(returnedBook.sheet.rows[3].slice(0, 6)).toEqual(['1', back, '男', '七年级(2)班', '2026-09-18', '2026-09-29']);
  await printPaper(page, 'returned-list', () =>
    expect(page.locator('article.ledger-paper table.report-table tbody tr')).toHaveCount(1));

  // A week later the follow-up check comes due on 今天要做, one tap from the child.
  await goToDay(page, '2026-10-06');
  await page.getByRole('link', { name: '今天', exact: true }).click();
  const check = page.locator('.duty').filter({ hasText: back });
  await expect(check).toContainText('复学后跟踪回访');
  await check.click();
  await expect(page.getByRole('heading', { name: back, level: 2 })).toBeVisible();
  await expect(page.locator('.checks .check.due')).toHaveText('2026-10-06 应回访');
  await page.getByRole('button', { name: '登记回访' }).click();
  await page.locator('form.follow-up-form').getByLabel('说明').fill('按时到校，作业能完成');
  await page.locator('form.follow-up-form').getByRole('button', { name: '保存回访' }).click();
  await expect(page.locator('.follow-ups')).toContainText('正常在校');
  await expect(page.locator('.checks .check.done')).toHaveText('2026-10-06 已回访');
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await expect(page.locator('.duty').filter({ hasText: back })).toHaveCount(0);
  await openChild(page, back);
  await page.screenshot({ path: path.join(shots, 'case-360.png'), fullPage: true });

  // Everything survives a reload: the case, the contacts, the ledgers and the figures.
  await page.reload();
  await expectRates(page, '2/4', '1/2');

  // The school dashboard says what the ledgers say: the same two rates, the same visits; the
  // one class has had a dropout, so it is not a 无辍学班.
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: /^全校统计/ }).click();
  await expect(page.getByRole('heading', { name: '学校统计', level: 2 })).toBeVisible();
  await expect(page.locator('[data-rate="dropout"] .rate-value')).toContainText(/^2\/4（/);
  await expect(page.locator('[data-rate="returned"] .rate-value')).toContainText(/^1\/2（/);
  await expect(page.locator('[data-rate="without-dropout"] .rate-value')).toContainText(/^0\/1（/);
  await expect(page.locator('.visit-row')).toHaveText(['李老师：3/15']);
  await page.locator('[data-rate="dropout"] summary').click();
  await expect(page.locator('[data-rate="dropout"] .rate-children li')).toHaveText([back, moved].sort());
  await expect(page.locator('table.ranking tbody tr')).toHaveCount(1);
  await expect(page.locator('[data-chart="monthly-dropout"] .chart-values')).toContainText('2026/9 2');
  await page.screenshot({ path: path.join(shots, 'dashboard-360.png'), fullPage: true });
  // One tap on 无辍学班: the list says what the dashboard says, no class now.
  await page.locator('[data-rate="without-dropout"] a').click();
  await expect(classList.locator('[data-count="without-dropout"]')).toHaveText('无辍学班 0 个，共 1 个班');
  await expect(classList).toContainText('本学段没有无辍学班。');
  await expect(classList.locator('.report-card')).toHaveCount(0);

  // The 家访登记表: the three home visits to the child, in date order, and the quota line the
  // dashboard shows; the same cells in the CSV and on A4.
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: /^登记表：家访登记表/ }).click();
  const visits = page.locator('article.visit-register');
  await expect(visits.locator('.report-card .name')).toHaveText([back, back, back]);
  await expect(visits.locator('.report-card').nth(1)).toContainText('家访日期2026-09-22');
  await expect(visits.locator('.report-card').nth(1)).toContainText('家访结果父亲不同意回校');
  await expect(visits.locator('.visit-row')).toHaveText(['李老师：3/15']);
  await page.screenshot({ path: path.join(shots, 'visit-register-360.png'), fullPage: true });
  const [visitCsv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 CSV 表格' }).click(),
  ]);
  expect(visitCsv.suggestedFilename()).toBe('大井镇中学-家访登记表-2026-09-01.csv');
  const visitLines = fs.readFileSync(await visitCsv.path(), 'utf8').slice(1).split('\r\n');
  expect(visitLines[2]).toBe('序号,家访日期,姓名,年级班级,家访人,接待人,家长意见,家访结果,下一步');
  const visitRows = visitLines.slice(3, 6).map((line) => line.split(','));
  expect(visitRows.map((row) => [row[0], row[2], row[3]])).toEqual([
    ['1', back, '七年级(2)班'],
    ['2', back, '七年级(2)班'],
    ['3', back, '七年级(2)班'],
  ]);
  expect(visitRows.map((row) => row[1])).toEqual([...visitRows.map((row) => row[1])].sort());
  expect(visitRows[1].slice(1, 2).concat(visitRows[1].slice(5, 6), visitRows[1].slice(7, 8))).toEqual([
    '2026-09-22',
    '父亲',
    '父亲不同意回校',
  ]);
  expect(visitLines).toContain('李老师：3/15');
  await printPaper(page, 'visit-register', () => expect(visits.locator('table.report-table tbody tr')).toHaveCount(3));

  // September's 学校辍学月报表: both confirmed children, how each left, and the totals the
  // dashboard and the ledgers gave; the same cells on the phone, on A4 and in the CSV.
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: /^月报表/ }).click();
  await expect(page.locator('.month-picker h3')).toHaveText('2026-10');
  await page.getByRole('button', { name: '上个月' }).click();
  await expect(page.locator('.month-picker h3')).toHaveText('2026-09');
  const report = page.locator('article.report-paper');
  await expect(report.locator('.report-card .name')).toHaveText([back, moved]);
  await expect(report.locator('.report-card').first()).toContainText('2026-09-29 复学');
  await expect(report.locator('.report-card').nth(1)).toContainText('转学（已收到回执）');
  await expect(report.locator('.report-totals')).toContainText('初中辍学率2/4（50.00%）');
  await expect(report.locator('.report-totals')).toContainText('本月复学人数1');
  await expect(report.locator('.report-totals')).toContainText('本月其他销号人数1');
  await page.screenshot({ path: path.join(shots, 'monthly-report-360.png'), fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 CSV 表格' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('大井镇中学-学校辍学月报表-2026-09.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).split('\r\n');
  expect(lines[2]).toBe('学校,年级班级,姓名,性别,学籍号,辍学时间,原因,去向,承包老师/责任人,劝返情况,处理措施');
  expect(lines[3].split(',').slice(0, 3)).toEqual(['大井镇中学', '七年级(2)班', back]);
  expect(lines.filter((line) => line.startsWith('大井镇中学,'))).toHaveLength(2);
  expect(lines).toContain('初中辍学率,2/4（50.00%）');
  // The same paper as XLSX, written by the import module and read back by calamine.
  const [workbook] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 Excel 表格' }).click(),
  ]);
  expect(workbook.suggestedFilename()).toBe('大井镇中学-学校辍学月报表-2026-09.xlsx');
  const sheet = readSheet(await workbook.path());
  expect(sheet.sheet).toBe('学校辍学月报表2026-09');
  expect(sheet.rows[2]).toEqual(lines[2].split(','));
  const children = sheet.rows.filter((row) => row[0] === '大井镇中学');
  expect(children.map((row) => [row[2], row[5], row[9]])).toEqual([
    [back, '2026-09-18', '2026-09-29 复学'],
    [moved, '2026-09-18', '2026-09-28 转学（已收到回执）'],
  ]);
  expect(sheet.rows).toContainEqual(['初中辍学率', '2/4（50.00%）', ...Array(sheet.rows[2].length - 2).fill('')]);
  expect(sheet.rows.find((row) => row[0] === '本月复学人数')[1]).toBe('1');
  await printPaper(page, 'monthly-report');
});
