// Nothing a teacher saves is lost or refused for good. Marks tapped as fast as the page allows in
// two tabs of one phone get one unbroken chain of counters and are all accepted; a phone the
// operator removed joins again with a new code and its unsent marks reach the school; a backup
// restored on a new phone sends its unsent marks once that phone joins; a phone whose storage
// was cleared gets the school back from the server with a code; a server restored from an older
// backup gets back what the phones hold, a lost phone's marks included. Forms show the domain's
// refusal beside the field it is about, keeping what was typed.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { addStudent } = require('../roster');
const { addSchool, enrollmentCode, deviceLabelled, revoke, backup, restore } = require('../operator');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const shots = path.join(__dirname, '../artifacts');
const serverBin = process.env.BAOXUE_SERVER_BIN || path.join(__dirname, '../../target/debug/sync-server');
const phone = {
  viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
};

// The last school day (Monday to Friday) up to today, and the next one after it, as the date
// input writes them.
function schoolDay(direction) {
  const date = new Date();
  if (direction > 0) date.setDate(date.getDate() + 1);
  while ([0, 6].includes(date.getDay())) date.setDate(date.getDate() + direction);
  const pad = (value) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const act = {
  async join(page, url, code, teacher) {
    await page.goto(url);
    await fillFirstRun(page, { code, teacher });
    await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
  },
  addStudent,
  async syncNow(page) {
    await page.goto(new URL('/sync', page.url()).toString());
    await expect(page.getByRole('heading', { name: '同步', level: 2 })).toBeVisible();
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect(page.getByRole('button', { name: '立即同步' })).toBeEnabled();
  },
  async openRegister(page, day = schoolDay(-1)) {
    await page.getByRole('link', { name: '考勤', exact: true }).click();
    await page.locator('.day-picker input[type="date"]').fill(day);
  },
  // Taps the child's mark `times` times in one tick, as fast as a page can: no tap waits for
  // the one before it to be saved.
  async burstOfTaps(page, name, times) {
    await page.evaluate(({ name, times }) => {
      const button = [...document.querySelectorAll('.register button')].find((b) => b.textContent.includes(name));
      for (let tap = 0; tap < times; tap += 1) button.click();
    }, { name, times });
  },
  async tapMark(page, name, expected) {
    await markButton(page, name).click();
    await expect(markButton(page, name)).toContainText(expected);
  },
};

function markButton(page, name) {
  return page.getByRole('list').getByRole('button', { name: new RegExp(name) });
}

// Every mutation this phone's IndexedDB holds, read in the page.
async function storedMutations(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('baoxue');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('mutations').objectStore('mutations').getAll();
      request.onerror = () => reject(request.error);
      request.onsuccess = () => { open.result.close(); resolve(request.result.map((text) => JSON.parse(text))); };
    };
  }));
}

// What the operator's sync-health says of the device labelled `label`.
function deviceHealth(server, label) {
  const said = execFileSync(serverBin, ['sync-health', '--db', path.join(server.dir, 'baoxue.db')], { encoding: 'utf8' });
  const line = said.split('\n').find((row) => row.includes(`"${label}"`) && row.includes('active'));
  if (!line) throw new Error(`no active device labelled ${label} in:\n${said}`);
  return { through: Number(line.match(/changes through #(\d+)/)[1]), rejections: Number(line.match(/rejections (\d+)/)[1]) };
}

test('marks tapped at once in two tabs of one phone get one chain and all reach the school', async ({ browser, server }) => {
  test.setTimeout(180_000);
  const school = addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' });
  const [first, second] = [enrollmentCode(server, school), enrollmentCode(server, school)];
  const context = await browser.newContext(phone);
  const tabs = [await context.newPage()];
  await act.join(tabs[0], server.url, first, '李老师');
  await act.addStudent(tabs[0], '张小明');
  await act.addStudent(tabs[0], '李小红');
  tabs.push(await context.newPage());
  await tabs[1].goto(server.url);
  // A phone that is set up opens on 今天要做.
  await expect(tabs[1].getByRole('heading', { name: '今天要做' })).toBeVisible();
  for (const tab of tabs) await act.openRegister(tab);
  await expect(markButton(tabs[1], '李小红')).toBeVisible();
  const before = (await storedMutations(tabs[0])).length;

  await Promise.all([act.burstOfTaps(tabs[0], '张小明', 30), act.burstOfTaps(tabs[1], '李小红', 30)]);
  await expect.poll(async () => (await storedMutations(tabs[0])).length, { timeout: 30_000 }).toBe(before + 60);

  // Each tab shows what the other tapped: they hear each other's writes.
  for (const name of ['张小明', '李小红']) {
    const shown = await markButton(tabs[0], name).locator('.kind').textContent();
    await expect(markButton(tabs[1], name).locator('.kind')).toHaveText(shown);
    await expect(markButton(tabs[0], name).locator('.kind')).not.toHaveText('出勤');
  }

  // The school was empty on the server: everything stored is this phone's own.
  const own = await storedMutations(tabs[0]);
  expect(new Set(own.map((mutation) => mutation.device)).size).toBe(1);
  const counters = own.map((mutation) => mutation.seq).sort((a, b) => a - b);
  expect(counters, 'one chain: every counter once, none skipped').toEqual(counters.map((_, index) => index + 1));
  expect(own.filter((mutation) => mutation.change.Mark)).toHaveLength(60);

  await act.syncNow(tabs[0]);
  await expect(tabs[0].getByText('所有修改都已发送')).toBeVisible();
  await expect(tabs[0].getByText('服务器拒收的修改')).toHaveCount(0);
  const health = deviceHealth(server, '李老师');
  expect(health).toEqual({ through: counters.length, rejections: 0 });

  // A second phone of the school shows the same marks.
  const other = await (await browser.newContext(phone)).newPage();
  await act.join(other, server.url, second, '王老师');
  await act.openRegister(other);
  await act.openRegister(tabs[0]);
  for (const name of ['张小明', '李小红']) {
    const shown = await markButton(tabs[0], name).locator('.kind').textContent();
    await expect(markButton(other, name).locator('.kind')).toHaveText(shown);
  }
  await context.close();
});

test('a removed phone joins again with a new code and its unsent marks reach the other phone', async ({ browser, server }) => {
  test.setTimeout(120_000);
  const school = addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' });
  const codes = [1, 2, 3].map(() => enrollmentCode(server, school));
  const [li, wang] = await Promise.all([1, 2].map(async () => (await browser.newContext(phone)).newPage()));
  await act.join(li, server.url, codes[0], '李老师');
  await act.addStudent(li, '张小明');
  await act.syncNow(li);
  await act.join(wang, server.url, codes[1], '王老师');

  revoke(server, deviceLabelled(server, '李老师'));
  await act.openRegister(li);
  await act.tapMark(li, '张小明', '迟到');
  await act.syncNow(li);
  await expect(li.getByRole('alert')).toContainText('运维人员已将这部手机从学校移除');
  await li.getByLabel('注册码', { exact: true }).fill(codes[2]);
  await li.screenshot({ path: path.join(shots, 'sync-rejoin-360.png'), fullPage: true });
  await li.getByRole('button', { name: '加入', exact: true }).click();
  await expect(li.getByText('所有修改都已发送')).toBeVisible();
  await expect(li.getByRole('alert')).toHaveCount(0);

  await act.syncNow(wang);
  await act.openRegister(wang);
  await expect(markButton(wang, '张小明')).toContainText('迟到');
});

test('a backup restored on a new phone sends its unsent marks once the phone joins', async ({ browser, server }, testInfo) => {
  test.setTimeout(120_000);
  const school = addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' });
  const codes = [1, 2, 3].map(() => enrollmentCode(server, school));
  const oldContext = await browser.newContext({ ...phone, acceptDownloads: true });
  const old = await oldContext.newPage();
  await act.join(old, server.url, codes[0], '李老师');
  await act.addStudent(old, '张小明');
  await act.syncNow(old);
  await oldContext.setOffline(true);
  await act.openRegister(old);
  await act.tapMark(old, '张小明', '迟到');
  await old.getByRole('link', { name: '设置', exact: true }).click();
  const [download] = await Promise.all([old.waitForEvent('download'), old.getByRole('button', { name: '导出备份' }).click()]);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  await oldContext.close();

  // A new phone: nothing stored. The first screen restores the file, then the phone joins.
  const fresh = await (await browser.newContext(phone)).newPage();
  await fresh.goto(server.url);
  await fresh.getByLabel('从备份恢复', { exact: true }).setInputFiles(file);
  await expect(fresh.getByRole('heading', { name: '花名册' })).toBeVisible();
  await fresh.goto(new URL('/sync', server.url).toString());
  await fresh.getByLabel('注册码', { exact: true }).fill(codes[1]);
  await fresh.getByRole('button', { name: '加入', exact: true }).click();
  await expect(fresh.getByText('所有修改都已发送')).toBeVisible();
  await expect(fresh.getByText('服务器拒收的修改')).toHaveCount(0);

  const other = await (await browser.newContext(phone)).newPage();
  await act.join(other, server.url, codes[2], '王老师');
  await act.openRegister(other);
  await expect(markButton(other, '张小明')).toContainText('迟到');
});

test('a phone whose storage was cleared gets the school back from the server with a code', async ({ browser, server }) => {
  test.setTimeout(120_000);
  const school = addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' });
  const codes = [enrollmentCode(server, school), enrollmentCode(server, school)];
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await act.join(page, server.url, codes[0], '李老师');
  await act.addStudent(page, '张小明');
  await act.syncNow(page);

  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(server.url).origin, storageTypes: 'all' });
  await page.goto(server.url);
  await page.reload();
  await expect(page.getByRole('heading', { name: '开始使用' })).toBeVisible();
  await expect(page.getByText('换了新手机，或本机的记录不见了？')).toBeVisible();
  await expect(page.getByLabel('从备份恢复', { exact: true })).toBeAttached();
  await expect(page.getByLabel('注册码（可选）')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'setup-ways-back-360.png'), fullPage: true });

  // The server way: only the teacher, the class and the code.
  await page.getByLabel('班主任姓名').fill('李老师');
  await page.getByLabel('班级', { exact: true }).fill('七年级(2)班');
  await page.getByLabel('注册码（可选）').fill(codes[1]);
  await page.getByRole('button', { name: '保存并开始' }).click();
  await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
  await expect(page.getByRole('link', { name: /张小明/ })).toBeVisible();
  await context.close();
});

test('forms show the domain refusal beside the field and keep what was typed', async ({ page, server }) => {
  await page.goto(server.url);
  // A term that ends before it starts.
  await page.getByLabel('本学期开学日期').fill('2026-09-01');
  await page.getByLabel('本学期结束日期').fill('2026-08-01');
  await fillFirstRun(page, {});
  const termEnd = page.getByLabel('本学期结束日期');
  await expect(termEnd.locator('xpath=../following-sibling::p[@role="alert"][1]')).toHaveText('结束日期要晚于开学日期');
  await expect(termEnd).toHaveValue('2026-08-01');
  await expect(page.getByLabel('学校名称')).toHaveValue('大井镇中学');
  await page.getByLabel('本学期结束日期').fill('2027-01-20');
  await page.getByRole('button', { name: '保存并开始' }).click();
  await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();

  // A birth date that makes the child 3 years old.
  await page.getByRole('link', { name: '添加学生' }).click();
  await page.getByLabel('姓名').fill('张小明');
  const birth = page.getByLabel('出生日期');
  const threeYearsAgo = `${new Date().getFullYear() - 3}-05-02`;
  await birth.fill(threeYearsAgo);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('按这个出生日期，孩子还不到 5 岁，请检查年份')).toBeVisible();
  await expect(birth).toHaveValue(threeYearsAgo);
  await expect(page.getByLabel('姓名')).toHaveValue('张小明');
  await birth.fill('2013-05-02');
  await page.getByLabel('村').fill('石门村');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('heading', { name: '张小明', level: 2 })).toBeVisible();

  // A mark on a day that has not come yet.
  await act.openRegister(page, schoolDay(+1));
  await markButton(page, '张小明').click();
  await expect(page.getByRole('alert')).toHaveText('这一天还没到，不能记考勤。');
  await expect(markButton(page, '张小明')).toContainText('未核对');
});

test('a server restored from an older backup gets back what the phones hold, a lost phone\'s marks included', async ({ browser, server }, testInfo) => {
  test.setTimeout(180_000);
  const school = addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' });
  const codes = [1, 2, 3].map(() => enrollmentCode(server, school));
  const [li, wang] = await Promise.all([1, 2].map(async () => (await browser.newContext(phone)).newPage()));
  await act.join(li, server.url, codes[0], '李老师');
  await act.addStudent(li, '张小明');
  await act.addStudent(li, '李小红');
  await act.syncNow(li);
  await act.join(wang, server.url, codes[1], '王老师');
  const file = testInfo.outputPath('server-backup.db');
  backup(server, file);

  // After the backup each teacher marks a child and syncs; 李老师's phone pulls 王老师's mark.
  await act.openRegister(li);
  await act.tapMark(li, '张小明', '迟到');
  await act.syncNow(li);
  await act.openRegister(wang);
  await act.tapMark(wang, '李小红', '迟到');
  await act.syncNow(wang);
  await act.syncNow(li);
  await expect(li.getByText('所有修改都已发送')).toBeVisible();
  // 王老师's phone is lost; the server's disk fails and the operator restores the backup.
  await wang.context().close();
  const said = restore(server, file);
  expect(said).toContain('new epoch');

  // 李老师's next sync pulls from the start, sends its own mark again and relays 王老师's.
  await act.syncNow(li);
  await expect(li.getByText('所有修改都已发送')).toBeVisible();
  await expect(li.getByRole('alert')).toHaveCount(0);
  const zhao = await (await browser.newContext(phone)).newPage();
  await act.join(zhao, server.url, codes[2], '赵老师');
  await act.openRegister(zhao);
  await expect(markButton(zhao, '张小明')).toContainText('迟到');
  await expect(markButton(zhao, '李小红')).toContainText('迟到');
});
