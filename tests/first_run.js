// The first-run form as a head teacher fills it in: school, class and teacher, and what a spec's
// story adds (a grade, the term's dates, the operator's enrollment code).
const defaults = { county: '会泽县', town: '大井镇', school: '大井镇中学', teacher: '李老师', className: '七年级(2)班' };

async function fillFirstRun(page, given = {}) {
  const form = { ...defaults, ...given };
  await page.getByLabel('县（区）').fill(form.county);
  await page.getByLabel('乡镇').fill(form.town);
  await page.getByLabel('学校名称').fill(form.school);
  await page.getByLabel('班主任姓名').fill(form.teacher);
  if (form.grade) await page.getByRole('combobox', { name: /^年级/ }).selectOption(form.grade);
  await page.getByLabel('班级', { exact: true }).fill(form.className);
  if (form.termStart) await page.getByLabel('本学期开学日期').fill(form.termStart);
  if (form.termEnd) await page.getByLabel('本学期结束日期').fill(form.termEnd);
  if (form.code) await page.getByLabel('注册码（可选）').fill(form.code);
  await page.getByRole('button', { name: '保存并开始' }).click();
}

module.exports = { fillFirstRun };
