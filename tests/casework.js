// What the case-work specs share: a phone's day (its clock set to 10:00 in Beijing), a child
// added by hand, a day's register with some children 旷课, and a child's page.
const { expect } = require('@playwright/test');

// 10:00 in Beijing on `day` ('YYYY-MM-DD').
const at = (day) => new Date(`${day}T10:00:00+08:00`);

// The phone's clock moves to `day`; the app reads "today" when it starts, so it is reloaded.
async function goToDay(page, day) {
  await page.clock.setSystemTime(at(day));
  await page.reload();
  await expect(page.getByRole('navigation')).toBeVisible();
}

async function addStudent(page, name, gender, birthDate) {
  await page.getByRole('link', { name: '花名册', exact: true }).click();
  await page.getByRole('link', { name: '添加学生' }).click();
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('性别').selectOption({ label: gender });
  await page.getByLabel('出生日期').fill(birthDate);
  await page.getByLabel('村').fill('石门村');
  await page.getByLabel('监护人').fill(`${name.slice(0, 1)}建国`);
  await page.getByLabel('电话').fill('13800001234');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

// Today's register: each of `names` marked 旷课 (four taps from 出勤, each seen on the button
// before the next), then the day handed in.
async function markUnexcused(page, names) {
  await page.getByRole('link', { name: '考勤', exact: true }).click();
  await expect(page.getByRole('heading', { name: '班级出席日报', level: 2 })).toBeVisible();
  for (const name of names) {
    const button = page.getByRole('list').getByRole('button', { name: new RegExp(name) });
    for (let tap = 0; tap < 4; tap += 1) {
      const before = await button.textContent();
      await button.click();
      await expect(button).not.toHaveText(before);
    }
    await expect(button).toContainText('旷课');
  }
  await page.getByRole('button', { name: '今日出勤已核对' }).click();
  await expect(page.getByText('本日出勤已核对。')).toBeVisible();
}

async function openChild(page, name) {
  await page.getByRole('link', { name: '花名册', exact: true }).click();
  await page.getByRole('link', { name: new RegExp(name) }).first().click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

// On the child's page: one visit or call logged in the case's contact log.
async function logContact(page, { date, method, met, outcome }) {
  await page.getByRole('button', { name: '登记一次家访或电话' }).click();
  const form = page.locator('form.contact-form');
  await form.getByLabel('日期', { exact: true }).fill(date);
  await form.getByLabel('方式').selectOption({ label: method });
  await form.getByLabel('接待人（如：父亲、祖母）').fill(met);
  await form.getByLabel('结果').fill(outcome);
  await form.getByRole('button', { name: '保存记录' }).click();
  await expect(form).toHaveCount(0);
}

module.exports = { at, goToDay, addStudent, markUnexcused, openChild, logContact };
