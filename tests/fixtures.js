// Each test gets its own sync server on a free port with a fresh SQLite file, removed after.
const base = require('@playwright/test');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const serverBin = process.env.BAOXUE_SERVER_BIN || path.join(__dirname, '../target/debug/sync-server');
const builtDist = process.env.BAOXUE_DIST || path.join(__dirname, '../dist');

// `args` adds to the command line, as `--tls-cert` and `--tls-key` for HTTPS.
async function startServer(dist, args = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baoxue-e2e-'));
  const child = spawn(serverBin,
    ['serve', '--db', path.join(dir, 'baoxue.db'), '--dist', dist, '--listen', '127.0.0.1:0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s; it said:\n${output}`)), 20_000);
    const read = (chunk) => {
      output += chunk;
      const found = output.match(/running at (https?:\/\/\S+\/)/);
      if (found) { clearTimeout(timer); resolve(found[1]); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${output}`)); });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    dir,
    dist,
    // A test may stop its server early (the phone lost its signal); stopping twice is fine.
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

exports.test = base.test.extend({
  // The built app the server serves: the shared dist/, which tests only read.
  dist: async ({}, use) => { await use(builtDist); },
  // More of the server's command line: a spec sets it with `test.use({ serverArgs: [...] })`.
  serverArgs: [[], { option: true }],
  server: async ({ dist, serverArgs }, use) => {
    const server = await startServer(dist, serverArgs);
    await use(server);
    await server.stop();
  },
});

// For tests that change what the server serves (a new version is deployed): each test gets
// its own copy of dist/, removed after.
exports.testWithOwnDist = exports.test.extend({
  dist: async ({}, use) => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'baoxue-dist-'));
    fs.cpSync(builtDist, copy, { recursive: true });
    await use(copy);
    fs.rmSync(copy, { recursive: true, force: true });
  },
});
exports.expect = base.expect;
// The benchmark (tests/bench/) starts the same server outside Playwright's test runner.
exports.startServer = startServer;
