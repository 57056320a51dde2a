// A head teacher adds a child on the roster through the student form, with what a village
// school knows of the child; the child's page opens once it is saved.
const { expect } = require('@playwright/test');

async function addStudent(page, name) {
  await page.getByRole('link', { name: '花名册', exact: true }).click();
  await page.getByRole('link', { name: '添加学生' }).click();
  await expect(page.getByRole('heading', { name: '添加学生' })).toBeVisible();
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('性别').selectOption({ label: '女' });
  await page.getByLabel('出生日期').fill('2013-05-02');
  await page.getByLabel('村').fill('石门村');
  await page.getByLabel('监护人').fill('王建国');
  await page.getByLabel('电话').fill('13800001234');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

module.exports = { addStudent };
