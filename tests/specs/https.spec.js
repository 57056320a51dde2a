// A school's server reached by its name over HTTPS, as phones reach it (README.md): the server
// does TLS itself with a certificate for baoxue.school.test. The page is a secure context, so
// the service worker installs and the app opens with no network; every answer carries the
// security headers; and nothing the app does on its main screens, the roster import included,
// breaks the Content-Security-Policy.
const { test, expect } = require('../fixtures');
const { fillFirstRun } = require('../first_run');
const { seesTheApp } = require('../service_worker');
const config = require('../playwright.config');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const NAME = 'baoxue.school.test';
const repo = path.join(__dirname, '../..');

// A self-signed certificate for NAME, made once for this file; Chromium trusts it by the hash
// of its public key (SPKI), as it would trust one a certificate authority signed.
function makeCertificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baoxue-tls-'));
  const cert = path.join(dir, 'fullchain.pem');
  const key = path.join(dir, 'privkey.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${NAME}`, '-addext', `subjectAltName=DNS:${NAME}`],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  const publicKey = execFileSync('openssl', ['x509', '-in', cert, '-pubkey', '-noout']);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
  const spki = require('node:crypto').createHash('sha256').update(der).digest('base64');
  return { dir, cert, key, spki };
}

const tls = makeCertificate();
test.afterAll(() => fs.rmSync(tls.dir, { recursive: true, force: true }));

const launch = config.use.launchOptions;
test.use({
  serverArgs: ['--tls-cert', tls.cert, '--tls-key', tls.key],
  launchOptions: {
    ...launch,
    // NAME resolves to this machine, and the certificate is trusted by its key's hash.
    args: [...launch.args, `--host-resolver-rules=MAP ${NAME} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${tls.spki}`],
  },
});

// The school's 花名册 (a GBK CSV with bad rows), as the generator writes it.
function rosterWithBadRows() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'baoxue-roster-'));
  execFileSync('cargo', ['run', '-q', '-p', 'baoxue-datagen', '--', '--seed', '7', '--size', 'class', '--bad-rows', '3', '--out', out],
    { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  return { out, csv: path.join(out, 'roster-gbk.csv') };
}

// Every Content-Security-Policy violation the page reports, as an event or on the console.
async function watchViolations(page) {
  const violations = [];
  await page.exposeFunction('baoxueCspViolation', (text) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.baoxueCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('over HTTPS by name the app installs, works offline, and breaks no security policy', async ({ page, server }) => {
  test.setTimeout(180_000);
  const roster = rosterWithBadRows();
  try {
    const violations = await watchViolations(page);
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const url = server.url.replace('127.0.0.1', NAME);

    const response = await page.goto(url);
    const headers = response.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');
    // The API's answers carry them too (read in the page: only the browser resolves NAME).
    const apiPolicy = await page.evaluate(async () => (await fetch('/api/health')).headers.get('content-security-policy'));
    expect(apiPolicy).toBe(headers['content-security-policy']);

    // A secure context: the service worker installs and takes the page.
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10_000 });

    // The main screens: first run, roster, a child's form, the board, settings, attendance.
    await fillFirstRun(page, { grade: '5', className: '五年级(1)班' });
    await expect(page.getByRole('heading', { name: '花名册', level: 2 })).toBeVisible();
    const tabs = page.getByRole('navigation');
    await page.getByRole('link', { name: '添加学生' }).click();
    await expect(page.getByRole('heading', { name: '添加学生' })).toBeVisible();
    await tabs.getByRole('link', { name: '预警' }).click();
    await expect(page.getByRole('heading', { name: '预警', level: 2 })).toBeVisible();
    await tabs.getByRole('link', { name: '设置' }).click();
    await expect(page.getByRole('heading', { name: '设置', level: 2 })).toBeVisible();
    await tabs.getByRole('link', { name: '花名册' }).click();

    // The roster import: its own wasm module, loaded by the boot script, and its lists of bad
    // rows (which once had an inline style).
    await page.getByRole('link', { name: '导入花名册' }).click();
    await page.getByLabel(/选择文件|换一个文件/).setInputFiles(roster.csv);
    await expect(page.getByText(/行有问题，不会导入/)).toBeVisible();
    await page.getByRole('button', { name: '确认导入' }).click();
    await expect(page.getByText(/^\d+ 名学生$/)).toBeVisible();

    // No signal: the app still opens, from the phone.
    await page.context().setOffline(true);
    await page.reload();
    await seesTheApp(page);
    await page.goto(new URL('/board', url).toString());
    await seesTheApp(page);
    await page.context().setOffline(false);

    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  } finally {
    fs.rmSync(roster.out, { recursive: true, force: true });
  }
});
