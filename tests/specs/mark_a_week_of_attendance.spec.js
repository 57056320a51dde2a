// A head teacher takes a week of attendance on a new phone: one tap per child cycles the mark,
// the day's figures follow, and a child absent without excuse on three school days in a row is
// raised the same day as a suspected dropout (辍学上报不过夜) and reported from the register.
// The marks and the report survive a reload, and the register keeps working with no signal.
// Dates come from the browser's clock, so the spec holds on any day of the week it runs.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { openUntilWorkerControls } = require('../service_worker');
const path = require('node:path');

const shots = path.join(__dirname, '../artifacts');
const truant = '张小明'; // 旷课 on the last three school days
const sick = '李小红'; // 病假 once, on the fourth school day back
const late = '王小燕'; // 迟到, marked with no signal
const cycle = ['出勤', '迟到', '病假', '事假', '旷课'];

// Calendar days as 'YYYY-MM-DD' text, counted in whole days (noon UTC avoids any DST edge).
const dates = {
  parse: (text) => new Date(`${text}T12:00:00Z`),
  text: (date) => date.toISOString().slice(0, 10),
  add: (text, days) => dates.text(new Date(dates.parse(text).getTime() + days * 86_400_000)),
  isSchoolDay: (text) => ![0, 6].includes(dates.parse(text).getUTCDay()),
  // The `count` school days (Monday to Friday) up to and including `text`, newest first.
  schoolDaysBack(text, count) {
    const days = [];
    for (let day = text; days.length < count; day = dates.add(day, -1)) {
      if (dates.isSchoolDay(day)) days.push(day);
    }
    return days;
  },
};

// Today as the app sees it: the phone's own clock and time zone.
async function phoneToday(page) {
  return page.evaluate(() => {
    const now = new Date();
    const pad = (value) => String(value).padStart(2, '0');
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  });
}

const act = {
  async setUp(page, termStart, termEnd) {
    await fillFirstRun(page, { termStart, termEnd });
  },
  async addStudent(page, name, gender, birthDate) {
    await page.getByRole('link', { name: '添加学生' }).click();
    await expect(page.getByRole('heading', { name: '添加学生' })).toBeVisible();
    await page.getByLabel('姓名').fill(name);
    await page.getByLabel('性别').selectOption({ label: gender });
    await page.getByLabel('出生日期').fill(birthDate);
    await page.getByLabel('村').fill('石门村');
    await page.getByLabel('监护人').fill('王建国');
    await page.getByLabel('电话').fill('13800001234');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
    await page.getByRole('link', { name: '花名册' }).click();
    await expect(page.getByRole('link', { name: new RegExp(name) })).toBeVisible();
  },
  async openAttendance(page) {
    await page.getByRole('link', { name: '考勤', exact: true }).click();
    await expect(page.getByRole('heading', { name: '班级出席日报', level: 2 })).toBeVisible();
  },
  // Shows `day` in the register by typing it into the date field (the day picker's middle).
  async showDay(page, day) {
    await dayField(page).fill(day);
    await expect(dayField(page)).toHaveValue(day);
  },
  async confirmDay(page, isToday) {
    await page.getByRole('button', { name: isToday ? '今日出勤已核对' : '这一天的出勤已核对' }).click();
    await expect(page.getByText('本日出勤已核对。')).toBeVisible();
  },
  async previousDay(page, from) {
    await page.getByRole('button', { name: '前一天' }).click();
    const day = dates.add(from, -1);
    await expect(dayField(page)).toHaveValue(day);
    return day;
  },
  // Taps a child's row `taps` times, checking the label the row shows after each tap.
  async tap(page, name, taps) {
    // An unmarked child on a day not handed in reads 未核对; a tap moves it on as from 出勤.
    const shown = await kindOf(page, name);
    const from = cycle.indexOf(shown === '未核对' ? '出勤' : shown);
    for (let step = 1; step <= taps; step += 1) {
      await markButton(page, name).click();
      await expect(markButton(page, name)).toContainText(cycle[(from + step) % cycle.length]);
    }
  },
};

function dayField(page) {
  return page.locator('.day-picker input[type="date"]');
}

function markButton(page, name) {
  return page.getByRole('list').getByRole('button', { name: new RegExp(name) });
}

async function kindOf(page, name) {
  return (await markButton(page, name).locator('.kind').textContent()).trim();
}

const check = {
  // The day's figures, by their labels: { 应到: 3, 实到: 2, ... }.
  async summary(page, figures) {
    const summary = page.locator('.summary');
    for (const [label, value] of Object.entries(figures)) {
      const figure = summary.locator('.figure').filter({ has: page.getByText(label, { exact: true }) });
      await expect(figure.locator('.value'), `${label} on ${await dayField(page).inputValue()}`).toHaveText(String(value));
    }
  },
  async marked(page, name, kind) {
    await expect(markButton(page, name)).toContainText(kind);
  },
  // No holidays are set in this story, so a day without school is a weekend, and says so.
  async notASchoolDay(page) {
    await expect(page.getByText('这一天是周末，不记考勤。')).toBeVisible();
    await expect(page.getByRole('list').getByRole('button')).toHaveCount(0);
  },
  raised(page, name) {
    return page.getByRole('alert').filter({ hasText: name });
  },
  async reportedOnStudentPage(page, name) {
    await page.getByRole('link', { name: '花名册' }).click();
    await page.getByRole('link', { name: new RegExp(name) }).click();
    await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
    await expect(page.getByRole('heading', { name: '状态记录' })).toBeVisible();
    await expect(page.locator('ol.timeline')).toContainText('疑似辍学');
    await expect(page.locator('ol.timeline')).toContainText('连续旷课 3');
  },
};

test('a head teacher marks a week of attendance and reports a suspected dropout the same day', async ({ page, server }) => {
  // The first visit with signal installs the app on the phone.
  await openUntilWorkerControls(page, server.url);
  const today = await phoneToday(page);
  // The last five school days up to the last one not after today: [newest, ..., oldest].
  const lastSchoolDay = dates.schoolDaysBack(today, 1)[0];
  const week = dates.schoolDaysBack(lastSchoolDay, 5);
  const truantDays = week.slice(0, 3);
  const sickDay = week[3];

  await act.setUp(page, dates.add(today, -40), dates.add(today, 60));
  await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
  await act.addStudent(page, truant, '男', '2013-05-02');
  await act.addStudent(page, sick, '女', '2013-08-19');
  await act.addStudent(page, late, '女', '2014-01-07');

  await act.openAttendance(page);
  await expect(dayField(page)).toHaveValue(today);
  if (today !== lastSchoolDay) {
    await check.notASchoolDay(page);
    await act.showDay(page, lastSchoolDay);
  }
  // Before the day is handed in nobody is counted present: unmarked children read 未核对.
  await check.summary(page, { 应到: 3, 实到: 0, 迟到: 0, 病假: 0, 事假: 0, 旷课: 0 });
  await check.marked(page, late, '未核对');

  // Back day by day over the last five school days; weekends in between take no marks.
  let day = lastSchoolDay;
  for (const schoolDay of week) {
    while (day !== schoolDay) {
      await check.notASchoolDay(page);
      day = await act.previousDay(page, day);
    }
    if (truantDays.includes(day)) {
      await act.tap(page, truant, 4);
      await check.marked(page, truant, '旷课');
      await check.summary(page, { 应到: 3, 实到: 0, 病假: 0, 旷课: 1 });
    } else if (day === sickDay) {
      await act.tap(page, sick, 2);
      await check.marked(page, sick, '病假');
      await check.summary(page, { 应到: 3, 实到: 0, 病假: 1, 旷课: 0 });
    }
    // Each day's register is handed in with one tap, but for the sick day's: left unconfirmed,
    // so its unmarked children stay unknown.
    if (day === sickDay) {
      await expect(page.getByText('这一天的出勤还没有核对')).toBeVisible();
      await check.marked(page, late, '未核对');
    } else {
      await act.confirmDay(page, day === today);
      await check.marked(page, late, '出勤');
      const absent = truantDays.includes(day) ? 1 : 0;
      await check.summary(page, { 应到: 3, 实到: 3 - absent, 病假: 0, 旷课: absent });
    }
    if (day !== week[week.length - 1]) day = await act.previousDay(page, day);
  }

  // The day left unconfirmed is named as such on the register and on the roster, never
  // counted as present.
  await act.showDay(page, sickDay);
  await expect(page.getByText('这一天的出勤还没有核对')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'attendance-unrecorded-360.png'), fullPage: true });
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByText('not confirmed yet')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'attendance-unrecorded-en-360.png'), fullPage: true });
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('link', { name: '花名册', exact: true }).click();
  await expect(page.getByText('1 个上课日的出勤未核对')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'roster-unrecorded-360.png') });
  await act.openAttendance(page);

  // Back on the last school day: the register raises the child for a report today.
  await act.showDay(page, lastSchoolDay);
  const alert = check.raised(page, truant);
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('辍学上报不过夜');
  await expect(alert).toContainText('已连续旷课（天）: 3');
  await check.summary(page, { 应到: 3, 实到: 2, 病假: 0, 旷课: 1 });
  await page.screenshot({ path: path.join(shots, 'attendance-alert-360.png') });
  await page.screenshot({ path: path.join(shots, 'attendance-alert-360-full.png'), fullPage: true });

  await alert.getByRole('button', { name: '上报疑似辍学' }).click();
  await expect(alert).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, 'attendance-reported-360.png') });
  await check.reportedOnStudentPage(page, truant);

  // Everything is still there after a reload, read back from the phone's storage.
  await page.reload();
  await expect(page.getByRole('heading', { name: truant, level: 2 })).toBeVisible();
  await expect(page.locator('ol.timeline')).toContainText('疑似辍学');
  await act.openAttendance(page);
  await act.showDay(page, lastSchoolDay);
  await expect(check.raised(page, truant)).toHaveCount(0);
  await check.marked(page, truant, '旷课');
  await act.showDay(page, sickDay);
  await check.marked(page, sick, '病假');
  await check.summary(page, { 应到: 3, 实到: 0, 病假: 1, 旷课: 0 });
  for (const truantDay of truantDays) {
    await act.showDay(page, truantDay);
    await check.marked(page, truant, '旷课');
  }

  // No signal: the browser is offline and the server is gone. The app still opens and saves.
  await page.context().setOffline(true);
  await server.stop();
  await page.reload();
  await expect(page.getByRole('heading', { name: '班级出席日报', level: 2 })).toBeVisible();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await act.showDay(page, lastSchoolDay);
  await act.tap(page, late, 1);
  await check.summary(page, { 应到: 3, 实到: 2, 迟到: 1, 旷课: 1 });
  await page.screenshot({ path: path.join(shots, 'attendance-offline-360.png') });

  await page.reload();
  await expect(page.getByRole('heading', { name: '班级出席日报', level: 2 })).toBeVisible();
  await act.showDay(page, lastSchoolDay);
  await check.marked(page, late, '迟到');
  await check.marked(page, truant, '旷课');
  await check.summary(page, { 应到: 3, 实到: 2, 迟到: 1, 旷课: 1 });
});
