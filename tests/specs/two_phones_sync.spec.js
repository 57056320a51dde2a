// Two head teachers' phones of one class join the school with the operator's one-time codes,
// both work with no signal, and both end up with the same roster and register once they sync.
// The same child marked differently, and given different statuses for the same day, on both
// phones are two conflicts; one teacher resolves them and the other phone receives the choices. A phone the operator removed is refused with a clear message and
// keeps its unsent changes. Wrong or used codes and no signal are told apart at enrollment.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { addStudent } = require('../roster');
const { addSchool, enrollmentCode, deviceLabelled, revoke } = require('../operator');
const path = require('node:path');

const shots = path.join(__dirname, '../artifacts');
const phone = {
  viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
};

const act = {
  async joinAndSetUp(page, url, who) {
    await page.goto(url);
    await act.fillSetUp(page, who);
  },
  fillSetUp: (page, { code, teacher }) => fillFirstRun(page, { code, teacher }),
  addStudent,
  async syncNow(page) {
    await page.getByRole('region', { name: '同步状态' }).getByRole('link').click();
    await expect(page.getByRole('heading', { name: '同步', level: 2 })).toBeVisible();
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect(page.getByRole('button', { name: '立即同步' })).toBeEnabled();
  },
  // The register of the last school day (Monday to Friday) up to today.
  async openRegister(page) {
    await page.getByRole('link', { name: '考勤', exact: true }).click();
    const day = await page.evaluate(() => {
      const date = new Date();
      while ([0, 6].includes(date.getDay())) date.setDate(date.getDate() - 1);
      const pad = (value) => String(value).padStart(2, '0');
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    });
    await page.locator('.day-picker input[type="date"]').fill(day);
  },
  // On the child's page: a status change for today, with its evidence.
  async recordStatus(page, name, status, evidence, shot) {
    await page.getByRole('link', { name: '花名册', exact: true }).click();
    await page.getByRole('link', { name: new RegExp(name) }).click();
    await page.getByRole('button', { name: '记录状态变化' }).click();
    await page.getByLabel('新状态').selectOption({ label: status });
    await page.getByLabel('依据').fill(evidence);
    if (shot) await page.screenshot({ path: path.join(shots, shot) });
    await page.getByRole('button', { name: '保存状态' }).click();
    await expect(page.locator('.timeline')).toContainText(status);
  },
  async tapMark(page, name, expected) {
    await markButton(page, name).click();
    await expect(markButton(page, name)).toContainText(expected);
  },
};

function markButton(page, name) {
  return page.getByRole('list').getByRole('button', { name: new RegExp(name) });
}

const check = {
  async rosterShows(page, names) {
    await page.getByRole('link', { name: '花名册', exact: true }).click();
    for (const name of names) {
      await expect(page.getByRole('link', { name: new RegExp(name) }), `the roster lists ${name}`).toBeVisible();
    }
  },
  async allSent(page) {
    await expect(page.getByText('所有修改都已发送')).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  },
};

test('two phones work offline, sync, resolve a conflict, and a removed phone keeps its changes', async ({ browser, server }) => {
  test.setTimeout(180_000);
  const school = addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' });
  const codes = [enrollmentCode(server, school), enrollmentCode(server, school)];
  const contexts = [await browser.newContext(phone), await browser.newContext(phone)];
  const [li, wang] = await Promise.all(contexts.map((context) => context.newPage()));

  // The first phone joins the empty school and sets the class up; the second joins the same
  // class and receives its roster.
  await act.joinAndSetUp(li, server.url, { code: codes[0], teacher: '李老师' });
  await expect(li.getByRole('heading', { name: '花名册' })).toBeVisible();
  await act.addStudent(li, '张小明');
  await act.syncNow(li);
  await check.allSent(li);
  await act.joinAndSetUp(wang, server.url, { code: codes[1], teacher: '王老师' });
  await check.rosterShows(wang, ['张小明']);
  await wang.getByRole('link', { name: '设置', exact: true }).click();
  await wang.getByRole('region', { name: '同步状态' }).getByRole('link').click();
  await wang.screenshot({ path: path.join(shots, 'sync-joined-360.png') });

  // No signal on either phone: each adds a child, and both mark 张小明 differently. 王老师
  // marks first, so the 病假 that 李老师 never saw carries the lower stamp.
  for (const context of contexts) await context.setOffline(true);
  await act.addStudent(li, '李小红');
  await act.addStudent(wang, '王小燕');
  await act.openRegister(wang);
  await act.tapMark(wang, '张小明', '迟到');
  await act.tapMark(wang, '张小明', '病假');
  await act.openRegister(li);
  await act.tapMark(li, '张小明', '迟到');
  // The same for the child's status today: 王老师 records 疑似辍学 first, 李老师 then 休学.
  await act.recordStatus(wang, '张小明', '疑似辍学', '连续三天未到校');
  await act.recordStatus(li, '张小明', '休学', '家长口头申请休学', 'student-status-form-360.png');
  await li.screenshot({ path: path.join(shots, 'student-status-360.png') });
  await expect(wang.getByRole('region', { name: '同步状态' })).toContainText('条未发送');
  await act.syncNow(wang);
  await expect(wang.getByRole('alert')).toContainText('没有信号');
  await wang.screenshot({ path: path.join(shots, 'sync-offline-360.png') });

  // Signal again: both sync (李老师 once more to receive 王老师's changes) and hold the same data.
  for (const context of contexts) await context.setOffline(false);
  await act.syncNow(li);
  await act.syncNow(wang);
  await check.allSent(wang);
  await act.syncNow(li);
  await check.allSent(li);
  for (const page of [li, wang]) await check.rosterShows(page, ['张小明', '李小红', '王小燕']);

  // The contradicting marks and statuses are two conflicts, shown on either phone with both
  // versions, their authors and what each wrote.
  await li.goto(new URL('/conflicts', server.url).toString());
  const conflicts = li.getByRole('article');
  await expect(conflicts).toHaveCount(2);
  const marks = conflicts.filter({ hasText: '张小明 的考勤' });
  const statuses = conflicts.filter({ hasText: '张小明 的学籍状态' });
  for (const conflict of [marks, statuses]) {
    await expect(conflict).toContainText('李老师');
    await expect(conflict).toContainText('王老师');
  }
  await li.screenshot({ path: path.join(shots, 'conflicts-360.png') });
  await marks.getByRole('button', { name: '保留“病假”' }).click();
  await expect(conflicts).toHaveCount(1);
  // The version that would have lost to last-writer-wins is the one chosen.
  await statuses.getByRole('button', { name: '保留“疑似辍学”' }).click();
  await expect(li.getByText('没有待处理的冲突')).toBeVisible();

  // The choices reach the other phone.
  await act.syncNow(wang);
  await act.openRegister(wang);
  await expect(markButton(wang, '张小明')).toContainText('病假');
  await act.openRegister(li);
  await expect(markButton(li, '张小明')).toContainText('病假');
  for (const page of [li, wang]) {
    await page.getByRole('link', { name: '花名册', exact: true }).click();
    await page.getByRole('link', { name: /张小明/ }).click();
    await expect(page.locator('.student-head .status'), 'the chosen status counts').toHaveText('疑似辍学');
  }
  await wang.goto(new URL('/conflicts', server.url).toString());
  await expect(wang.getByText('没有待处理的冲突')).toBeVisible();

  // The operator removes 王老师's phone; its next change is refused and stays on the phone.
  revoke(server, deviceLabelled(server, '王老师'));
  await wang.goto(server.url);
  await act.addStudent(wang, '赵小刚');
  await act.syncNow(wang);
  const refused = wang.getByRole('alert');
  await expect(refused).toContainText('运维人员已将这部手机从学校移除');
  // The child and their 在读 event: two changes.
  await expect(refused).toContainText('本机 2 条未发送的修改都还保留着');
  await wang.screenshot({ path: path.join(shots, 'sync-revoked-360.png') });
  await wang.reload();
  await check.rosterShows(wang, ['赵小刚']);
  await expect(wang.getByRole('region', { name: '同步状态' })).toContainText('2 条未发送');
  for (const context of contexts) await context.close();
});

test('a wrong or used code and no signal are told apart when a phone joins', async ({ browser, server }) => {
  const school = addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' });
  const code = enrollmentCode(server, school);
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(server.url);
  await context.setOffline(true);
  await act.fillSetUp(page, { code, teacher: '李老师' });
  await expect(page.getByRole('alert')).toContainText('没有信号');
  await context.setOffline(false);

  // The code was not used up by the failed try: it enrolls this phone.
  await page.getByRole('button', { name: '保存并开始' }).click();
  await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();

  // Another new phone tries the same code, then a made-up one.
  const other = await (await browser.newContext(phone)).newPage();
  await act.joinAndSetUp(other, server.url, { code, teacher: '王老师' });
  await expect(other.getByRole('alert')).toContainText('这个注册码已经用过了');
  await other.screenshot({ path: path.join(shots, 'sync-code-used-360.png') });
  await other.getByLabel('注册码（可选）').fill('7K3M-Q9TD-2XWA');
  await other.getByRole('button', { name: '保存并开始' }).click();
  await expect(other.getByRole('alert')).toContainText('注册码不对');
  await context.close();
  await other.context().close();
});
