// A head teacher sets up a phone for 五年级(1)班 and imports the class as the 学籍 system
// exported it (XLSX): nothing is saved until 确认导入, and then the roster shows the students,
// each on the roll from the import. Importing the same file again, or the school's own 花名册
// (a GBK CSV with three bad rows, read offline by the module the phone keeps), adds nobody and
// lists every bad row by its row number. A photo picked by mistake is refused and changes
// nothing. Everything is still there after a reload.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { openUntilWorkerControls } = require('../service_worker');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const shots = path.join(__dirname, '../artifacts');
const repo = path.join(__dirname, '../..');
const photo = { name: 'photo.png', mimeType: 'image/png', buffer: fs.readFileSync(path.join(repo, 'public/icons/icon-192.png')) };

// The generator's class-sized school: one class, 五年级(1)班. The 学籍 export (XLSX) lists
// every child; the 花名册 (CSV, UTF-8 and GBK) has three rows spoilt on purpose.
function generateFiles() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'baoxue-roster-'));
  execFileSync('cargo', ['run', '-q', '-p', 'baoxue-datagen', '--', '--seed', '7', '--size', 'class', '--bad-rows', '3', '--out', out],
    { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  const lines = fs.readFileSync(path.join(out, 'roster-utf8.csv'), 'utf8').trim().split('\n');
  return {
    out,
    xlsx: path.join(out, 'roster.xlsx'),
    gbk: path.join(out, 'roster-gbk.csv'),
    students: summary.summary.students,
    badLines: summary.bad_rows.map((bad) => bad.line),
    // One header line; every other line is a student.
    goodInCsv: lines.length - 1 - summary.bad_rows.length,
  };
}

const find = {
  // A count of the preview ("12" above "新增").
  figure: (page, label) => page.getByText(label, { exact: true }).locator('xpath=preceding-sibling::span'),
  studentCount: (page) => page.getByText(/^\d+ 名学生$/),
};

const act = {
  async setUp(page) {
    await fillFirstRun(page, {
      county: '临泉县', town: '岩源乡', school: '岩源乡中心学校', grade: '5', className: '五年级(1)班',
    });
    await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
  },
  async openImport(page) {
    await page.getByRole('link', { name: '导入花名册' }).click();
    await expect(page.getByRole('heading', { name: '导入花名册', level: 2 })).toBeVisible();
  },
  async pick(page, file) {
    await page.getByLabel(/选择文件|换一个文件/).setInputFiles(file);
  },
};

const check = {
  async preview(page, { added, unchanged }) {
    await expect(find.figure(page, '新增')).toHaveText(String(added));
    await expect(find.figure(page, '无变化')).toHaveText(String(unchanged));
  },
  async badRowsListed(page, lines) {
    await expect(page.getByText(`${lines.length} 行有问题，不会导入`)).toBeVisible();
    for (const line of lines) {
      await expect(page.getByText(`第 ${line} 行`, { exact: true }).first()).toBeVisible();
    }
  },
  async rosterShows(page, count) {
    await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
    await expect(find.studentCount(page)).toHaveText(`${count} 名学生`);
  },
};

test('a class roster imports once, with its bad rows named, and never twice', async ({ page, server }) => {
  test.setTimeout(240_000);
  const files = generateFiles();
  try {
    await openUntilWorkerControls(page, server.url);
    await act.setUp(page);
    await check.rosterShows(page, 0);

    // The 学籍 export: every child is new.
    await act.openImport(page);
    await act.pick(page, files.xlsx);
    await check.preview(page, { added: files.students, unchanged: 0 });
    await expect(page.getByText(/行有问题/)).toHaveCount(0);
    await page.screenshot({ path: path.join(shots, 'import-preview-xlsx-360.png') });

    // Nothing is written before the confirmation.
    await page.getByRole('link', { name: '花名册', exact: true }).click();
    await check.rosterShows(page, 0);
    await act.openImport(page);
    await act.pick(page, files.xlsx);
    await check.preview(page, { added: files.students, unchanged: 0 });
    await page.getByRole('button', { name: '确认导入' }).click();
    await check.rosterShows(page, files.students);

    // Each imported child is on the roll from the import: an 在读 event says so.
    await page.getByRole('main').getByRole('list').getByRole('link').first().click();
    await expect(page.getByText('名册导入 (roster import)')).toBeVisible();
    await page.getByRole('link', { name: '花名册', exact: true }).click();

    // The same file again: nobody new, nothing to write.
    await act.openImport(page);
    await act.pick(page, files.xlsx);
    await check.preview(page, { added: 0, unchanged: files.students });
    await expect(page.getByText('文件中的学生都已在花名册上，信息没有变化。')).toBeVisible();
    await expect(page.getByRole('button', { name: '确认导入' })).toHaveCount(0);

    // The school's own 花名册 in GBK, with no signal: the import module comes from the phone,
    // the same children are matched, and the bad rows are named by the rows Excel shows.
    await page.context().setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { name: '导入花名册', level: 2 })).toBeVisible();
    await act.pick(page, files.gbk);
    await check.preview(page, { added: 0, unchanged: files.goodInCsv });
    await check.badRowsListed(page, files.badLines);
    await expect(page.getByText('年级「十年级」')).toBeVisible();
    await expect(page.getByText(/科学计数法/)).toBeVisible();
    await page.screenshot({ path: path.join(shots, 'import-preview-bad-rows-360.png') });
    await page.screenshot({ path: path.join(shots, 'import-preview-bad-rows-full-360.png'), fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByText(`${files.badLines.length} rows have problems and will not be imported`)).toBeVisible();
    await page.screenshot({ path: path.join(shots, 'import-preview-bad-rows-en-360.png'), fullPage: true });
    await page.getByRole('button', { name: '中文' }).click();
    await page.context().setOffline(false);

    // A photo picked by mistake: refused in words, nothing changed.
    await act.pick(page, photo);
    await expect(page.getByRole('alert')).toContainText('这不是花名册：请选择 Excel (.xlsx) 或 CSV 文件。');
    await expect(page.getByRole('alert')).toContainText('本机的记录没有改变。');
    await page.screenshot({ path: path.join(shots, 'import-refused-360.png') });
    await page.getByRole('link', { name: '花名册', exact: true }).click();
    await check.rosterShows(page, files.students);

    await page.reload();
    await check.rosterShows(page, files.students);
  } finally {
    fs.rmSync(files.out, { recursive: true, force: true });
  }
});

// A child of the imported class left before the import: the 转出 is entered afterwards, dated
// on the day it happened, and counts from that day, not from the import.
test('a transfer dated before the import takes effect on its date', async ({ page, server }) => {
  test.setTimeout(180_000);
  const files = generateFiles();
  try {
    await page.goto(server.url);
    await act.setUp(page);
    await act.openImport(page);
    await act.pick(page, files.xlsx);
    await page.getByRole('button', { name: '确认导入' }).click();
    await check.rosterShows(page, files.students);

    const child = page.getByRole('main').getByRole('list').getByRole('link').first();
    const name = (await child.locator('.name').textContent()).trim();
    await child.click();
    const threeDaysAgo = await page.evaluate(() => {
      const date = new Date(Date.now() - 3 * 86_400_000);
      const pad = (value) => String(value).padStart(2, '0');
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    });
    await page.getByRole('button', { name: '记录状态变化' }).click();
    await page.getByLabel('新状态').selectOption({ label: '转出（已回执）' });
    await page.getByLabel('日期').fill(threeDaysAgo);
    await page.getByLabel('依据').fill('城关二中回执');
    await page.getByRole('button', { name: '保存状态' }).click();
    await expect(page.locator('.student-head .status'), 'the transfer counts from its date').toHaveText('转出（已回执）');

    // Off today's register.
    await page.getByRole('link', { name: '考勤', exact: true }).click();
    await expect(page.getByRole('heading', { name: '班级出席日报', level: 2 })).toBeVisible();
    await expect(page.getByRole('list').getByRole('button', { name: new RegExp(name) })).toHaveCount(0);
  } finally {
    fs.rmSync(files.out, { recursive: true, force: true });
  }
});
