// A town's education office opens the link the operator shared: phones of two schools of the
// town pushed what their head teachers recorded, and the office, in a fresh browser with no
// account and no app, sees the town's figures (totals only, small counts masked) worked out by
// hand below, and no child's name or details. Revoked and expired links say so.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { addStudent } = require('../roster');
const { addSchool, enrollmentCode, shareLink, revokeLink } = require('../operator');
const path = require('node:path');

const shots = path.join(__dirname, '../artifacts');
const phone = {
  viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
};

async function syncNow(page) {
  await page.getByRole('region', { name: '同步状态' }).getByRole('link').click();
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(page.getByText('所有修改都已发送')).toBeVisible();
}

async function dropOut(page, name, evidence) {
  await page.getByRole('link', { name: '花名册', exact: true }).click();
  await page.getByRole('link', { name: new RegExp(name) }).click();
  await page.getByRole('button', { name: '记录状态变化' }).click();
  await page.getByLabel('新状态').selectOption({ label: '辍学' });
  await page.getByLabel('依据').fill(evidence);
  await page.getByRole('button', { name: '保存状态' }).click();
  await expect(page.locator('.timeline')).toContainText('辍学');
}

test('a town link shows the figures of the town\'s schools, masked, and revoked or expired links say so', async ({ browser, server }) => {
  test.setTimeout(180_000);
  const schools = [
    addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中学' }),
    addSchool(server, { county: '会泽县', town: '大井镇', name: '大井镇中心小学' }),
  ];
  addSchool(server, { county: '会泽县', town: '者海镇', name: '者海镇中学' });
  // Made first, so it has expired by the end of the test.
  const shortLived = shareLink(server, 'town:大井镇', '1m');
  const madeAt = Date.now();

  const children = [['张一', '张二', '张三'], ['李一', '李二', '李三', '李四']];
  const evidence = '家访时邻居说孩子随父母去广东打工';
  const phones = [];
  for (const [index, school] of schools.entries()) {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await page.goto(server.url);
    await fillFirstRun(page, { code: enrollmentCode(server, school), teacher: `老师${index}`, school: index ? '大井镇中心小学' : '大井镇中学' });
    await expect(page.getByRole('heading', { name: '花名册' })).toBeVisible();
    for (const name of children[index]) await addStudent(page, name);
    await dropOut(page, children[index][0], evidence);
    await syncNow(page);
    phones.push(page);
  }

  // Worked out by hand: 3 + 4 = 7 children on the roll this term in the town, 2 dropouts (one
  // per school). Every school's counts are under 5, so masked; the town's 7 is shown, its 2
  // masked, and the 辍学率 with it.
  const link = shareLink(server, 'town:大井镇');
  const office = await browser.newContext(phone);
  const page = await office.newPage();
  const response = await page.goto(link.url);
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('no-store');
  expect(response.headers()['x-robots-tag']).toContain('noindex');
  expect(response.headers()['referrer-policy']).toBe('no-referrer');
  await expect(page.getByRole('heading', { name: '会泽县 大井镇', level: 1 })).toBeVisible();
  const total = page.locator('section.unit.total');
  await expect(total.locator('dt', { hasText: '学校数' }).locator('+ dd')).toHaveText('2');
  await expect(total.locator('dt', { hasText: '本周已报送' }).locator('+ dd')).toHaveText('2');
  await expect(total.locator('dt', { hasText: '在籍学生' }).locator('+ dd')).toHaveText('7');
  await expect(total.locator('dt', { hasText: /^辍学率/ }).locator('+ dd')).toHaveText('不显示（<5/7）');
  for (const [name, enrolled] of [['大井镇中学', 3], ['大井镇中心小学', 4]]) {
    const card = page.locator('section.unit:not(.total)', { has: page.getByRole('heading', { name }) });
    await expect(card.locator('dt', { hasText: '在籍学生' }).locator('+ dd'), `${name} has ${enrolled}, under 5`).toHaveText('<5');
  }
  await expect(page.locator('section.unit')).toHaveCount(3);
  await expect(page.getByText('者海镇中学')).toHaveCount(0);
  await expect(page.getByText('本周各校均已报送。')).toBeVisible();
  // One script, which keeps the page for offline use; nothing is worked out in the browser.
  await expect(page.locator('script')).toHaveCount(1);
  // The campaign, week by week: a chart per step; the week's 2 dropouts found are under 5.
  await expect(page.locator('section.campaign svg')).toHaveCount(4);
  await expect(page.locator('section.campaign tbody td').filter({ hasText: '<5' }).first()).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'share-town-360.png'), fullPage: true });
  // Nothing of a child: names, village, guardian, phone, what the visit found.
  const text = await page.content();
  for (const secret of [...children.flat(), '石门村', '王建国', '13800001234', evidence]) {
    expect(text, `${secret} is behind the link`).not.toContain(secret);
  }
  const json = await (await page.request.get(link.url.replace('/share/', '/api/share/'))).text();
  for (const secret of [...children.flat(), '石门村', '王建国', '13800001234', evidence]) {
    expect(json, `${secret} is behind the link`).not.toContain(secret);
  }
  // Once opened, the page works with no signal: the kept copy, with the time its figures were
  // taken.
  await page.waitForFunction(async () => Boolean(await caches.match(location.pathname)));
  await office.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: '会泽县 大井镇', level: 1 })).toBeVisible();
  await expect(page.getByText('数据时间')).toBeVisible();
  await expect(total.locator('dt', { hasText: '在籍学生' }).locator('+ dd')).toHaveText('7');
  await page.screenshot({ path: path.join(shots, 'share-offline-360.png') });
  await office.setOffline(false);
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByText('Dropout rate (dropouts / on the roll)')).toHaveCount(3);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // The school shares itself from the app: a link to 大井镇中学 with its QR code, which the
  // office opens.
  const teacher = phones[0];
  await teacher.getByRole('link', { name: '设置', exact: true }).click();
  await teacher.getByRole('link', { name: '分享给上级（汇总链接）' }).click();
  await expect(teacher.getByRole('heading', { name: '分享给上级', level: 2 })).toBeVisible();
  await teacher.getByLabel('给谁').fill('镇教办');
  await teacher.getByRole('button', { name: '生成链接' }).click();
  await expect(teacher.getByText('链接已生成')).toBeVisible();
  const schoolLink = await teacher.locator('input.share-url').inputValue();
  expect(schoolLink).toMatch(/\/share\/[0-9a-f]{64}$/);
  await expect(teacher.locator('img.share-qr')).toBeVisible();
  await expect(teacher.locator('.share-links li')).toContainText('镇教办');
  await teacher.screenshot({ path: path.join(shots, 'share-from-app-360.png'), fullPage: true });
  const schoolPage = await office.newPage();
  await schoolPage.goto(schoolLink);
  await expect(schoolPage.getByRole('heading', { name: '会泽县 大井镇 大井镇中学', level: 1 })).toBeVisible();
  await expect(schoolPage.locator('section.unit.total dt', { hasText: '在籍学生' }).locator('+ dd')).toHaveText('<5');
  // Below the school its grades, and below each grade its classes, set in under it.
  await expect(schoolPage.locator('section.unit.sub').first()).toBeVisible();
  const gradeLeft = await schoolPage.locator('section.unit:not(.total):not(.sub)').first().boundingBox();
  const classLeft = await schoolPage.locator('section.unit.sub').first().boundingBox();
  expect(classLeft.x).toBeGreaterThan(gradeLeft.x);
  await schoolPage.screenshot({ path: path.join(shots, 'share-school-360.png'), fullPage: true });
  // Revoked from the app: the office's copy says so.
  await teacher.getByRole('button', { name: '撤销' }).click();
  await expect(teacher.locator('.share-links li')).toContainText('已撤销');
  expect((await schoolPage.goto(schoolLink)).status()).toBe(410);

  // Revoked: the same link, opened again, says so.
  revokeLink(server, link.id);
  const revoked = await page.goto(link.url);
  expect(revoked.status()).toBe(410);
  await expect(page.getByText('此链接已被分享人撤销')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'share-revoked-360.png') });

  // Expired: the link made at the start for one minute.
  await page.waitForTimeout(Math.max(0, madeAt + 61_000 - Date.now()));
  const expired = await page.goto(shortLived.url);
  expect(expired.status()).toBe(410);
  await expect(page.getByText('此链接已过期')).toBeVisible();
  await office.close();
  for (const page of phones) await page.context().close();
});
