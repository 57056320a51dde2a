// One case on two phones of one school: the head teacher's phone marks three unexcused days
// and confirms the case with two contacts; after a sync the 教导处's phone (enrolled with its own
// code) shows the same dropout ledger, 辍学率, 劝返复学率, case plan and contacts. The 教导处
// logs a third contact, which reaches the head teacher. Then both change the case's status
// with no signal at the same time: the conflicts page lists the case-status conflict, one
// version is kept, and both phones end with the same case. Each phone's clock is set to the
// school day (Beijing time) it works on.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { at, goToDay, addStudent, markUnexcused, openChild, logContact } = require('../casework');
const { addSchool, enrollmentCode } = require('../operator');
const path = require('node:path');

test.use({ timezoneId: 'Asia/Shanghai' });

const shots = path.join(__dirname, '../artifacts');
const phone = {
  viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};
const term = { termStart: '2026-09-01', termEnd: '2027-01-22' };
const truant = '张小明'; // three unexcused days, confirmed, a case
const present = '赵小花'; // at school every day

async function syncNow(page) {
  await page.getByRole('region', { name: '同步状态' }).getByRole('link').click();
  await expect(page.getByRole('heading', { name: '同步', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(page.getByRole('button', { name: '立即同步' })).toBeEnabled();
  await expect(page.getByText('所有修改都已发送')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
}

// The ledgers page as a phone shows it: the two rates and the dropout ledger's rows.
async function ledgers(page, { dropout, returned }) {
  await page.getByRole('link', { name: '今天', exact: true }).click();
  await page.getByRole('link', { name: '查看台账' }).click();
  await expect(page.getByRole('heading', { name: '台账', level: 2 })).toBeVisible();
  await page.locator('select[name="class"]').selectOption({ label: '全部班级' });
  const rates = {
    dropout: page.locator('[data-rate="dropout"] .rate-value'),
    returned: page.locator('[data-rate="returned"] .rate-value'),
  };
  await expect(rates.dropout).toContainText(new RegExp(`^${dropout}（`));
  await expect(rates.returned).toContainText(new RegExp(`^${returned}（`));
  await page.getByRole('button', { name: '辍学台账', exact: true }).click();
  return {
    dropout: await rates.dropout.textContent(),
    returned: await rates.returned.textContent(),
    rows: await page.locator('.ledger-list .ledger-row').allTextContents(),
  };
}

// The child's case as a phone shows it: the plan and each contact.
async function caseOf(page, contacts) {
  await openChild(page, truant);
  await expect(page.locator('.contacts li')).toHaveCount(contacts);
  return {
    plan: await page.locator('.case-plan').textContent(),
    contacts: await page.locator('.contacts li').allTextContents(),
  };
}

async function setCaseStatus(page, label) {
  await openChild(page, truant);
  await page.getByRole('button', { name: '修改方案' }).click();
  await page.locator('select[name="case_status"]').selectOption({ label });
  await page.getByRole('button', { name: '保存修改' }).click();
  await expect(page.locator('.case-plan')).toContainText(label);
}

test('two phones of one school hold the same case, and a concurrent status change is a conflict', async ({ browser, server }) => {
  test.setTimeout(240_000);
  const school = addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' });
  const codes = [enrollmentCode(server, school), enrollmentCode(server, school)];
  const contexts = [await browser.newContext(phone), await browser.newContext(phone)];
  const [head, office] = await Promise.all(contexts.map((context) => context.newPage()));
  for (const page of [head, office]) await page.clock.install({ time: at('2026-09-16') });

  // The head teacher's phone joins the school and adds the class's two children.
  await head.goto(server.url);
  await fillFirstRun(head, { ...term, code: codes[0], teacher: '李老师' });
  await expect(head.getByRole('heading', { name: '花名册' })).toBeVisible();
  await addStudent(head, truant, '男', '2013-05-02');
  await addStudent(head, present, '女', '2014-01-07');

  // Wednesday to Friday, 16–18 September: 张小明 absent without excuse each day.
  for (const day of ['2026-09-16', '2026-09-17', '2026-09-18']) {
    await goToDay(head, day);
    await markUnexcused(head, [truant]);
  }

  // Friday 18th: confirmed, with a case.
  await openChild(head, truant);
  await expect(head.getByText('疑似辍学：请确认辍学并立案，或排除')).toBeVisible();
  await head.getByRole('button', { name: '确认辍学，建立劝返方案' }).click();
  const confirm = head.locator('form.confirm-form');
  await expect(confirm.getByLabel('发现日期')).toHaveValue('2026-09-18');
  await confirm.getByLabel('外出打工').check();
  await confirm.getByLabel('情况说明').fill('随父亲去昆明打工');
  await confirm.getByLabel('学校领导').fill('陈校长');
  await confirm.getByLabel('村干部').fill('石门村李主任');
  await confirm.getByLabel('劝返期限').fill('2026-10-09');
  await confirm.getByRole('button', { name: '保存并立案' }).click();
  await expect(head.getByRole('heading', { name: '劝返复学方案（一人一案）' })).toBeVisible();
  await expect(head.locator('.case-plan')).toContainText('陈校长');

  // Two contacts: a visit on Saturday the 19th, a call on Monday the 21st.
  await goToDay(head, '2026-09-19');
  await openChild(head, truant);
  await logContact(head, { date: '2026-09-19', method: '家访', met: '祖母', outcome: '祖母说孩子在昆明，答应打电话' });
  await goToDay(head, '2026-09-21');
  await openChild(head, truant);
  await logContact(head, { date: '2026-09-21', method: '电话', met: '父亲', outcome: '父亲不同意回校' });
  await expect(head.locator('.contacts li')).toHaveCount(2);

  // One of two children out, none back: 辍学率 1/2, 劝返复学率 0/1.
  const figures = { dropout: '1/2', returned: '0/1' };
  const headLedgers = await ledgers(head, figures);
  expect(headLedgers.rows).toHaveLength(1);
  expect(headLedgers.rows[0]).toContain(truant);
  const headCase = await caseOf(head, 2);

  // Sync the head teacher's phone, then the 教导处's phone joins the same school and class
  // with its own code, and syncs.
  await syncNow(head);
  await office.clock.setSystemTime(at('2026-09-21'));
  await office.goto(server.url);
  await fillFirstRun(office, { ...term, code: codes[1], teacher: '教导处刘主任' });
  await expect(office.getByRole('heading', { name: '花名册' })).toBeVisible();
  await syncNow(office);

  // The 教导处 sees the same ledgers, figures, case plan and contacts.
  expect(await ledgers(office, figures)).toEqual(headLedgers);
  expect(await caseOf(office, 2)).toEqual(headCase);

  // Tuesday 22nd: the 教导处 logs a third contact; it reaches the head teacher.
  for (const page of [head, office]) await goToDay(page, '2026-09-22');
  await openChild(office, truant);
  await logContact(office, { date: '2026-09-22', method: '家访', met: '父亲', outcome: '教导处上门，父亲答应考虑' });
  await syncNow(office);
  await syncNow(head);
  const withThird = await caseOf(head, 3);
  expect(withThird.contacts.join('\n')).toContain('教导处上门，父亲答应考虑');
  expect(await caseOf(office, 3)).toEqual(withThird);
  expect(await ledgers(head, figures)).toEqual(await ledgers(office, figures));

  // Wednesday 23rd, no signal on either phone: the 教导处 reports the case to the town, then
  // the head teacher, not having seen that, closes it.
  for (const page of [head, office]) await goToDay(page, '2026-09-23');
  for (const context of contexts) await context.setOffline(true);
  await setCaseStatus(office, '已上报乡镇');
  await setCaseStatus(head, '已结案');

  // Signal again: both sync, the head teacher once more to receive the other's change.
  for (const context of contexts) await context.setOffline(false);
  await syncNow(head);
  await syncNow(office);
  await syncNow(head);

  // The conflicts page lists the case's status with both versions and their authors.
  await head.goto(new URL('/conflicts', server.url).toString());
  await expect(head.getByRole('heading', { name: '冲突', level: 2 })).toBeVisible();
  const conflicts = head.getByRole('article');
  await expect(conflicts).toHaveCount(1);
  const caseConflict = conflicts.filter({ hasText: `${truant} 的劝返个案状态` });
  await expect(caseConflict).toHaveCount(1);
  for (const text of ['李老师', '教导处刘主任', '已结案', '已上报乡镇']) await expect(caseConflict).toContainText(text);
  await head.screenshot({ path: path.join(shots, 'conflicts-case-status-360.png') });
  // The 教导处's phone lists the same conflict.
  await office.goto(new URL('/conflicts', server.url).toString());
  const officeConflicts = office.getByRole('article');
  await expect(officeConflicts).toHaveCount(1);
  await expect(officeConflicts).toContainText(`${truant} 的劝返个案状态`);
  for (const text of ['李老师', '教导处刘主任', '已结案', '已上报乡镇']) await expect(officeConflicts).toContainText(text);
  await office.screenshot({ path: path.join(shots, 'conflicts-case-status-office-360.png') });

  // The head teacher keeps the 教导处's 已上报乡镇; the choice reaches the 教导处's phone.
  await caseConflict.getByRole('button', { name: '保留“已上报乡镇”' }).click();
  await expect(head.getByText('没有待处理的冲突')).toBeVisible();
  await syncNow(office);
  await office.goto(new URL('/conflicts', server.url).toString());
  await expect(office.getByText('没有待处理的冲突')).toBeVisible();
  await syncNow(head);

  // Both phones end with the same case, contacts, ledgers and figures.
  const headEnd = await caseOf(head, 3);
  expect(headEnd.plan).toContain('已上报乡镇');
  expect(headEnd.plan).not.toContain('已结案');
  expect(await caseOf(office, 3)).toEqual(headEnd);
  expect(await ledgers(head, figures)).toEqual(await ledgers(office, figures));
  for (const context of contexts) await context.close();
});
