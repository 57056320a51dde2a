// The benchmark `cargo xtask bench` runs (not a test: it never fails on a figure). A phone
// holding a whole generated town (about 3,000 children and a term of attendance) opens the app:
// how long until the roster is usable, and how long one attendance tap takes, at a cheap
// phone's speed (CPU slowed 4x) and at this machine's. Prints a table with the targets.
//
//   BAOXUE_BENCH_DATA=DIR (datagen's mutations.jsonl) BAOXUE_FIRST_VISIT_GZIP=bytes \
//   BAOXUE_SERVER_BIN=... BAOXUE_DIST=... node tests/bench/first_load.js
const { chromium } = require('@playwright/test');
const fs = require('node:fs');
const path = require('node:path');
const config = require('../playwright.config.js');
const { startServer } = require('../fixtures');

const dataDir = process.env.BAOXUE_BENCH_DATA || path.join(__dirname, '../../target/bench-data');
const dist = process.env.BAOXUE_DIST || path.join(__dirname, '../../dist');
const loadRuns = Number(process.env.BAOXUE_BENCH_LOADS || 5);
const tapRuns = Number(process.env.BAOXUE_BENCH_TAPS || 20);
const targets = { bytes: 250 * 1024, loadMs: 1500, tapMs: 50, pageMs: 1000 };
// A device id for the benchmark phone; its chain starts empty, as on a phone set up today.
const device = '019ab000-0000-7000-8000-00000000be9c';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// What the phone stores: every generated mutation, and a profile for the biggest class of the
// biggest school (the heaviest roster and register a head teacher would see).
function readData() {
  const lines = fs.readFileSync(path.join(dataDir, 'mutations.jsonl'), 'utf8').split('\n').filter(Boolean);
  const records = lines.map((json) => ({ json, mutation: JSON.parse(json) }));
  const count = (kind) => records.filter(({ mutation }) => kind in mutation.change).length;
  const bySchool = new Map();
  const byClass = new Map();
  for (const { mutation } of records) {
    const student = mutation.change.PutStudent;
    if (!student) continue;
    bySchool.set(student.school, (bySchool.get(student.school) || 0) + 1);
    byClass.set(student.class, (byClass.get(student.class) || 0) + 1);
  }
  const biggest = (map, keep = () => true) => [...map].filter(([id]) => keep(id)).sort((a, b) => b[1] - a[1])[0][0];
  const school = biggest(bySchool);
  const classes = new Map(records.filter(({ mutation }) => mutation.change.PutClass)
    .map(({ mutation }) => [mutation.change.PutClass.id, mutation.change.PutClass]));
  const klass = classes.get(biggest(byClass, (id) => classes.get(id)?.school === school));
  const terms = records.filter(({ mutation }) => mutation.change.SetTerm?.school === school);
  return {
    entries: records.map(({ json, mutation }) => [mutation.id, json]),
    counts: {
      mutations: records.length,
      students: count('PutStudent'),
      marks: count('Mark'),
      schoolStudents: bySchool.get(school),
      classStudents: byClass.get(klass.id),
    },
    profile: { device, school, class: klass.id, teacher: klass.head_teacher },
    // The day the generated attendance runs up to: a school day of the term with marks on it.
    lastDay: records.filter(({ mutation }) => mutation.change.Mark)
      .map(({ mutation }) => mutation.change.Mark.day).sort().pop(),
    term: terms.length ? terms[terms.length - 1].mutation.change.SetTerm.term : null,
    // The last day with data, as datagen wrote it: the phone's "today".
    today: JSON.parse(fs.readFileSync(path.join(dataDir, 'summary.json'), 'utf8')).summary.today,
  };
}

// Writes the store as the app does (IndexedDB "baoxue" version 2, see app/src/store/schema.rs),
// from a page of the app's origin that does not run the app.
async function seed(page, data) {
  const chain = { device, last_seq: 0, last_hash: '0'.repeat(64), clock: { wall_ms: 0, counter: 0, device } };
  const meta = [['profile', JSON.stringify(data.profile)], ['chain', JSON.stringify(chain)], ['outbox_from_v1', 'done']];
  await page.evaluate(async ({ entries, meta }) => {
    await new Promise((resolve, reject) => {
      const gone = indexedDB.deleteDatabase('baoxue');
      gone.onsuccess = resolve;
      gone.onerror = () => reject(gone.error);
    });
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('baoxue', 2);
      open.onupgradeneeded = () => {
        for (const name of ['mutations', 'outbox', 'meta']) open.result.createObjectStore(name);
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise((resolve, reject) => {
      const transaction = db.transaction(['mutations', 'meta'], 'readwrite');
      const mutations = transaction.objectStore('mutations');
      for (const [id, json] of entries) mutations.put(json, id);
      for (const [key, value] of meta) transaction.objectStore('meta').put(value, key);
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
    });
    db.close();
  }, { entries: data.entries, meta });
}

// The phone's clock: the data's last day at 17:00 Beijing time (09:00 UTC, the browser's zone
// here), flowing from there. The generated data ends on a fixed day; a phone reading the real date
// would see the weeks since as days nobody marked, and the figures would drift with the calendar.
// Only Date moves: timers, requestAnimationFrame and performance.now (the timings) stay real.
function fixedClock(today) {
  return `(() => {
    const RealDate = Date;
    const shift = RealDate.parse('${today}T09:00:00Z') - RealDate.now();
    class PhoneDate extends RealDate {
      constructor(...args) { if (args.length === 0) super(RealDate.now() + shift); else super(...args); }
      static now() { return RealDate.now() + shift; }
    }
    globalThis.Date = PhoneDate;
  })();`;
}

// Milestones of one start, in ms from navigation start, recorded by the page itself.
const WATCH_THE_START = `(() => {
  const seen = {};
  window.__bench = seen;
  const check = () => {
    const now = performance.now();
    if (!seen.shell && document.querySelector('header h1')) seen.shell = now;
    if (!seen.list && document.querySelector('.list li')) {
      seen.list = now;
      // Usable: the frame with the list has been drawn and the main thread is free again.
      requestAnimationFrame(() => setTimeout(() => { seen.usable = performance.now(); }, 0));
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
})();`;

async function openRoster(page, cdp, url, rate) {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.goto(new URL('/roster', url).toString());
  await page.waitForFunction(() => window.__bench && window.__bench.usable, null, { timeout: 120_000 });
  const seen = await page.evaluate(() => window.__bench);
  const nav = await page.evaluate(() => {
    const entry = performance.getEntriesByType('navigation')[0];
    return { response: entry.responseEnd, domContentLoaded: entry.domContentLoadedEventEnd };
  });
  return { ...seen, ...nav };
}

// One tap on the register, timed in the page: from the click to the row showing its new mark.
// The app writes the mark to IndexedDB before it shows it, so the time includes that commit.
async function tapOnce(page, row) {
  return page.evaluate(async (row) => {
    const items = document.querySelectorAll('ul.register li');
    const item = items[row % items.length];
    const name = item.querySelector('.name').textContent;
    const before = item.querySelector('.kind').textContent;
    const changed = () => [...document.querySelectorAll('ul.register li')].some((li) =>
      li.querySelector('.name').textContent === name && li.querySelector('.kind').textContent !== before);
    const done = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (changed()) { observer.disconnect(); resolve(performance.now()); }
      });
      observer.observe(document.querySelector('ul.register'), { childList: true, subtree: true, characterData: true });
    });
    const start = performance.now();
    item.querySelector('button').click();
    const end = await done;
    // Let the write and the redraw settle before the next tap.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
    return end - start;
  }, row);
}

// One of the school's pages (the dashboard, the monthly report) opened from 今天要做 by its link,
// timed in the page: from the click to `ready` drawn and the main thread free again. The first
// open of a run also fetches and compiles the case work's module (from the service worker).
async function openSchoolPage(page, url, link, ready) {
  await page.goto(new URL('/today', url).toString());
  await page.waitForFunction((link) => [...document.querySelectorAll('a')].some((a) => a.textContent.startsWith(link)), link, { timeout: 120_000 });
  return page.evaluate(async ({ link, ready }) => {
    const anchor = [...document.querySelectorAll('a')].find((a) => a.textContent.startsWith(link));
    const drawn = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector(ready)) {
          observer.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    const start = performance.now();
    anchor.click();
    return (await drawn) - start;
  }, { link, ready });
}

async function openRegister(page, url, day) {
  await page.goto(new URL('/attendance', url).toString());
  const dayField = page.locator('.day-picker input[type="date"]');
  await dayField.fill(day);
  await page.locator('ul.register li').first().waitFor({ timeout: 120_000 });
}

// Where the main thread's time goes during `action`, from the CPU profiler's samples: self
// time by kind (the app's wasm has no function names after wasm-opt, so it counts as one).
async function profiled(cdp, action) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await action();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.send('Profiler.disable');
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  profile.samples.forEach((id, index) => {
    const { functionName, url } = byNode.get(id).callFrame;
    let kind;
    if (url.startsWith('wasm://') || /\.wasm$/.test(url)) kind = 'app wasm (Rust)';
    else if (!url && functionName.startsWith('(')) kind = functionName;
    else if (!url) kind = `browser: ${functionName || '(native)'}`;
    else kind = `js ${path.basename(new URL(url).pathname) || 'page'}: ${functionName || '(top level)'}`;
    self.set(kind, (self.get(kind) || 0) + (profile.timeDeltas[index] || 0) / 1000);
  });
  const total = [...self.values()].reduce((sum, ms) => sum + ms, 0);
  return { total, top: [...self].sort((a, b) => b[1] - a[1]).slice(0, 8) };
}

// Reading the whole store the way the app starts (one getAll), timed in the page.
async function readAllMs(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const start = performance.now();
    const open = indexedDB.open('baoxue');
    open.onsuccess = () => {
      const request = open.result.transaction('mutations').objectStore('mutations').getAll();
      request.onsuccess = () => { resolve(performance.now() - start); open.result.close(); };
    };
  }));
}

async function heapMb(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((metric) => metric.name === 'JSHeapUsedSize');
  return used ? used.value / 1024 / 1024 : NaN;
}

async function main() {
  const data = readData();
  process.stderr.write(`bench: ${data.counts.mutations} mutations, ${data.counts.students} students; ` +
    `the phone's class has ${data.counts.classStudents}, its school ${data.counts.schoolStudents}; ` +
    `the phone's today ${data.today}\n`);
  const server = await startServer(dist);
  const browser = await chromium.launch({ ...config.use.launchOptions, headless: true });
  const results = { counts: data.counts, today: data.today, loads: {}, taps: {}, cold: null };
  try {
    const { viewport, deviceScaleFactor, isMobile, hasTouch, locale } = config.use;
    const context = await browser.newContext({ viewport, deviceScaleFactor, isMobile, hasTouch, locale });
    await context.addInitScript(fixedClock(data.today));
    await context.addInitScript(WATCH_THE_START);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    // A page of the app's origin that is not the app, to write the store before the app opens it.
    await page.goto(new URL('/api/health', server.url).toString());
    await seed(page, data);
    const stored = await page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('baoxue');
      open.onsuccess = () => {
        const request = open.result.transaction('mutations').objectStore('mutations').count();
        request.onsuccess = () => { resolve(request.result); open.result.close(); };
      };
    }));
    if (stored !== data.counts.mutations) throw new Error(`seeded ${stored} of ${data.counts.mutations} mutations`);

    // The first open after seeding: nothing cached yet (no service worker, no compiled wasm).
    results.cold = await openRoster(page, cdp, server.url, 4);
    process.stderr.write(`bench: cold first open at 4x: usable roster at ${results.cold.usable.toFixed(0)} ms\n`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    for (const rate of [4, 1]) {
      const runs = [];
      for (let run = 0; run < loadRuns; run += 1) {
        runs.push(await openRoster(page, cdp, server.url, rate));
        process.stderr.write(`bench: load ${rate}x #${run + 1}: ${runs[run].usable.toFixed(0)} ms\n`);
      }
      results.loads[rate] = { runs, heapMb: await heapMb(cdp) };
    }
    for (const rate of [4, 1]) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      await openRegister(page, server.url, data.lastDay);
      const taps = [];
      for (let tap = 0; tap < tapRuns; tap += 1) taps.push(await tapOnce(page, tap));
      process.stderr.write(`bench: taps ${rate}x: ${taps.map((ms) => ms.toFixed(0)).join(' ')} ms\n`);
      results.taps[rate] = taps;
    }
    // The school's pages over every record of the phone's school: three opens each, the first
    // with the case work's module to compile.
    results.pages = {};
    for (const rate of [4, 1]) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      results.pages[rate] = {};
      for (const [key, link, ready] of [['dashboard', '全校统计', 'table.ranking'], ['monthly', '月报表', '.report-totals']]) {
        const runs = [];
        for (let run = 0; run < 3; run += 1) runs.push(await openSchoolPage(page, server.url, link, ready));
        process.stderr.write(`bench: ${key} ${rate}x: ${runs.map((ms) => ms.toFixed(0)).join(' ')} ms\n`);
        results.pages[rate][key] = runs;
      }
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    // Where the time goes: one more start and a few taps under the profiler, and the store's
    // raw read, at each speed. Not part of the figures above (the profiler slows the page).
    results.where = {};
    for (const rate of [4, 1]) {
      const load = await profiled(cdp, () => openRoster(page, cdp, server.url, rate));
      const readMs = await readAllMs(page);
      await openRegister(page, server.url, data.lastDay);
      const taps = await profiled(cdp, async () => { for (let tap = 0; tap < 5; tap += 1) await tapOnce(page, tap); });
      results.where[rate] = { load, taps, readMs };
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await page.screenshot({ path: path.join(__dirname, '../artifacts/bench-attendance-360.png') });
  } finally {
    await browser.close();
    await server.stop();
  }
  report(results);
  const out = process.env.BAOXUE_BENCH_OUT;
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
}

function report(results) {
  const bytes = Number(process.env.BAOXUE_FIRST_VISIT_GZIP || NaN);
  const rows = [];
  const verdict = (value, target) => (Number.isNaN(value) ? '-' : value <= target ? 'PASS' : 'OVER');
  const ms = (value) => `${value.toFixed(0)} ms`;
  const later = Number(process.env.BAOXUE_LATER_GZIP || NaN);
  const kb = (value) => (Number.isNaN(value) ? '-' : `${(value / 1024).toFixed(1)} KB`);
  rows.push(['first visit to the first-run form (html+js+wasm+css, gzip)', kb(bytes), '≤ 250 KB', verdict(bytes, targets.bytes)]);
  rows.push(['later module, fetched at start (gzip)', kb(later), '', '']);
  rows.push(['whole first visit, both modules (gzip)', kb(bytes + later), '', '']);
  const cases = Number(process.env.BAOXUE_CASES_GZIP || NaN);
  rows.push(['case work module, fetched when first used (gzip)', kb(cases), '', '']);
  const { counts } = results;
  rows.push(['stored on the phone', `${counts.mutations} mutations, ${counts.students} students, ${counts.marks} marks`, '', '']);
  rows.push(['roster shown (class / school)', `${counts.classStudents} / ${counts.schoolStudents} students`, '', '']);
  rows.push(["the phone's today (its clock)", results.today, '', '']);
  for (const rate of ['4', '1']) {
    const usable = results.loads[rate].runs.map((run) => run.usable);
    rows.push([`load to usable roster, ${rate}x CPU, median`, ms(median(usable)), '≤ 1.5 s', verdict(median(usable), targets.loadMs)]);
    rows.push([`load to usable roster, ${rate}x CPU, max`, ms(Math.max(...usable)), '≤ 1.5 s', verdict(Math.max(...usable), targets.loadMs)]);
  }
  for (const rate of ['4', '1']) {
    const taps = results.taps[rate];
    rows.push([`attendance tap, ${rate}x CPU, median of ${taps.length}`, ms(median(taps)), '< 50 ms', median(taps) < targets.tapMs ? 'PASS' : 'OVER']);
    rows.push([`attendance tap, ${rate}x CPU, max`, ms(Math.max(...taps)), '< 50 ms', Math.max(...taps) < targets.tapMs ? 'PASS' : 'OVER']);
  }
  for (const rate of ['4', '1']) {
    for (const [key, label] of [['dashboard', 'school dashboard'], ['monthly', 'monthly report']]) {
      const runs = (results.pages && results.pages[rate] && results.pages[rate][key]) || [];
      if (runs.length === 0) continue;
      const again = median(runs.slice(1));
      rows.push([`${label}, ${rate}x CPU, first open (module compiled)`, ms(runs[0]), '< 1 s', verdict(runs[0], targets.pageMs)]);
      rows.push([`${label}, ${rate}x CPU, opened again (median of ${runs.length - 1})`, ms(again), '< 1 s', verdict(again, targets.pageMs)]);
    }
  }
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  console.log(`\n${line(['figure', 'measured', 'target', ''])}`);
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));

  // Where a start's time goes (medians, ms from navigation start), and the memory it holds.
  console.log('\nwhere the load time goes (median ms from navigation start):');
  for (const rate of ['4', '1']) {
    const runs = results.loads[rate].runs;
    const at = (key) => median(runs.map((run) => run[key])).toFixed(0);
    console.log(`  ${rate}x: html+js received ${at('response')}, DOMContentLoaded ${at('domContentLoaded')}, ` +
      `app shell drawn ${at('shell')}, roster list ${at('list')}, usable ${at('usable')}; ` +
      `JS heap ${results.loads[rate].heapMb.toFixed(1)} MB`);
  }
  for (const rate of ['4', '1']) {
    const { load, taps, readMs } = results.where[rate];
    console.log(`\n  ${rate}x, IndexedDB getAll of every mutation (JS only, no parsing): ${readMs.toFixed(0)} ms`);
    for (const [title, profile] of [['one start', load], ['5 taps (each with a 50 ms settle)', taps]]) {
      console.log(`  ${rate}x, ${title}, CPU profile self time (${profile.total.toFixed(0)} ms sampled):`);
      for (const [kind, ms] of profile.top) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${kind}`);
    }
  }
  const cold = results.cold;
  console.log(`  cold first open, 4x (no cache, wasm compiled): shell ${cold.shell.toFixed(0)}, ` +
    `roster list ${cold.list.toFixed(0)}, usable ${cold.usable.toFixed(0)}`);
}

main().catch((error) => {
  console.error(`bench: ${error.stack || error}`);
  process.exit(1);
});
