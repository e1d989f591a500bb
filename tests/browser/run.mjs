// Candour in a real browser: headless Debian Chromium driven by playwright-core, WCAG checks by
// axe-core, against the real `candour` binary on a loopback port with a fresh data folder.
//
//   CANDOUR_BINARY=build/cli/candour node tests/browser/run.mjs
//
// Environment: CANDOUR_BINARY (default build/cli/candour), CANDOUR_SCREENSHOTS (default
// build/screenshots), CANDOUR_CHROMIUM (default /usr/bin/chromium). Never downloads a browser.
// The run: start the server once to create the demo survey, stop it, import a synthetic data
// set, count, start it again, run the browser tests, stop it and count again.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server, runCandour, countResponses, waitForRelease } from './lib/candour.mjs';
import { makeDataset } from './lib/dataset.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);

function fatal(message) {
  console.error(`browser tests: ${message}`);
  process.exit(1);
}

// Fail, loudly, when something the suite needs is missing: never skip.
let chromium;
let axePath;
try {
  ({ chromium } = await import('playwright-core'));
  axePath = require.resolve('axe-core/axe.min.js');
} catch (e) {
  fatal(`the npm packages are missing (${e.code ?? e.message}). Run scripts/setup.sh, or ` +
    `\`npm ci\` in ${here}, to install ${path.join(here, 'node_modules')}.`);
}
const binary = process.env.CANDOUR_BINARY || path.join(repo, 'build', 'cli', 'candour');
const chromiumPath = process.env.CANDOUR_CHROMIUM || '/usr/bin/chromium';
const screenshots = process.env.CANDOUR_SCREENSHOTS || path.join(repo, 'build', 'screenshots');
for (const [what, file] of [['the candour binary (CANDOUR_BINARY)', binary],
  ['Chromium (Debian package chromium; CANDOUR_CHROMIUM)', chromiumPath]]) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    fatal(`${what} is not an executable file: ${file}`);
  }
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
const PHONE = { width: 375, height: 812 };
const NARROW = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 900 };
const THRESHOLD = 10; // the survey's suppression threshold
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const state = {
  tmp: null, dataDir: null, keyFile: null, server: null, browser: null, base: null,
  survey: null, imported: 0, baseline: null, submissions: 0,
  requests: [], consoleErrors: [], pageErrors: [], currentTest: '(set-up)',
};

// The last resort: nothing may outlive the run, whatever happens.
const WATCHDOG_MS = 270_000;
setTimeout(() => {
  console.error(`browser tests: still running after ${WATCHDOG_MS / 1000} s: stopping everything`);
  state.server?.killNow();
  state.browser?.close().catch(() => {});
  if (state.tmp) fs.rmSync(state.tmp, { recursive: true, force: true });
  process.exit(1);
}, WATCHDOG_MS).unref();
process.on('exit', () => state.server?.killNow());

// Collects failed expectations so that one run reports all of them, then fails at the end.
class Checks {
  constructor() { this.failures = []; }
  ok(cond, message) { if (!cond) this.failures.push(message); return !!cond; }
  eq(actual, expected, what) {
    return this.ok(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  done() {
    if (this.failures.length) assert.fail(this.failures.map((f) => `- ${f}`).join('\n'));
  }
}

// A browser context whose every request, console error and page error is recorded.
async function withContext(options, fn) {
  const context = await state.browser.newContext({ viewport: PHONE, ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const test = state.currentTest;
  context.on('request', (r) => state.requests.push({ url: r.url(), test }));
  context.on('console', (m) => {
    if (m.type() === 'error') state.consoleErrors.push(`${test}: ${m.text()} (${m.location()?.url ?? ''})`);
  });
  context.on('weberror', (e) => state.pageErrors.push(`${test}: ${e.error()?.message ?? e}`));
  try {
    return await fn(context);
  } finally {
    await context.close().catch(() => {});
  }
}

// node:test with the name of the running test remembered for the request log.
function browserTest(name, fn, timeout = 60_000) {
  test(name, { timeout }, async (t) => {
    state.currentTest = name;
    await fn(t);
  });
}

const url = (p) => new URL(p, state.base).href;
const htmlLang = (page) => page.locator('html').getAttribute('lang');

function radio(page, question, option) {
  return page.locator(`input[type=radio][name="${question}"][value="${option}"]`);
}

// Chooses an answer the way a person does: by clicking the radio's label.
async function chooseByLabel(page, c, question, option) {
  const input = radio(page, question, option);
  if (!c.ok(await input.count() === 1, `no single radio ${question}=${option}`)) return;
  const id = await input.getAttribute('id');
  const label = page.locator(`label[for="${id}"]`);
  if (!c.ok(id && await label.count() === 1, `radio ${question}=${option} has no <label for>`)) return;
  await label.click();
  c.ok(await input.isChecked(), `clicking the label of ${question}=${option} did not check it`);
}

// Security and privacy headers of an HTML page.
function checkHeaders(c, what, headers) {
  c.ok((headers['cache-control'] ?? '').includes('no-store'),
    `${what}: Cache-Control ${JSON.stringify(headers['cache-control'])} lacks no-store`);
  const csp = headers['content-security-policy'];
  if (c.ok(csp, `${what}: no Content-Security-Policy`)) {
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0]).map(([name, ...values]) => [name.toLowerCase(), values]));
    const scripts = directives['script-src'] ?? directives['default-src'] ?? [];
    c.ok(!scripts.includes("'unsafe-inline'"), `${what}: CSP allows 'unsafe-inline' scripts: ${csp}`);
    c.ok(directives['script-src'] || directives['default-src'], `${what}: CSP restricts no scripts: ${csp}`);
  }
  c.eq(headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
}

async function storageOf(page) {
  return page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
}

// RFC 4180 records (quotes, doubled quotes, newlines in quotes), without empty lines.
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; ++i; } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { record.push(field); field = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') ++i;
      record.push(field); field = '';
      if (!(record.length === 1 && record[0] === '')) records.push(record);
      record = [];
    } else field += ch;
  }
  record.push(field);
  if (!(record.length === 1 && record[0] === '')) records.push(record);
  return records;
}

describe('Candour in headless Chromium', () => {
  before(async () => {
    state.tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'candour-browser-'));
    state.dataDir = path.join(state.tmp, 'data');
    state.keyFile = path.join(state.tmp, 'candour.key'); // outside the data folder
    const dirs = { dataDir: state.dataDir, keyFile: state.keyFile };

    // 1. First start: creates the folder, the key and the demo survey; read its questions.
    state.server = await Server.start(binary, dirs);
    const res = await fetch(`${state.server.url}/api/surveys/demo`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200, 'GET /api/surveys/demo');
    state.survey = await res.json();
    await state.server.stop();

    // 2. Import a synthetic data set with small groups, so the dashboard must suppress.
    const { csv, rows } = makeDataset(state.survey);
    const csvFile = path.join(state.tmp, 'responses.csv');
    await fs.promises.writeFile(csvFile, csv);
    // Published months are frozen, so the paper forms of past months are imported as they
    // would have been: while those months were still open (before the first row's week).
    const importedAt = new Date(Date.now() - 71 * 7 * 86400000);
    await runCandour(binary, ['import', '--survey', 'demo', '--data', state.dataDir,
      '--key-file', state.keyFile, csvFile], 60000, { at: importedAt });
    state.imported = rows;
    state.baseline = (await countResponses(binary, dirs)).get('demo');
    assert.equal(state.baseline, rows, 'candour count after the import');

    // 3. Serve it, and start the browser.
    state.server = await Server.start(binary, dirs);
    state.base = state.server.url;
    // The dashboard's first request only starts building its release: wait until it is built.
    assert.equal(await waitForRelease(state.base, '/r/demo'), 200, 'GET /r/demo once its release is built');
    state.browser = await chromium.launch({
      executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000,
    });
    console.log(`# candour ${state.base} (data ${state.dataDir}), Chromium ${state.browser.version()}`);
  }, { timeout: 90_000 });

  after(async () => {
    await state.browser?.close().catch((e) => console.error(`closing the browser: ${e.message}`));
    await state.server?.stop().catch((e) => console.error(`stopping candour: ${e.message}`));
    if (state.server?.stderr.trim()) console.log(`# candour stderr:\n${state.server.stderr.replace(/^/gm, '#   ')}`);
    if (state.tmp) await fs.promises.rm(state.tmp, { recursive: true, force: true });
  }, { timeout: 30_000 });

  // 1. The form, with JavaScript on and off, in English and Turkish.
  const variants = [
    { lang: 'en', js: true, path: '/s/demo?src=browser-test',
      answers: { Q60: 'good', Q62A: 'tend_to_agree', Q62C: 'neither', ward: 'hackney_central', age: '25_34' } },
    { lang: 'en', js: false, path: '/s/demo?src=browser-test',
      answers: { Q60: 'fair', Q62B: 'strongly_agree', stopped: 'no', ward: 'dalston', ethnicity: 'white' } },
    { lang: 'tr', js: true, path: '/s/demo?lang=tr&src=browser-test',
      answers: { Q60: 'poor', Q62TG: 'tend_to_disagree', ward: 'stoke_newington', age: '45_54' } },
    { lang: 'tr', js: false, path: '/s/demo?lang=tr&src=browser-test',
      answers: { Q60: 'excellent', NQ135BD: 'tend_to_agree', Q131: 'fairly_well', gender: 'woman' } },
  ];
  for (const v of variants) {
    const name = `form (${v.lang}, JavaScript ${v.js ? 'on' : 'off'}): answer by labels, submit, thank-you page in ${v.lang}`;
    browserTest(name, async () => {
      const c = new Checks();
      await withContext({ javaScriptEnabled: v.js }, async (context) => {
        const page = await context.newPage();
        const posted = [];
        page.on('response', (r) => {
          if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/s/demo/responses') posted.push(r.status());
        });
        try {
          const res = await page.goto(url(v.path));
          c.eq(res.status(), 200, `GET ${v.path} status`);
          c.eq(await htmlLang(page), v.lang, 'form <html lang>');
          for (const [q, o] of Object.entries(v.answers)) await chooseByLabel(page, c, q, o);
          const text = page.locator('form textarea');
          if (await text.count() > 0) {
            await text.first().fill(`Browser test: ${v.lang}, JavaScript ${v.js ? 'on' : 'off'}.`);
          }
          await Promise.all([
            page.waitForURL(/\/s\/demo\/thanks/, { timeout: 15_000 }),
            page.locator('form button[type=submit]').click(),
          ]);
        } finally {
          state.submissions += posted.filter((s) => s < 400).length;
        }
        c.eq(posted.length, 1, 'POST /s/demo/responses requests');
        // 303 for the plain form POST; 201 if a script sends the answers as JSON instead.
        c.ok(posted.every((s) => s === 303 || s === 201), `POST answered ${posted.join(', ')}, expected 303 (or 201)`);
        c.ok(new URL(page.url()).pathname === '/s/demo/thanks', `landed on ${page.url()}`);
        const h1 = page.locator('h1');
        c.ok(await h1.count() === 1 && (await h1.textContent()).trim().length > 0, 'thank-you page has no single non-empty h1');
        c.eq(await htmlLang(page), v.lang, 'thank-you page <html lang>');
        c.ok(await page.locator('a[href*="/r/demo"]').count() > 0, 'thank-you page has no link to the results /r/demo');
        c.eq((await context.cookies()).length, 0, 'cookies after submitting');
        if (v.js) {
          const storage = await storageOf(page);
          c.eq(storage.local, 0, 'localStorage entries after submitting');
          c.eq(storage.session, 0, 'sessionStorage entries after submitting');
        }
      });
      c.done();
    });
  }

  browserTest('form language from Accept-Language: pl gives <html lang="pl">', async () => {
    const c = new Checks();
    await withContext({ locale: 'pl' }, async (context) => {
      const page = await context.newPage();
      await page.goto(url('/s/demo'));
      c.eq(await htmlLang(page), 'pl', 'Accept-Language "pl": <html lang>');
    });
    // What a Polish phone really sends.
    await withContext({ locale: 'pl-PL', extraHTTPHeaders: { 'Accept-Language': 'pl-PL,pl;q=0.9,en-GB;q=0.8,en;q=0.7' } },
      async (context) => {
        const page = await context.newPage();
        await page.goto(url('/s/demo'));
        c.eq(await htmlLang(page), 'pl', 'Accept-Language "pl-PL,pl;q=0.9,en-GB;q=0.8,en;q=0.7": <html lang>');
      });
    c.done();
  });

  browserTest('form language switch (nav.languages a[hreflang]) leads to the other language and keeps src', async () => {
    const c = new Checks();
    await withContext({ javaScriptEnabled: false }, async (context) => {
      const page = await context.newPage();
      await page.goto(url('/s/demo?src=switch-test'));
      for (const [from, to] of [['en', 'tr'], ['tr', 'en']]) {
        c.eq(await htmlLang(page), from, `before switching to ${to}: <html lang>`);
        const links = page.locator('nav.languages a[hreflang]');
        const hreflangs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('hreflang')));
        const link = page.locator(`nav.languages a[hreflang="${to}"]`);
        if (!c.ok(await link.count() === 1, `on the ${from} form, nav.languages has no single a[hreflang="${to}"] (found ${JSON.stringify(hreflangs)})`)) break;
        const from_url = page.url();
        await Promise.all([page.waitForURL((u) => u.href !== from_url, { timeout: 10_000 }), link.click()]);
        c.eq(await htmlLang(page), to, `after the ${to} link: <html lang>`);
        c.eq(new URL(page.url()).searchParams.get('src'), 'switch-test', `after the ${to} link: src in ${page.url()}`);
      }
    });
    c.done();
  });

  // 2. Privacy of the pages.
  browserTest('privacy: no cookies or storage; no-store, strict CSP and no-referrer on every page', async () => {
    const c = new Checks();
    await withContext({}, async (context) => {
      const page = await context.newPage();
      for (const p of ['/s/demo?src=privacy-test', '/s/demo?lang=tr', '/s/demo/thanks?lang=en', '/r/demo',
        '/s/demo/poster?src=privacy-test']) {
        const res = await page.goto(url(p));
        c.eq(res.status(), 200, `GET ${p} status`);
        checkHeaders(c, `GET ${p}`, res.headers());
        const storage = await storageOf(page);
        c.eq(storage.local, 0, `${p}: localStorage entries`);
        c.eq(storage.session, 0, `${p}: sessionStorage entries`);
        c.eq(await page.evaluate(() => document.cookie), '', `${p}: document.cookie`);
      }
      c.eq(JSON.stringify(await context.cookies()), '[]', 'cookies in the browser after visiting every page');
    });
    c.done();
  });

  // 4. The dashboard: the summary and measure pages at 320, 390 and 1280 px.
  const DASH_WIDTHS = [NARROW, { width: 390, height: 844 }, DESKTOP];
  const dashPages = ['/r/demo', '/r/demo/good_job', '/r/demo/stop_respect', '/r/demo?lang=tr',
    '/r/demo/good_job?lang=tr', '/r/demo?lang=pl', '/r/demo/good_job?lang=pl'];
  // Every chart's text: each line box of HTML text and each SVG <text>, with its chart's box.
  const measureCharts = () => {
    const out = [];
    for (const box of document.querySelectorAll('figure.chart .chart-box')) {
      const b = box.getBoundingClientRect();
      const rects = [];
      for (const t of box.querySelectorAll('text')) {
        const r = t.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) rects.push({ text: t.textContent, r });
      }
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent.trim() || n.parentElement.closest('svg, .visually-hidden')) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) rects.push({ text: n.textContent, r });
      }
      for (const { text, r } of rects) {
        out.push({ text: text.trim().slice(0, 40), h: r.height,
          outside: r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5 });
      }
    }
    return out;
  };
  for (const p of dashPages) {
    browserTest(`dashboard ${p} at 320, 390, 1280 px: chart text 12-18 px inside its chart, no sideways scroll`, async () => {
      const c = new Checks();
      for (const viewport of DASH_WIDTHS) {
        await withContext({ viewport }, async (context) => {
          const page = await context.newPage();
          const res = await page.goto(url(p));
          c.eq(res.status(), 200, `GET ${p} status`);
          const m = await page.evaluate(measureCharts);
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          c.ok(scrollWidth <= viewport.width, `${p} at ${viewport.width}: scrollWidth ${scrollWidth}: the page scrolls sideways`);
          const bad = m.filter((t) => t.h < 12 || t.h > 18);
          c.ok(bad.length === 0, `${p} at ${viewport.width}: ${bad.length} of ${m.length} chart texts outside 12-18 px: ${bad.slice(0, 4).map((t) => `"${t.text}" ${t.h.toFixed(1)}`).join(', ')}`);
          const out = m.filter((t) => t.outside);
          c.ok(out.length === 0, `${p} at ${viewport.width}: ${out.length} chart labels leave their chart: ${out.slice(0, 4).map((t) => `"${t.text}"`).join(', ')}`);
          // good_job has published shares in every chart; stop_respect (asked only of those
          // stopped) has its every share withheld in this data set: a page of light markers.
          if (p.startsWith('/r/demo/good_job')) c.ok(m.length > 20, `${p} at ${viewport.width}: only ${m.length} chart texts measured`);
          if (p === '/r/demo/stop_respect') c.ok(await page.locator('.withheld-key').count() >= 1, `${p}: no withheld line beside any chart`);
          if (viewport.width !== NARROW.width) {
            await fs.promises.mkdir(screenshots, { recursive: true });
            const name = `dashboard${p.replace('/r/demo', '').replace(/[/?=]/g, '-') || '-summary'}-${viewport.width}.png`;
            await page.screenshot({ path: path.join(screenshots, name), fullPage: true, timeout: 20_000 });
            if (viewport.width === DESKTOP.width && (p === '/r/demo' || p.startsWith('/r/demo?lang='))) {
              const lang = p.includes('lang=') ? p.split('lang=')[1] : 'en';
              await page.screenshot({ path: path.join(screenshots, `dashboard-summary-first-screen-${lang}-1280.png`), timeout: 20_000 });
              // The summary fits the first screen at 1280 px, in every language.
              const bottom = await page.evaluate(() => document.querySelector('table.summary').getBoundingClientRect().bottom);
              c.ok(bottom <= viewport.height, `${p}: summary table ends at ${bottom.toFixed(0)} px, below the first screen (${viewport.height})`);
            }
          }
        });
      }
      c.done();
    });
  }

  browserTest('dashboard figures equal the API: summary shares and bases, measure page CSV rows', async () => {
    const c = new Checks();
    const api = await (await fetch(url('/api/surveys/demo/results?period=rolling'))).json();
    const latest = api.periods[api.periods.length - 1];
    c.ok(latest, 'the API has no rolling window');
    await withContext({ viewport: DESKTOP }, async (context) => {
      const page = await context.newPage();
      // The summary in each language: its columns are named in that language (data-label), and
      // a share is written as the language writes percentages ("%32" in Turkish: `first`).
      // The demo is weighted to the template's example margins: the summary shows the weighted
      // share first (with its interval in the same cell), then the unweighted share.
      const langs = [
        { lang: 'en', weighted: 'Weighted share (95% interval)', share: 'Unweighted share', base: 'Base', change: 'Change', first: false },
        { lang: 'tr', weighted: 'Ağırlıklı oran (%95 aralık)', share: 'Ağırlıksız oran', base: 'Yanıt sayısı', change: 'Önceki', first: true },
        { lang: 'pl', weighted: 'Odsetek ważony (przedział 95%)', share: 'Odsetek nieważony', base: 'Liczba odpowiedzi', change: 'Zmiana', first: false },
      ];
      const percent = (l, share) => (l.first ? `%${Math.round(share * 100)}` : `${Math.round(share * 100)}%`);
      for (const l of langs) {
        await page.goto(url(`/r/demo?lang=${l.lang}`));
        const rows = await page.evaluate((l) => [...document.querySelectorAll('table.summary tbody tr')].map((tr) => ({
          href: tr.querySelector('th a')?.getAttribute('href') ?? '',
          weighted: tr.querySelector(`td[data-label="${l.weighted}"] .share`)?.textContent.trim(),
          share: tr.querySelector(`td[data-label="${l.share}"]`)?.textContent.trim(),
          base: tr.querySelector(`td[data-label="${l.base}"]`)?.textContent.trim(),
          change: tr.querySelector(`td[data-label^="${l.change}"]`)?.textContent.trim(),
        })), l);
        c.eq(rows.length, api.measures.length, `${l.lang}: summary rows vs API measures`);
        let changes = 0;
        for (const m of api.measures) {
          const row = rows.find((r) => r.href.startsWith(`/r/demo/${m.id}?`));
          if (!c.ok(row, `${l.lang}: no summary row links to /r/demo/${m.id}`)) continue;
          const cell = m.rows.find((r) => r.period === latest && r.group === 'all');
          if (cell.share !== null) c.eq(row.share, percent(l, cell.share), `${l.lang}: ${m.id} summary unweighted share`);
          if (cell.weighted?.share != null) c.eq(row.weighted, percent(l, cell.weighted.share), `${l.lang}: ${m.id} summary weighted share`);
          else c.eq(row.weighted, undefined, `${l.lang}: ${m.id} summary weighted share shown where the API has none`);
          // Bases are grouped as the language groups digits (Node's own ICU: "7,120", "7.120", "7120").
          if (typeof cell.base === 'number') c.eq(row.base, new Intl.NumberFormat(l.lang).format(cell.base), `${l.lang}: ${m.id} summary base`);
          if (cell.change_year && cell.change_year.significant) {
            ++changes;
            const pts = Math.round(Math.abs(cell.change_year.difference) * 100);
            if (l.lang === 'en') c.ok(row.change.startsWith(`${cell.change_year.difference > 0 ? 'up' : 'down'} ${pts} points`), `${m.id} change "${row.change}" vs API ${JSON.stringify(cell.change_year)}`);
            else c.ok(row.change?.includes(String(pts)), `${l.lang}: ${m.id} change "${row.change}" vs API ${JSON.stringify(cell.change_year)}`);
          }
        }
        console.log(`# summary (${l.lang}): ${rows.length} measures, ${changes} significant changes on the year before`);
      }
      // The ward breakdown of good_job: each group's base, in the API's order of groups.
      const byWard = await (await fetch(url('/api/surveys/demo/results?period=rolling&by=ward'))).json();
      const apiBases = byWard.measures.find((m) => m.id === 'good_job').rows
        .filter((r) => r.period === latest).map((r) => (typeof r.base === 'number' ? new Intl.NumberFormat('en').format(r.base) : 'withheld'));
      await page.goto(url('/r/demo/good_job'));
      const pageBases = await page.evaluate(() => [...document.querySelectorAll('#m-good_job-ward tbody tr')].map((tr) => {
        // The base column, found by its heading (a weighted table has more columns).
        const heads = [...document.querySelectorAll('#m-good_job-ward thead th')].map((th) => th.textContent.trim());
        const tds = [...tr.querySelectorAll('td')];
        const base = heads.includes('Weighted share') ? tds[tds.length - 1] : tds[tds.length - 2];
        return base.classList.contains('suppressed') ? 'withheld' : base.textContent.trim();
      }));
      c.eq(JSON.stringify(pageBases), JSON.stringify(apiBases), 'good_job by ward: bases on the page vs the API');
      for (const id of ['good_job', 'stop_respect']) {
        await page.goto(url(`/r/demo/${id}`));
        const tableRows = await page.locator('figure.chart table tbody tr').count();
        const csv = parseCsv(await (await context.request.get(url(`/r/demo/figures.csv?measure=${id}`))).text());
        c.eq(csv.length - 1, tableRows, `/r/demo/${id}: CSV rows vs table rows`);
        // The Turkish CSV: the same rows and values, its column names in Turkish.
        const tr = parseCsv(await (await context.request.get(url(`/r/demo/figures.csv?measure=${id}&lang=tr`))).text());
        c.eq(tr.length, csv.length, `${id}: Turkish CSV rows vs English`);
        c.eq(tr[0]?.[3], 'Dönem kodu', `${id}: Turkish CSV's fourth column name`);
        c.eq(JSON.stringify(tr.slice(1).map((r) => r[3] + ' ' + r[8])), JSON.stringify(csv.slice(1).map((r) => r[3] + ' ' + r[8])),
          `${id}: period codes and bases in the Turkish CSV vs the English`);
        const withheld = await page.locator('.withheld-key').count();
        const charts = await page.locator('figure.chart').count();
        c.ok(withheld <= charts, `${id}: more withheld lines than charts`);
      }
      const notFound = await context.request.get(url('/r/demo/nope?lang=pl'));
      c.eq(notFound.status(), 404, 'GET /r/demo/nope status');
      c.ok((await notFound.text()).includes('<html lang="pl">'), '404 page is not in Polish');
    });
    c.done();
  });

  browserTest('printable brief /r/demo?print=1: Chromium prints it to at most 4 A4 pages', async () => {
    const c = new Checks();
    await withContext({ viewport: { width: 794, height: 1123 } }, async (context) => {
      const page = await context.newPage();
      const res = await page.goto(url('/r/demo?print=1'));
      c.eq(res.status(), 200, 'GET /r/demo?print=1 status');
      c.ok(await page.locator('.brief-charts figure.chart').count() >= 5, 'the brief has no measure charts');
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await fs.promises.mkdir(screenshots, { recursive: true });
      await fs.promises.writeFile(path.join(screenshots, 'dashboard-brief.pdf'), pdf);
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
      console.log(`# printable brief: ${pages} A4 pages, ${pdf.length} bytes`);
      c.ok(pages >= 1 && pages <= 4, `the printable brief is ${pages} A4 pages, expected 1 to 4`);
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: path.join(screenshots, 'dashboard-brief-print-media.png'), fullPage: true, timeout: 20_000 });
    });
    c.done();
  });

  // 5. WCAG 2.x A/AA by axe-core.
  const axeTargets = [
    { name: 'form en, 375 px', path: '/s/demo?src=axe', viewport: PHONE },
    { name: 'form en, 320 px', path: '/s/demo?src=axe', viewport: NARROW },
    { name: 'form tr, 375 px', path: '/s/demo?lang=tr&src=axe', viewport: PHONE },
    { name: 'form tr, 320 px', path: '/s/demo?lang=tr&src=axe', viewport: NARROW },
    { name: 'thank-you page', path: '/s/demo/thanks?lang=en', viewport: PHONE },
    ...dashPages.slice(0, 2).flatMap((p) => DASH_WIDTHS.map((viewport) => ({ name: `dashboard ${viewport.width} px`, path: p, viewport }))),
    ...dashPages.slice(3).map((p) => ({ name: 'dashboard 390 px', path: p, viewport: DASH_WIDTHS[1] })),
    { name: 'poster', path: '/s/demo/poster?src=test-poster', viewport: DESKTOP },
  ];
  for (const target of axeTargets) {
    browserTest(`axe-core WCAG 2.2 AA: ${target.name} (${target.path})`, async () => {
      // bypassCSP only here: the page's CSP (script-src 'self', no inline) would block the axe
      // script Playwright injects. Every other test runs under the page's real CSP.
      await withContext({ viewport: target.viewport, bypassCSP: true }, async (context) => {
        const page = await context.newPage();
        const res = await page.goto(url(target.path));
        assert.equal(res.status(), 200, `GET ${target.path} status`);
        await page.addScriptTag({ path: axePath });
        const results = await page.evaluate((tags) => window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] }), AXE_TAGS);
        const explain = (v) => `${v.impact}: ${v.id}: ${v.help}\n` +
          v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')}`).join('\n') +
          (v.nodes.length > 5 ? `\n      ... and ${v.nodes.length - 5} more` : '');
        console.log(`# axe ${target.name}: ${results.violations.length} rules violated, ${results.passes.length} passed, ${results.incomplete.length} to review by hand` +
          (results.incomplete.length ? ` (${results.incomplete.map((v) => v.id).join(', ')})` : ''));
        for (const v of results.violations) console.log(`# axe ${target.name}: ${explain(v).replace(/\n/g, '\n# ')}`);
        const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.ok(serious.length === 0, `axe found ${serious.length} serious or critical violations on ${target.path}:\n` +
          serious.map((v) => `  ${explain(v)}`).join('\n'));
      });
    });
  }

  // 6. Readability at 320 px.
  for (const lang of ['en', 'tr']) {
    browserTest(`form at 320 px (${lang}): no horizontal scroll, every radio label at least 24x24 px`, async () => {
      const c = new Checks();
      await withContext({ viewport: NARROW }, async (context) => {
        const page = await context.newPage();
        await page.goto(url(`/s/demo?lang=${lang}`));
        const m = await page.evaluate(() => {
          const radios = [...document.querySelectorAll('input[type=radio]')];
          const small = [];
          const unlabelled = [];
          for (const r of radios) {
            const label = r.id && document.querySelector(`label[for="${CSS.escape(r.id)}"]`);
            if (!label) { unlabelled.push(`${r.name}=${r.value}`); continue; }
            const b = label.getBoundingClientRect();
            if (b.width < 24 || b.height < 24) small.push(`${r.name}=${r.value} (${b.width.toFixed(1)}x${b.height.toFixed(1)})`);
          }
          return { scrollWidth: document.documentElement.scrollWidth, radios: radios.length, small, unlabelled };
        });
        c.ok(m.scrollWidth <= 320, `document scrollWidth ${m.scrollWidth} > 320: the page scrolls sideways`);
        c.ok(m.radios > 0, 'no radios on the form');
        c.eq(m.unlabelled.length, 0, `radios without <label for> (${m.unlabelled.slice(0, 5).join(', ')})`);
        c.ok(m.small.length === 0, `${m.small.length} of ${m.radios} radio labels are smaller than 24x24 px: ${m.small.slice(0, 5).join(', ')}`);
      });
      c.done();
    });
  }

  // 7. Screenshots for people to look at.
  browserTest('screenshots: form (en, tr) and thank-you page at 375 px, dashboard at 1280 px', async () => {
    await fs.promises.mkdir(screenshots, { recursive: true });
    const shots = [
      { file: 'form-en-375.png', path: '/s/demo', viewport: PHONE },
      { file: 'form-tr-375.png', path: '/s/demo?lang=tr', viewport: PHONE },
      { file: 'thanks-en-375.png', path: '/s/demo/thanks?lang=en', viewport: PHONE },
    ];
    for (const s of shots) {
      await withContext({ viewport: s.viewport }, async (context) => {
        const page = await context.newPage();
        await page.goto(url(s.path));
        const file = path.join(screenshots, s.file);
        await page.screenshot({ path: file, fullPage: true, timeout: 20_000 });
        console.log(`# screenshot ${file}`);
      });
    }
  });

  // 8. QR codes.
  browserTest('QR codes: qr.png is image/png, qr.svg is image/svg+xml', async () => {
    const c = new Checks();
    await withContext({}, async (context) => {
      const png = await context.request.get(url('/s/demo/qr.png?src=test'), { timeout: 10_000 });
      c.eq(png.status(), 200, 'GET /s/demo/qr.png?src=test status');
      c.ok(/^image\/png\b/.test(png.headers()['content-type'] ?? ''), `qr.png Content-Type: ${png.headers()['content-type']}`);
      c.ok((await png.body()).subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'qr.png is not a PNG');
      const svg = await context.request.get(url('/s/demo/qr.svg?src=test'), { timeout: 10_000 });
      c.eq(svg.status(), 200, 'GET /s/demo/qr.svg?src=test status');
      c.ok(/^image\/svg\+xml\b/.test(svg.headers()['content-type'] ?? ''), `qr.svg Content-Type: ${svg.headers()['content-type']}`);
      c.ok((await svg.text()).includes('<svg'), 'qr.svg has no <svg>');
    });
    c.done();
  });

  // 3. Across every test above: nothing left the machine, nothing went wrong in a page.
  test('every request went to 127.0.0.1; no console errors, no page errors', () => {
    const c = new Checks();
    const elsewhere = state.requests.filter(({ url: u }) => {
      const parsed = new URL(u);
      return parsed.protocol !== 'data:' && parsed.hostname !== '127.0.0.1';
    });
    c.ok(state.requests.length > 0, 'no requests were recorded');
    c.eq(elsewhere.length, 0, `requests to another host: ${elsewhere.slice(0, 5).map((r) => `${r.url} (${r.test})`).join(', ')}`);
    c.eq(state.consoleErrors.length, 0, `console errors: ${state.consoleErrors.slice(0, 5).join(' | ')}`);
    c.eq(state.pageErrors.length, 0, `page errors: ${state.pageErrors.slice(0, 5).join(' | ')}`);
    console.log(`# ${state.requests.length} requests recorded, all checked`);
    c.done();
  });

  // 1 (end). Every submission was stored: stop the server, count.
  test('candour count shows exactly the submissions made in the browser', { timeout: 60_000 }, async () => {
    assert.ok(state.server, 'the server never started');
    assert.ok(state.submissions > 0, 'no form submission was answered: nothing to count');
    await state.server.stop();
    const counts = await countResponses(binary, { dataDir: state.dataDir, keyFile: state.keyFile });
    console.log(`# candour count: demo ${counts.get('demo')} = ${state.baseline} imported + ${state.submissions} submitted`);
    assert.equal(counts.get('demo'), state.baseline + state.submissions,
      `candour count: ${counts.get('demo')}, expected ${state.baseline} + ${state.submissions} submissions`);
  });
});
