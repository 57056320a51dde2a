// A head teacher sets the school calendar on 2 October 2026, in the National Day week: the
// calendar page offers the national holidays of the school year, the teacher confirms them,
// National Day shows as a holiday and its make-up Saturday as a school day; the attendance
// screen on 2 October says it is a holiday and offers no marking; one tap makes a Monday a
// 农忙假. A second phone of the school receives the same calendar when it syncs.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { addStudent } = require('../roster');
const { addSchool, enrollmentCode } = require('../operator');
const fs = require('node:fs');

const shots = '/tmp/shots-calendar';
fs.mkdirSync(shots, { recursive: true });
const phone = {
  viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
};
// 10:00 in the phone's own time zone, in the National Day week.
const nationalDayWeek = new Date(2026, 9, 2, 10, 0, 0);

const find = {
  day: (page, date) => page.locator('.month').getByRole('button', { name: new RegExp(`^${date} `) }),
};

const act = {
  async openCalendar(page) {
    await page.getByRole('link', { name: '设置', exact: true }).click();
    await page.getByRole('link', { name: '校历：节假日和农忙假' }).click();
    await expect(page.getByRole('heading', { name: '校历', level: 2 })).toBeVisible();
  },
  async syncNow(page) {
    await page.getByRole('region', { name: '同步状态' }).getByRole('link').click();
    await expect(page.getByRole('heading', { name: '同步', level: 2 })).toBeVisible();
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect(page.getByRole('button', { name: '立即同步' })).toBeEnabled();
    await expect(page.getByText('所有修改都已发送')).toBeVisible();
  },
};

const check = {
  async dayIs(page, date, words, marker) {
    await expect(find.day(page, date), `${date} reads as ${words}`).toHaveAttribute('aria-label', `${date} ${words}`);
    if (marker) await expect(find.day(page, date)).toContainText(marker);
  },
};

test('the teacher confirms the national holidays, sets a 农忙假, and the register and a second phone follow', async ({ browser, server }) => {
  test.setTimeout(180_000);
  const school = addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' });
  const codes = [enrollmentCode(server, school), enrollmentCode(server, school)];
  const contexts = [await browser.newContext(phone), await browser.newContext(phone)];
  const [li, wang] = await Promise.all(contexts.map((context) => context.newPage()));
  for (const page of [li, wang]) await page.clock.setFixedTime(nationalDayWeek);

  await li.goto(server.url);
  await fillFirstRun(li, { code: codes[0], teacher: '李老师', termStart: '2026-09-01', termEnd: '2027-01-20' });
  await expect(li.getByRole('heading', { name: '花名册', level: 2 })).toBeVisible();
  await addStudent(li, '张小明');

  // The offer: the autumn term holds 中秋 (25–27 Sep) and 国庆 (1–7 Oct) off, and two
  // Sundays/Saturdays worked (20 Sep, 10 Oct).
  await act.openCalendar(li);
  await expect(li.getByRole('heading', { name: '2026年10月' })).toBeVisible();
  await check.dayIs(li, '2026-10-01', '上课日');
  const offer = li.getByRole('region', { name: '确认国家节假日' });
  await expect(offer).toContainText('10 天放假、2 天调休上课');
  await li.screenshot({ path: `${shots}/calendar-offer-zh-360.png` });
  await offer.getByRole('button', { name: '确认国家节假日' }).click();
  await expect(li.getByRole('status')).toHaveText('国家节假日已设置');
  await expect(offer).toHaveCount(0);
  await check.dayIs(li, '2026-10-01', '节假日 国庆节', '国庆');
  await check.dayIs(li, '2026-10-07', '节假日 国庆节', '国庆');
  await check.dayIs(li, '2026-10-10', '调休上课', '补课');
  await check.dayIs(li, '2026-10-11', '周末', '休');
  await check.dayIs(li, '2026-10-08', '上课日', '课');

  // One tap makes Monday 12 October a 农忙假 (the harvest).
  await find.day(li, '2026-10-12').click();
  await check.dayIs(li, '2026-10-12', '农忙假', '农忙');
  await li.screenshot({ path: `${shots}/calendar-october-zh-360.png` });
  await li.screenshot({ path: `${shots}/calendar-october-zh-360-full.png`, fullPage: true });
  await li.getByRole('button', { name: '上个月' }).click();
  await expect(li.getByRole('heading', { name: '2026年9月' })).toBeVisible();
  await check.dayIs(li, '2026-09-20', '调休上课', '补课');
  await check.dayIs(li, '2026-09-25', '节假日 中秋节', '中秋');
  await li.getByRole('button', { name: '上个月' }).click();
  await check.dayIs(li, '2026-08-31', '学期外');
  await expect(find.day(li, '2026-08-31')).toBeDisabled();
  await li.locator('header').getByRole('button', { name: 'English' }).click();
  await expect(li.getByRole('heading', { name: '8/2026' })).toBeVisible();
  await li.getByRole('button', { name: 'Next month' }).click();
  await expect(li.getByRole('heading', { name: '9/2026' })).toBeVisible();
  await li.screenshot({ path: `${shots}/calendar-september-en-360.png` });
  await li.locator('header').getByRole('button', { name: '中文' }).click();

  // The register on 2 October: a holiday, by name, and nothing to mark.
  await li.getByRole('link', { name: '考勤', exact: true }).click();
  await expect(li.locator('.day-picker input[type="date"]')).toHaveValue('2026-10-02');
  await expect(li.getByText('这一天是国庆节假期，不记考勤。')).toBeVisible();
  await expect(li.getByRole('button', { name: /张小明/ })).toHaveCount(0);
  await expect(li.getByRole('button', { name: /出勤已核对/ })).toHaveCount(0);
  await li.screenshot({ path: `${shots}/attendance-national-day-zh-360.png` });
  // The weekend and the 农忙假 say so too; a school day is marked as before.
  await li.locator('.day-picker input[type="date"]').fill('2026-10-11');
  await expect(li.getByText('这一天是周末，不记考勤。')).toBeVisible();
  await li.locator('.day-picker input[type="date"]').fill('2026-10-12');
  await expect(li.getByText('这一天是农忙假，不记考勤。')).toBeVisible();
  await li.locator('.day-picker input[type="date"]').fill('2026-09-30');
  await expect(li.getByRole('button', { name: /张小明/ })).toBeVisible();
  await li.locator('.day-picker input[type="date"]').fill('2026-10-02');
  await li.getByRole('link', { name: '校历' }).click();
  await expect(li.getByRole('heading', { name: '校历', level: 2 })).toBeVisible();

  // The second phone of the school receives the calendar.
  await act.syncNow(li);
  await wang.goto(server.url);
  await fillFirstRun(wang, { code: codes[1], teacher: '王老师' });
  await expect(wang.getByRole('heading', { name: '花名册', level: 2 })).toBeVisible();
  await act.syncNow(wang);
  await act.openCalendar(wang);
  await check.dayIs(wang, '2026-10-01', '节假日 国庆节', '国庆');
  await check.dayIs(wang, '2026-10-10', '调休上课', '补课');
  await check.dayIs(wang, '2026-10-12', '农忙假', '农忙');
  await expect(wang.getByRole('region', { name: '确认国家节假日' })).toHaveCount(0);
  for (const context of contexts) await context.close();
});
