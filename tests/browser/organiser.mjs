// An organiser's whole path through the console (/admin) in headless Chromium, against the real
// `candour` binary on a loopback port with a fresh data folder, through the pages only (the
// admin API is read only to check what the pages did): sign in, a new survey from the built-in
// template with five wards of their own in English and Turkish (a refused threshold first,
// shown beside its field), its preview in each language, opened through its confirmation page,
// two sources declared through the sources page (a new version), each poster printed to one A4
// page, a batch of codes printed; residents answer twice through each poster's link, each in a
// fresh browser that ends with no cookie and never received a Set-Cookie; the sources page
// shows each as "fewer than 10"; closed and published through confirmation pages. Then what
// must fail: a wrong token, a cross-site form post (from a page on another origin, in the
// signed-in browser) and a POST with a wrong or no Origin, and a session left unused past
// `--console-idle`. Every page the flow adds is checked at 390 and 1280 px (screenshots
// organiser-*.png, no sideways scroll) with axe-core.
// Environment: CANDOUR_BINARY, CANDOUR_SCREENSHOTS, CANDOUR_CHROMIUM (as run.mjs).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Server } from './lib/candour.mjs';
import { axePath, binary, chromiumPath, screenshots, CHROMIUM_ARGS, WIDTHS, AXE_TAGS, startServerAndBrowser } from './lib/console.mjs';

const CARDS_PER_PAGE = 12; // web/pages.h kCodeCardsPerPage
const CODES = 14;
const IDLE_SECONDS = 4; // the second server's --console-idle: margin for a loaded machine's page loads

const ID = 'hackney-trust';
const WARDS = ['Dalston', 'De Beauvoir', 'Hackney Central', 'Homerton', 'London Fields'];
// (Not the demo survey's title, "Trust in policing in Hackney", so the list tells them apart.)
const TITLE = { en: "Hackney residents' trust in the police", tr: "Hackney sakinlerinin polise güveni" };
const INTRO = {
  en: 'Tell us how you see the police in your part of Hackney. It takes five minutes.',
  tr: "Hackney'nin sizin bölgenizdeki polisi nasıl gördüğünüzü anlatın. Beş dakika sürer.",
};
const SOURCES = [
  { tag: 'ridley-2026-12', label: 'Ridley Road Market stall, 5 Dec' },
  { tag: 'library-poster', label: 'Dalston Library poster' },
];

const state = { tmp: null, server: null, idleServer: null, other: null, browser: null, token: null };
setTimeout(() => {
  console.error('organiser browser tests: still running after 150 s: stopping everything');
  state.server?.killNow();
  state.idleServer?.killNow();
  process.exit(1);
}, 150_000).unref();
process.on('exit', () => { state.server?.killNow(); state.idleServer?.killNow(); });

// The survey as the admin API reports it (read only, to check what the pages did).
async function surveyState(server = state.server, token = state.token, id = ID) {
  const res = await fetch(`${server.url}/api/admin/surveys`, {
    headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000),
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  const s = (body.surveys ?? body).find((x) => x.id === id);
  return s && { id: s.id, version: s.version, open: s.open, public_results: s.public_results, requires_code: s.requires_code };
}

async function signIn(page, server = state.server, token = state.token) {
  await page.goto(`${server.url}/admin/sign-in`);
  await page.fill('#token', token);
  await Promise.all([page.waitForNavigation(), page.press('#token', 'Enter')]);
  assert.equal(new URL(page.url()).pathname, '/admin', 'signed in');
}

// Clicks what navigates, and waits for the page it leads to.
async function follow(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

// The page at 390 and at 1280 px: no sideways scroll, a full-page screenshot, axe-core clean.
// Leaves the page at 1280 px.
async function look(page, name) {
  await fs.promises.mkdir(screenshots, { recursive: true });
  for (const viewport of WIDTHS) {
    await page.setViewportSize(viewport);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= viewport.width, `${name} at ${viewport.width}: scrollWidth ${scrollWidth}: the page scrolls sideways`);
    await page.screenshot({ path: path.join(screenshots, `organiser-${name}-${viewport.width}.png`), fullPage: true });
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: axePath });
    const results = await page.evaluate((tags) => window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] }), AXE_TAGS);
    const found = results.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(found, [], `${name} at ${viewport.width}: axe violations`);
  }
}

// Pages of a PDF Chromium printed, by its page objects.
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

// This survey's block on the survey list.
function listed(page) {
  return page.locator(`section.console-survey[aria-labelledby="survey-${ID}"]`);
}

// From the survey list, through the confirmation page of `verb` ("Open", "Close",
// "Publish results"), to the list again.
async function confirmChange(page, verb, change) {
  await page.goto(`${state.server.url}/admin`);
  await follow(page, listed(page).locator('.console-actions a', { hasText: verb }));
  assert.equal(new URL(page.url()).pathname, `/admin/surveys/${ID}/${change}`);
  await follow(page, page.locator('main form button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, '/admin');
  assert.match(await page.locator('.console-notice').innerText(), new RegExp(`Survey ${ID}: `));
}

// The posters' links, read from each poster page in `test 1`; the session cookie it signed in with.
const shared = { links: new Map(), session: null };

describe('an organiser works in the browser', () => {
  before(async () => {
    await startServerAndBrowser(state, 'candour-organiser-');
  }, { timeout: 60_000 });

  after(async () => {
    await state.browser?.close().catch(() => {});
    await state.server?.stop().catch(() => {});
    await state.idleServer?.stop().catch(() => {});
    await new Promise((resolve) => (state.other ? state.other.close(resolve) : resolve()));
    if (state.tmp) await fs.promises.rm(state.tmp, { recursive: true, force: true });
  }, { timeout: 30_000 });

  test('signs in, makes a survey for five wards in English and Turkish, previews, opens it, declares two events, prints', { timeout: 70_000 }, async () => {
    // bypassCSP: the pages' CSP (no inline script) would block axe-core's injected script.
    // A council officer's browser in the UK.
    const context = await state.browser.newContext({ viewport: WIDTHS[1], bypassCSP: true, acceptDownloads: true, locale: 'en-GB' });
    context.setDefaultTimeout(15_000);
    try {
      const page = await context.newPage();
      await page.goto(`${state.server.url}/admin/sign-in`);
      await page.fill('#token', state.token);
      const [signedIn] = await Promise.all([page.waitForNavigation(), page.press('#token', 'Enter')]);
      assert.equal(new URL(page.url()).pathname, '/admin', 'signed in');
      shared.session = (await context.cookies()).find((c) => c.name === 'candour_session')?.value;
      assert.ok(shared.session, 'signed in with a session cookie');
      // The Set-Cookie check on residents' responses below sees a cookie where there is one.
      const signInResponse = await signedIn.request().redirectedFrom().response();
      assert.match(await signInResponse.headerValue('set-cookie'), /^candour_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/admin$/);

      // The new-survey form, from the console's navigation.
      await follow(page, page.locator('header nav a', { hasText: 'New survey' }));
      assert.equal(new URL(page.url()).pathname, '/admin/new');
      await look(page, 'new-survey');
      await page.fill('#id', ID);
      for (const lang of ['en', 'tr']) {
        await page.fill(`#title_${lang}`, TITLE[lang]);
        await page.fill(`#intro_${lang}`, INTRO[lang]);
      }
      await page.fill('#organisation', 'Hackney Council');
      await page.fill('#contact', 'Questions: engagement@hackney.example, 020 7946 0000');
      await page.fill('#areas', WARDS.join('\n'));
      await page.selectOption('#period', 'month');
      await page.fill('#closes', '2027-03-31');
      // Results stay private while the survey runs: they are published once it closes.
      assert.equal(await page.isChecked('#public_results'), false);

      // A threshold under 10 is refused beside its field, and what was typed is kept.
      await page.fill('#threshold', '5');
      await follow(page, page.locator('main form button[type=submit]'));
      assert.equal(new URL(page.url()).pathname, '/admin/new');
      const problem = page.locator('#threshold-problem');
      assert.match(await problem.innerText(), /whole number from 10/, 'the threshold refusal says what it must be');
      assert.equal(await page.getAttribute('#threshold', 'aria-invalid'), 'true');
      assert.match(await page.getAttribute('#threshold', 'aria-describedby'), /threshold-problem/);
      assert.match(await page.locator('main [role=alert]').first().innerText(), /Nothing was saved/);
      assert.equal(await page.inputValue('#title_tr'), TITLE.tr, 'the form keeps what was typed');
      assert.equal(await page.inputValue('#areas'), WARDS.join('\n'));
      assert.equal(await surveyState(), undefined, 'nothing was saved');
      await look(page, 'new-survey-refused');

      await page.fill('#threshold', '10');
      await follow(page, page.locator('main form button[type=submit]'));
      assert.equal(new URL(page.url()).pathname, '/admin', 'saved, back on the survey list');
      const block = listed(page);
      assert.equal(await block.locator('h2').innerText(), TITLE.en);
      assert.match(await block.innerText(), /Closed, results not public/);
      assert.match(await block.innerText(), /Version\s+1/);
      assert.match(await page.locator('.console-notice').innerText(), /version 1 saved/);
      assert.deepEqual(await surveyState(), { id: ID, version: 1, open: false, public_results: false, requires_code: false });

      // Its preview in English, then in Turkish through the page's language switch.
      await follow(page, block.locator('a', { hasText: 'Preview' }));
      assert.equal(new URL(page.url()).pathname, `/admin/surveys/${ID}/preview`);
      for (const lang of ['en', 'tr']) {
        if (lang === 'tr') await follow(page, page.locator(`a[hreflang="tr"]`));
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        assert.equal(await page.locator('main h1').innerText(), TITLE[lang]);
        assert.ok((await page.locator('main').innerText()).includes(INTRO[lang]), `${lang}: the introduction is shown`);
        for (const ward of WARDS) {
          assert.equal(await page.getByRole('radio', { name: ward, exact: true }).count(), 1, `${lang}: ward ${ward} offered`);
        }
        // Nothing can be sent from a preview: its form has no action and no working button.
        assert.equal(await page.locator('main form[action]').count(), 0, 'the preview form has no action');
        assert.equal(await page.locator('main button[type=submit]:not([disabled]), main input[type=submit]:not([disabled])').count(), 0, 'no submit button that works');
        await look(page, `preview-${lang}`);
      }
      assert.match(page.url(), /\?lang=tr/);

      // Opened through its confirmation page.
      await confirmChange(page, 'Open', 'open');
      assert.equal((await surveyState()).open, true);

      // Its sources page: none yet; it leads to the edit form to declare them.
      await page.goto(`${state.server.url}/admin`);
      await follow(page, listed(page).locator('a', { hasText: 'Sources and posters' }));
      assert.match(await page.locator('main').innerText(), /declares no sources/);
      await look(page, 'sources-none');
      await follow(page, page.locator('main a', { hasText: 'Declare its events and posters' }));
      assert.equal(new URL(page.url()).pathname, `/admin/surveys/${ID}/edit`);
      assert.equal(await page.inputValue('#title_tr'), TITLE.tr, 'the edit form holds the survey as it stands');
      assert.deepEqual((await page.inputValue('#areas')).trim().split('\n'), WARDS);
      await look(page, 'edit');
      await page.fill('#sources', SOURCES.map((s) => `${s.tag} | ${s.label}`).join('\n'));
      await follow(page, page.locator('main form button[type=submit]', { hasText: 'Save as version 2' }));
      assert.equal(new URL(page.url()).pathname, '/admin');
      assert.match(await page.locator('.console-notice').innerText(), /version 2 saved/);
      assert.deepEqual(await surveyState(), { id: ID, version: 2, open: true, public_results: false, requires_code: false });

      // Each source's poster, one A4 page; the link residents follow is read off it.
      await follow(page, listed(page).locator('a', { hasText: 'Sources and posters' }));
      const sourcesUrl = page.url();
      for (const source of SOURCES) {
        const section = page.locator('section.console-source', { hasText: source.label });
        await follow(page, section.locator('a', { hasText: 'Poster in English' }));
        assert.equal(await page.locator('main h1').innerText(), TITLE.en);
        const poster = await page.locator('main').innerText();
        assert.match(poster, /Hackney Council/);
        assert.match(poster, /engagement@hackney\.example/);
        assert.match(poster, /31 March 2027/);
        assert.ok(await page.locator('img.poster-qr').evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code loads');
        const link = (await page.locator('.poster-link strong').innerText()).trim();
        assert.equal(new URL(link).searchParams.get('src'), source.tag, `the poster's link carries its tag: ${link}`);
        shared.links.set(source.tag, link);
        const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
        await fs.promises.writeFile(path.join(screenshots, `organiser-poster-${source.tag}.pdf`), pdf);
        assert.equal(pdfPages(pdf), 1, `${source.tag}: the poster prints on one A4 page`);
        if (source === SOURCES[0]) {
          // The printed page, to look at: A4 at 96 dpi under print media.
          await page.emulateMedia({ media: 'print' });
          await page.setViewportSize({ width: 794, height: 1123 });
          await page.screenshot({ path: path.join(screenshots, 'organiser-poster-print.png'), fullPage: true });
          await page.emulateMedia({ media: 'screen' });
          await page.setViewportSize(WIDTHS[1]);
        }
        await page.goto(sourcesUrl);
      }

      // A batch of codes: the sheet is a file to save, and prints as A4 pages of cards.
      await page.goto(`${state.server.url}/admin`);
      await follow(page, listed(page).locator('a', { hasText: 'Single-use codes' }));
      await page.fill('#count', String(CODES));
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('main form button[type=submit]').click()]);
      assert.equal(download.suggestedFilename(), `${ID}-codes-${CODES}.html`);
      const sheetFile = path.join(state.tmp, download.suggestedFilename());
      await download.saveAs(sheetFile);
      const sheet = await context.newPage();
      await sheet.goto(pathToFileURL(sheetFile).href);
      assert.equal(await sheet.locator('.code-card').count(), CODES);
      assert.match(await sheet.locator('.sheet-note').innerText(), /shown only once/);
      assert.match(await sheet.locator('body').innerText(), new RegExp(TITLE.en));
      const sheetPdf = await sheet.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      await fs.promises.writeFile(path.join(screenshots, 'organiser-code-sheet.pdf'), sheetPdf);
      assert.equal(pdfPages(sheetPdf), Math.ceil(CODES / CARDS_PER_PAGE), `${CODES} cards at ${CARDS_PER_PAGE} a page`);
    } finally {
      await context.close().catch(() => {});
    }
  });

  test('residents answer twice through each poster\'s link, each in a fresh browser that keeps no cookie', { timeout: 40_000 }, async () => {
    assert.equal(shared.links.size, SOURCES.length, 'the posters were read');
    for (const source of SOURCES) {
      for (let i = 0; i < 2; ++i) {
        // A resident's own browser: the real CSP, no cookies before.
        const resident = await state.browser.newContext({ viewport: WIDTHS[0] });
        resident.setDefaultTimeout(10_000);
        const responses = [];
        resident.on('response', (r) => responses.push(r));
        try {
          const page = await resident.newPage();
          await page.goto(shared.links.get(source.tag));
          assert.equal(new URL(page.url()).pathname, `/s/${ID}`);
          assert.equal(await page.locator('main h1').innerText(), TITLE.en);
          await page.locator('input[type=radio][name="Q60"]').nth(i).check();
          await page.getByRole('radio', { name: WARDS[i + 2], exact: true }).check();
          await follow(page, page.locator('main form button[type=submit]'));
          assert.match(new URL(page.url()).pathname, new RegExp(`^/s/${ID}/thanks$`), await page.locator('body').innerText());
          assert.deepEqual(await resident.cookies(), [], `${source.tag} #${i + 1}: answering sets no cookie`);
          assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0, 'nor any storage');
          assert.ok(responses.length >= 2, 'the form and its answer were seen');
          for (const r of responses) {
            assert.equal(await r.headerValue('set-cookie'), null, `${r.url()}: a resident's response sets a cookie`);
          }
        } finally {
          await resident.close().catch(() => {});
        }
      }
    }
  });

  test('the sources page counts each event as "fewer than 10"; the survey is closed and published', { timeout: 40_000 }, async () => {
    const context = await state.browser.newContext({ viewport: WIDTHS[1], bypassCSP: true });
    context.setDefaultTimeout(15_000);
    try {
      const page = await context.newPage();
      await signIn(page);
      await follow(page, listed(page).locator('a', { hasText: 'Sources and posters' }));
      assert.match(await page.locator('main').innerText(), /4 responses in all/);
      for (const source of SOURCES) {
        const row = page.locator('table.console-sources tbody tr', { hasText: source.label });
        const cell = (await row.locator('td').last().innerText()).trim();
        assert.match(cell, /fewer than 10/, source.label);
        assert.doesNotMatch(cell, /\b2\b/, `${source.label}: the exact count is not shown`);
      }
      await look(page, 'sources');

      await confirmChange(page, 'Close', 'close');
      await confirmChange(page, 'Publish results', 'publish');
      assert.match(await listed(page).innerText(), /Closed, results public/);
      await look(page, 'surveys');
      assert.deepEqual(await surveyState(), { id: ID, version: 2, open: false, public_results: true, requires_code: false });
      // Closed: a resident's answer is refused now.
      const late = await fetch(shared.links.get(SOURCES[0].tag), { signal: AbortSignal.timeout(10_000) });
      assert.doesNotMatch(await late.text(), /<form[^>]+action="\/s\/hackney-trust\/responses"/, 'a closed survey offers no form');
    } finally {
      await context.close().catch(() => {});
    }
  });

  test('a wrong token is refused: the sign-in page again, the problem shown, no cookie', { timeout: 20_000 }, async () => {
    const context = await state.browser.newContext({ viewport: WIDTHS[1], bypassCSP: true });
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      await page.goto(`${state.server.url}/admin/sign-in`);
      await page.fill('#token', `${state.token.slice(0, -4)}0000`);
      const [res] = await Promise.all([page.waitForNavigation(), page.press('#token', 'Enter')]);
      assert.equal(res.status(), 403);
      assert.equal(new URL(page.url()).pathname, '/admin/sign-in');
      assert.match(await page.locator('#token-problem').innerText(), /not the admin token/);
      assert.equal(await page.getAttribute('#token', 'aria-invalid'), 'true');
      assert.equal(await res.headerValue('set-cookie'), null);
      assert.deepEqual(await context.cookies(), [], 'no session cookie');
      await look(page, 'sign-in-refused');
      await page.goto(`${state.server.url}/admin`);
      assert.equal(new URL(page.url()).pathname, '/admin/sign-in', 'still signed out');
    } finally {
      await context.close().catch(() => {});
    }
  });

  test('a cross-site form post, and a POST with a wrong or no Origin, are refused and change nothing', { timeout: 30_000 }, async () => {
    assert.ok(shared.session, 'the organiser signed in');
    const before = await surveyState();
    assert.equal(before.open, false);
    const target = `${state.server.url}/admin/surveys/${ID}/open`;

    // Another origin (same machine, another port: a different origin of the same site, so
    // SameSite=Strict still sends the cookie and only the Origin check stands in the way).
    state.other = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><title>Win a prize</title><form method="post" action="${target}"><button>Claim</button></form></html>`);
    });
    await new Promise((resolve) => state.other.listen(0, '127.0.0.1', resolve));
    const otherOrigin = `http://127.0.0.1:${state.other.address().port}`;
    // bypassCSP for axe-core only: it changes no header the server sees.
    const context = await state.browser.newContext({ viewport: WIDTHS[1], bypassCSP: true });
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      await signIn(page);
      await page.goto(`${otherOrigin}/`);
      const [res] = await Promise.all([page.waitForNavigation(), page.locator('button').click()]);
      assert.equal(res.status(), 403);
      assert.equal((await res.request().allHeaders()).origin, otherOrigin, 'the browser said which site sent it');
      assert.match(await page.locator('main').innerText(), new RegExp(`sent from another site \\(${otherOrigin.replace(/[.:/]/g, '\\$&')}\\)`),
        'refused for its Origin (the session cookie was sent)');
      assert.deepEqual(await surveyState(), before, 'the survey did not open');
      await look(page, 'refused-cross-site');
    } finally {
      await context.close().catch(() => {});
    }

    // The same with Node's fetch, carrying the organiser's session cookie.
    for (const origin of ['https://evil.example', undefined]) {
      const headers = { cookie: `candour_session=${shared.session}`, 'content-type': 'application/x-www-form-urlencoded' };
      if (origin) headers.origin = origin;
      const res = await fetch(target, { method: 'POST', headers, body: '', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      assert.equal(res.status, 403, `Origin ${origin}`);
      assert.match(await res.text(), origin ? /sent from another site/ : /no Origin header/);
    }
    assert.deepEqual(await surveyState(), before, 'the survey did not open');
    // With the console's own Origin the same request is done: the refusals were the Origin's.
    const same = await fetch(target, { method: 'POST', redirect: 'manual', body: '', signal: AbortSignal.timeout(10_000),
      headers: { cookie: `candour_session=${shared.session}`, origin: state.server.url, 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(same.status, 303);
    assert.equal((await surveyState()).open, true);
  });

  test(`a session unused for longer than --console-idle ${IDLE_SECONDS} ends: back to sign-in`, { timeout: 30_000 }, async () => {
    const dir = path.join(state.tmp, 'idle');
    await fs.promises.mkdir(dir);
    state.idleServer = await Server.start(binary, {
      dataDir: path.join(dir, 'data'), keyFile: path.join(dir, 'candour.key'),
      extraArgs: ['--console-idle', String(IDLE_SECONDS)],
    });
    const token = (await fs.promises.readFile(path.join(dir, 'candour-admin-token'), 'utf8')).trim();
    const context = await state.browser.newContext({ viewport: WIDTHS[1], bypassCSP: true });
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      await signIn(page, state.idleServer, token);
      // In use, it lasts: each request starts the idle time again.
      for (let i = 0; i < 3; ++i) {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await page.goto(`${state.idleServer.url}/admin/surveys/demo/close`);
        assert.equal(new URL(page.url()).pathname, '/admin/surveys/demo/close', `still signed in after ${(i + 1) * 1.5} s in use`);
      }
      // Unused past the limit: the confirmation's button is refused, and the console asks
      // for the token again.
      await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000 + 300));
      const [res] = await Promise.all([page.waitForNavigation(), page.locator('main form button[type=submit]').click()]);
      assert.equal(res.status(), 403);
      assert.match(await page.locator('main').innerText(), /not signed in/);
      await look(page, 'signed-out');
      const list = await (await fetch(`${state.idleServer.url}/api/admin/surveys`, { headers: { authorization: `Bearer ${token}` } })).json();
      assert.equal((list.surveys ?? list).find((s) => s.id === 'demo').open, true, 'the demo survey was not closed');
      await page.goto(`${state.idleServer.url}/admin`);
      assert.equal(new URL(page.url()).pathname, '/admin/sign-in', 'sent back to sign-in');
      assert.match(await page.locator('main').innerText(), new RegExp(`Your session ended: it was unused for ${IDLE_SECONDS} seconds?`),
        'the sign-in page says why');
      await look(page, 'session-ended');
    } finally {
      await context.close().catch(() => {});
    }
  });
});
