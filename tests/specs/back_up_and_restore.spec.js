// A head teacher sets up a phone, adds a child, checks on the settings screen how safe the data
// is and exports a backup file. A new phone (a new browser context, nothing stored) restores
// that file from the first-run screen and shows the same school, class and roster. A broken
// file is refused with a clear message and changes nothing, on either phone.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const fs = require('node:fs');
const path = require('node:path');

const shots = path.join(__dirname, '../artifacts');
const child = '王小燕';
const broken = { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"baoxue-backup","muta') };
const badFileMessage = '这个文件不是保学的备份，或已损坏。本机的记录没有改变。';
// The same phone as playwright.config.js, for the second context this test opens itself.
const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

const find = {
  // The value shown beside a label on the settings screen ("已用存储  2.3 MB / 1.2 GB").
  figure: (page, label) => page.getByText(label, { exact: true }).locator('xpath=following-sibling::strong'),
  fileInput: (page, label) => page.getByLabel(label, { exact: true }),
};

const act = {
  async setUp(page) {
    await fillFirstRun(page);
    await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
  },
  async addStudent(page, name) {
    await page.getByRole('link', { name: '添加学生' }).click();
    await page.getByLabel('姓名').fill(name);
    await page.getByLabel('性别').selectOption({ label: '女' });
    await page.getByLabel('出生日期').fill('20140315');
    await page.getByLabel('村').fill('石门村');
    await page.getByLabel('监护人').fill('王建国');
    await page.getByLabel('电话').fill('13800001234');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  },
  async openSettings(page) {
    await page.getByRole('link', { name: '设置' }).click();
    await expect(page.getByRole('heading', { name: '设置', level: 2 })).toBeVisible();
  },
  async exportBackup(page, testInfo) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出备份' }).click(),
    ]);
    const file = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(file);
    return { name: download.suggestedFilename(), file };
  },
};

const check = {
  async storageShown(page) {
    await expect(find.figure(page, '已用存储')).toHaveText(/^\d+(\.\d)? (B|KB|MB|GB) \/ \d+(\.\d)? (KB|MB|GB|TB)$/);
    await expect(find.figure(page, '持久存储')).toHaveText(/^(是|否)$/);
    const persistent = (await find.figure(page, '持久存储').textContent()) === '是';
    if (persistent) {
      await expect(page.getByText('手机空间不足时，浏览器也不会清除本机的记录。')).toBeVisible();
    } else {
      await expect(page.getByText('手机空间不足时，浏览器可能清除本机的记录。请常导出备份。')).toBeVisible();
      await expect(page.getByRole('button', { name: '再次申请持久存储' })).toBeVisible();
    }
  },
  async profileShown(page, school, className, teacher) {
    await expect(find.figure(page, '学校')).toHaveText(school);
    await expect(find.figure(page, '班级')).toHaveText(className);
    await expect(find.figure(page, '班主任')).toHaveText(teacher);
  },
  backupHolds(file) {
    const backup = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(backup.format).toBe('baoxue-backup');
    expect(backup.profile.teacher).toBe('李老师');
    const changes = backup.mutations.map((mutation) => mutation.change);
    expect(changes.find((change) => change.PutCounty)?.PutCounty.name).toBe('会泽县');
    expect(changes.find((change) => change.PutTown)?.PutTown.name).toBe('大井镇');
    expect(changes.find((change) => change.PutSchool)?.PutSchool.name).toBe('大井镇中学');
    expect(changes.find((change) => change.PutClass)?.PutClass.name).toBe('七年级(2)班');
    expect(changes.find((change) => change.SetTerm)).toBeTruthy();
    expect(changes.find((change) => change.PutStudent)?.PutStudent.name).toBe(child);
    return backup;
  },
};

test('a backup exported on one phone restores school, class and roster on a new phone', async ({ page, server, browser }, testInfo) => {
  // The old phone.
  await page.goto(server.url);
  await act.setUp(page);
  await act.addStudent(page, child);
  await act.openSettings(page);
  await check.storageShown(page);
  await check.profileShown(page, '大井镇中学', '七年级(2)班', '李老师');
  const unsent = await find.figure(page, '未同步的更改').textContent();
  expect(Number(unsent)).toBeGreaterThanOrEqual(6);
  await page.screenshot({ path: path.join(shots, 'settings-360.png') });
  await page.screenshot({ path: path.join(shots, 'settings-360-full.png'), fullPage: true });

  const { name, file } = await act.exportBackup(page, testInfo);
  expect(name).toMatch(/^baoxue-backup-大井镇中学-\d{4}-\d{2}-\d{2}\.json$/);
  await expect(page.getByText('备份已导出')).toBeVisible();
  const backup = check.backupHolds(file);

  // A broken file on the old phone: refused, nothing added.
  await find.fileInput(page, '导入备份').setInputFiles(broken);
  await expect(page.getByRole('alert')).toHaveText(badFileMessage);
  await expect(find.figure(page, '未同步的更改')).toHaveText(unsent);
  await page.screenshot({ path: path.join(shots, 'settings-bad-file-360.png') });

  // The new phone: nothing stored, the first-run screen offers to restore.
  const newPhone = await browser.newContext(phone);
  try {
    const fresh = await newPhone.newPage();
    await fresh.goto(server.url);
    await expect(fresh.getByRole('heading', { name: '开始使用' })).toBeVisible();
    await expect(fresh.getByText('换了新手机，或本机的记录不见了？')).toBeVisible();
    await fresh.screenshot({ path: path.join(shots, 'setup-restore-360.png') });

    await find.fileInput(fresh, '从备份恢复').setInputFiles(broken);
    await expect(fresh.getByRole('alert')).toHaveText(badFileMessage);
    await expect(fresh.getByRole('heading', { name: '开始使用' })).toBeVisible();
    await expect(fresh.getByRole('link', { name: '设置' })).toHaveCount(0);

    await find.fileInput(fresh, '从备份恢复').setInputFiles(file);
    await expect(fresh.getByRole('heading', { name: '花名册' })).toBeVisible();
    await expect(fresh.getByRole('link', { name: new RegExp(child) })).toBeVisible();
    await act.openSettings(fresh);
    await check.profileShown(fresh, '大井镇中学', '七年级(2)班', '李老师');

    // Importing the same file again adds nothing.
    await find.fileInput(fresh, '导入备份').setInputFiles(file);
    await expect(fresh.getByRole('status')).toHaveText(`已导入：文件中 ${backup.mutations.length} 条，新增 0 条`);

    // Still there after a reload: read back from the new phone's storage.
    await fresh.reload();
    await expect(fresh.getByRole('heading', { name: '设置', level: 2 })).toBeVisible();
    await check.profileShown(fresh, '大井镇中学', '七年级(2)班', '李老师');
    await fresh.getByRole('link', { name: '花名册' }).click();
    await expect(fresh.getByRole('link', { name: new RegExp(child) })).toBeVisible();
  } finally {
    await newPhone.close();
  }
});

test('the head teacher renames the class and themself, and switches the language on settings', async ({ page, server }) => {
  await page.goto(server.url);
  await act.setUp(page);
  await act.openSettings(page);
  await page.getByRole('button', { name: '修改班主任或班级' }).click();
  await page.getByLabel('班主任', { exact: true }).fill('李明');
  // A name of another grade is another class: refused, in words.
  await page.getByLabel('班级', { exact: true }).fill('八年级(2)班');
  await page.getByRole('button', { name: '保存修改' }).click();
  await expect(page.getByRole('alert')).toHaveText('班名的年级与本班的年级不同：这里只能改班号，如填 3');
  await page.getByLabel('班级', { exact: true }).fill('七年级(3)班');
  await page.getByRole('button', { name: '保存修改' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存');
  await check.profileShown(page, '大井镇中学', '七年级(3)班', '李明');

  // An empty name is refused and nothing changes.
  await page.getByRole('button', { name: '修改班主任或班级' }).click();
  await expect(page.getByLabel('班级', { exact: true })).toHaveValue('七年级(3)班');
  await page.getByLabel('班主任', { exact: true }).fill(' ');
  await page.getByRole('button', { name: '保存修改' }).click();
  await expect(page.getByRole('alert')).toHaveText('请填写班主任和班级');
  await expect(find.figure(page, '班主任')).toHaveText('李明');
  await page.screenshot({ path: path.join(shots, 'settings-edit-error-360.png'), fullPage: true });
  await page.getByRole('button', { name: '取消' }).click();

  await page.reload();
  await expect(page.getByRole('heading', { name: '设置', level: 2 })).toBeVisible();
  await check.profileShown(page, '大井镇中学', '七年级(3)班', '李明');

  await page.getByRole('main').getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
  await expect(page.getByText('Storage used')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'settings-en-360.png'), fullPage: true });
  await page.getByRole('main').getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '设置', level: 2 })).toBeVisible();
});
