// The cross-check (四查三比对): a resident list (户籍) imported on the phone and matched against
// the roll. One child is on the roll by his ID number (under another spelling of his name),
// one only by name and birth date (a person decides), one is on no roll (possibly out of
// school), one row is bad. Accepting the uncertain child gives 巩固率 2/3; importing the same
// list again and rejecting it gives 1/3 with no child counted twice, and the child on no roll is
// put on the suspected ledger in the same save (still out of the numerator); a file with no birth-date
// column is refused by name and changes nothing. The 适龄儿童台账 shows each child and where
// they are, on the phone, in its workbook (calamine) and on A4.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { at, addStudent } = require('../casework');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

test.use({ timezoneId: 'Asia/Shanghai' });

const shots = path.join(__dirname, '../artifacts');
const id = '520102201305021234'; // 张小明's, with its check digit

const list = Buffer.from(
  [
    '\ufeff大井镇中学服务区适龄儿童户籍名单',
    '序号,姓名,性别,出生日期,公民身份号码,户籍地址',
    `1,张晓明,男,20130502,${id},大井镇石门村3组`,
    '2,李小红,女,2013-08-19,,石门村',
    '3,赵小花,女,2014.1.7,,石门村',
    '4,钱多多,男,2013-13-01,,石门村',
  ].join('\r\n'),
);

async function openCrossCheck(page) {
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: '查看台账' }).click();
  await page.getByRole('link', { name: '比对：户籍名单' }).click();
  await expect(page.getByRole('heading', { name: '户籍比对（四查三比对）' })).toBeVisible();
}

async function pick(page, name, buffer) {
  await page.locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer });
}

async function consolidationOnDashboard(page) {
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: /^全校统计/ }).click();
  return page.locator('[data-rate="consolidation"] .rate-value');
}

test('a resident list is matched against the roll, decided by a person, and gives the 巩固率', async ({ page, server }) => {
  test.setTimeout(120_000);
  await page.clock.install({ time: at('2026-10-14') });
  await page.goto(server.url);
  await fillFirstRun(page, { termStart: '2026-09-01', termEnd: '2027-01-22' });
  await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
  // 张小明 with his ID number; 李小红 and 王小军 without.
  await page.getByRole('link', { name: '添加学生' }).click();
  await page.getByLabel('姓名').fill('张小明');
  await page.getByLabel('性别').selectOption({ label: '男' });
  await page.getByLabel('出生日期').fill('2013-05-02');
  await page.getByLabel('身份证件号').fill(id);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('heading', { name: '张小明', level: 2 })).toBeVisible();
  await addStudent(page, '李小红', '女', '2013-08-19');
  await addStudent(page, '王小军', '男', '2013-11-30');

  // No list yet: the dashboard says where the rate comes from.
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: /^全校统计/ }).click();
  await expect(page.getByText('义务教育巩固率：导入户籍名单后计算。')).toBeVisible();

  await openCrossCheck(page);
  await pick(page, '户籍名单.csv', list);
  await expect(page.locator('.crosscheck-summary')).toHaveText(
    '名单共 3 人：在学籍 1 人，待确认 1 人，可能失学 1 人。',
  );
  await expect(page.getByText('1 行有问题，未读入：')).toBeVisible();
  await expect(page.locator('.list').first()).toContainText('第 6 行');
  await expect(page.locator('.missing-list .missing-line')).toHaveText(['赵小花 · 女 · 2014-01-07 · 石门村']);
  await page.locator('.on-roll-list summary').click();
  await expect(page.locator('.on-roll-list li')).toHaveText(['张晓明 → 张小明（七年级(2)班，2013-05-02）']);
  // Nothing is saved while a child is undecided.
  const save = page.getByRole('button', { name: '保存名单' });
  await expect(save).toBeDisabled();
  await expect(page.getByText('还有 1 人待确认。')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'crosscheck-360.png'), fullPage: true });
  await page.getByRole('button', { name: '是同一人：李小红（七年级(2)班，2013-08-19）' }).click();
  await save.click();
  await expect(page.getByText('已保存 3 名适龄儿童。')).toBeVisible();
  await expect(page.locator('[data-rate="consolidation"] .rate-value')).toHaveText('2/3（66.67%）');

  // The 适龄儿童台账: the three, where each is, and the rate; its workbook read by calamine.
  await page.getByRole('link', { name: '适龄儿童台账' }).click();
  const ledger = page.locator('article.ledger-paper');
  await expect(ledger.locator('.paper-subtitle')).toContainText('义务教育巩固率 2/3（66.67%）');
  await expect(ledger.locator('.report-card .name')).toHaveText(['张晓明', '李小红', '赵小花']);
  await page.screenshot({ path: path.join(shots, 'age-ledger-360.png'), fullPage: true });
  const [book] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载 Excel 表格' }).click(),
  ]);
  const sheet = JSON.parse(execFileSync(process.env.BAOXUE_XTASK_BIN, ['sheet', await book.path()], { encoding: 'utf8' }));
  expect(sheet.rows[2]).toEqual(['序号', '姓名', '性别', '年龄', '村', '学籍所在学校、班级', '就学情况']);
  expect(sheet.rows.find((row) => row[1] === '赵小花').slice(2)).toEqual(['女', '12', '石门村', '', '不在学籍（可能失学）']);
  expect(sheet.rows.find((row) => row[1] === '张晓明').slice(5)).toEqual(['大井镇中学 七年级(2)班', '在读']);
  await page.emulateMedia({ media: 'print' });
  await expect(ledger.locator('table.report-table tbody tr')).toHaveCount(3);
  await page.pdf({ path: path.join(shots, 'age-ledger.pdf'), preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  await expect(await consolidationOnDashboard(page)).toHaveText('2/3（66.67%）');

  // The same list again; this time 李小红 is another child of the same name and birthday.
  await openCrossCheck(page);
  await pick(page, '户籍名单.csv', list);
  // 赵小花, on no roll, goes onto the suspected ledger in the same save (into the phone's
  // class): a new row there; until she is checked she stays out of the rate's numerator.
  await page.getByRole('button', { name: '不是同一人' }).click();
  await page.locator('.missing-child').getByRole('button', { name: '列入疑似辍学台账' }).click();
  await expect(page.locator('.missing-child select')).toHaveValue('0');
  await page.getByRole('button', { name: '保存名单' }).click();
  await expect(page.locator('[data-rate="consolidation"] .rate-value')).toHaveText('1/3（33.33%）');
  await expect(await consolidationOnDashboard(page)).toHaveText('1/3（33.33%）');
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: '查看台账' }).click();
  await page.getByRole('button', { name: '疑似辍学台账', exact: true }).click();
  await expect(page.locator('.ledger-list .ledger-name .name')).toHaveText(['赵小花']);
  await expect(page.locator('.ledger-list')).toContainText('已上报疑似辍学');
  await page.locator('.paper-links').getByRole('link', { name: '适龄儿童台账', exact: true }).click();
  await expect(page.locator('article.ledger-paper .report-card').filter({ hasText: '赵小花' })).toContainText('疑似辍学');

  // A list with no birth-date column is refused by name; nothing changes.
  await openCrossCheck(page);
  await pick(page, '名单.csv', Buffer.from('姓名,性别,户籍地址\r\n张晓明,男,石门村\r\n'));
  await expect(page.getByRole('alert')).toContainText('表头（第 1 行）缺少“出生日期”列');
  await expect(await consolidationOnDashboard(page)).toHaveText('1/3（33.33%）');
});
