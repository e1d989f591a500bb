// A survey's sources in headless Chromium, against the real `candour` binary on a loopback port
// with a fresh data folder: an organiser signs in, opens a survey with two declared sources,
// prints a source's poster (one A4 page) and downloads its QR code, issues single-use codes and
// prints the downloaded sheet (pages counted in the PDF, cards per page checked); residents
// answer twice through each source's link; the sources page then shows each as "fewer than
// 10". Every page added is checked at 390 and 1280 px (screenshots in build/screenshots, no
// sideways scroll) with axe-core.
// Environment: CANDOUR_BINARY, CANDOUR_SCREENSHOTS, CANDOUR_CHROMIUM (as run.mjs).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import { axePath, binary, chromiumPath, screenshots, CHROMIUM_ARGS, WIDTHS, AXE_TAGS, startServerAndBrowser } from './lib/console.mjs';

const CARDS_PER_PAGE = 12; // web/pages.h kCodeCardsPerPage
const CODES = 14;

const state = { tmp: null, server: null, browser: null, token: null };
setTimeout(() => {
  console.error('sources browser tests: still running after 170 s: stopping everything');
  state.server?.killNow();
  process.exit(1);
}, 170_000).unref();
process.on('exit', () => state.server?.killNow());

const EVENTS = {
  id: 'events', languages: ['en', 'tr'], period: 'month',
  title: { en: 'Trust in policing in Dalston', tr: "Dalston'da polise güven" },
  force_name: 'Hackney Council', contact: 'Questions: engagement@hackney.example, 020 7946 0000',
  closes: '2027-03-31',
  sources: [{ tag: 'ridley-2026-12', label: 'Ridley Road Market stall, 5 Dec' },
    { tag: 'library-poster', label: 'Dalston Library poster' }],
  questions: [{ id: 'mood', type: 'single', text: { en: 'How good a job are the police doing here?', tr: 'Polis burada işini ne kadar iyi yapıyor?' },
    options: [{ id: 'good', label: { en: 'Good', tr: 'İyi' } }, { id: 'poor', label: { en: 'Poor', tr: 'Kötü' } }] }],
};

async function admin(method, target, body) {
  const res = await fetch(`${state.server.url}${target}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}

async function signIn(page) {
  await page.goto(`${state.server.url}/admin/sign-in`);
  await page.fill('#token', state.token);
  await Promise.all([page.waitForNavigation(), page.press('#token', 'Enter')]);
  assert.equal(new URL(page.url()).pathname, '/admin', 'signed in');
}

async function look(page, name, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `${name} at ${width}: scrollWidth ${scrollWidth}: the page scrolls sideways`);
  await fs.promises.mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `sources-${name}-${width}.png`), fullPage: true });
  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate((tags) => window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] }), AXE_TAGS);
  const found = results.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `${name} at ${width}: axe violations`);
}

// Pages of a PDF Chromium printed, by its page objects.
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

// The downloaded code sheet, as saved.
let sheetFile = null;

describe('sources, posters and the code sheet in headless Chromium', () => {
  before(async () => {
    await startServerAndBrowser(state, 'candour-sources-', async () => {
      const created = await admin('POST', '/api/admin/surveys', EVENTS);
      assert.equal(created.status, 201, created.text);
    });
  }, { timeout: 60_000 });

  after(async () => {
    await state.browser?.close().catch(() => {});
    await state.server?.stop().catch(() => {});
    if (state.tmp) await fs.promises.rm(state.tmp, { recursive: true, force: true });
  }, { timeout: 30_000 });

  test('an organiser opens the sources page, prints a poster, downloads a QR code and a code sheet', { timeout: 90_000 }, async () => {
    const context = await state.browser.newContext({ viewport: WIDTHS[1], bypassCSP: true, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    try {
      const page = await context.newPage();
      await signIn(page);
      await Promise.all([page.waitForNavigation(), page.locator('a[href="/admin/surveys/events/sources"]').click()]);
      const body = await page.locator('main').innerText();
      assert.match(body, /Ridley Road Market stall, 5 Dec/);
      assert.match(body, /No responses yet/);

      // The market stall's QR code, as a file.
      const [qr] = await Promise.all([page.waitForEvent('download'),
        page.locator('a[href="/s/events/qr.svg?src=ridley-2026-12"]').click()]);
      assert.equal(qr.suggestedFilename(), 'events-ridley-2026-12-qr.svg');
      const svg = await fs.promises.readFile(await qr.path(), 'utf8');
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, 'the download is an SVG drawing');

      // Its poster in Turkish: one A4 page with the organisation, contact, closing date.
      await Promise.all([page.waitForNavigation(), page.locator('a[href="/s/events/poster?src=ridley-2026-12&lang=tr"]').click()]);
      const poster = await page.locator('main').innerText();
      assert.match(poster, /Hackney Council/);
      assert.match(poster, /31 Mart 2027/);
      assert.match(poster, /engagement@hackney\.example/);
      assert.match(poster, /\/s\/events\?src=ridley-2026-12/);
      assert.ok(await page.locator('img.poster-qr').evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code loads');
      const posterPdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      await fs.promises.mkdir(screenshots, { recursive: true });
      await fs.promises.writeFile(path.join(screenshots, 'sources-poster.pdf'), posterPdf);
      assert.equal(pdfPages(posterPdf), 1, 'the poster prints on one A4 page');

      // A batch of codes: the sheet arrives as a file to save.
      await page.goto(`${state.server.url}/admin/surveys/events/codes`);
      await page.fill('#count', String(CODES));
      const [sheet] = await Promise.all([page.waitForEvent('download'), page.locator('main form button[type=submit]').click()]);
      assert.match(sheet.suggestedFilename(), /^events-codes-14\.html$/);
      sheetFile = path.join(state.tmp, sheet.suggestedFilename());
      await sheet.saveAs(sheetFile);
    } finally {
      await context.close().catch(() => {});
    }
  });

  test('the saved code sheet prints as A4 pages of 12 cards, each inside its page', { timeout: 60_000 }, async () => {
    assert.ok(sheetFile, 'the sheet was downloaded');
    const html = await fs.promises.readFile(sheetFile, 'utf8');
    assert.doesNotMatch(html, /\/static\//, 'the saved file needs nothing from the service');
    // Offline, as an organiser would open it later.
    const context = await state.browser.newContext({ viewport: WIDTHS[1], offline: true });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(sheetFile).href);
      assert.match(await page.locator('.sheet-note').innerText(), /shown only once/);
      assert.equal(await page.locator('.code-card').count(), CODES);
      assert.equal(await page.locator('.code-card svg').count(), CODES);
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      await fs.promises.writeFile(path.join(screenshots, 'sources-code-sheet.pdf'), pdf);
      const pages = pdfPages(pdf);
      const expected = Math.ceil(CODES / CARDS_PER_PAGE);
      console.log(`# code sheet: ${CODES} cards on ${pages} A4 pages, ${pdf.length} bytes`);
      assert.equal(pages, expected, `${CODES} cards at ${CARDS_PER_PAGE} a page`);
      // Under print media, each page's block of cards fits the A4 page's printable height
      // (297 - 2 x 10 mm), and holds its share of the cards.
      await page.emulateMedia({ media: 'print' });
      const blocks = await page.locator('.sheet-page').evaluateAll((els) => els.map((e) => ({
        height: e.getBoundingClientRect().height, cards: e.querySelectorAll('.code-card').length,
        inside: [...e.querySelectorAll('.code-card')].every((c) => {
          const a = c.getBoundingClientRect(), b = e.getBoundingClientRect();
          return a.top >= b.top - 1 && a.bottom <= b.bottom + 1 && a.left >= b.left - 1 && a.right <= b.right + 1;
        }),
      })));
      const printable = (277 / 25.4) * 96;
      assert.equal(blocks.length, pages, 'one block per printed page');
      blocks.forEach((b, i) => {
        assert.ok(b.height <= printable + 1, `page ${i + 1}: ${b.height} px is taller than A4's ${printable} px`);
        assert.ok(b.inside, `page ${i + 1}: every card lies inside its page`);
        assert.equal(b.cards, Math.min(CARDS_PER_PAGE, CODES - i * CARDS_PER_PAGE));
      });
      await page.emulateMedia({ media: 'screen' });
      for (const viewport of WIDTHS) {
        await page.setViewportSize(viewport);
        await look(page, 'code-sheet', viewport.width);
      }
    } finally {
      await context.close().catch(() => {});
    }
  });

  test('two responses through each source\'s link are counted as "fewer than 10"', { timeout: 60_000 }, async () => {
    // A resident: a fresh context, no cookies before or after.
    const resident = await state.browser.newContext({ viewport: WIDTHS[0] });
    try {
      const page = await resident.newPage();
      for (const tag of ['ridley-2026-12', 'library-poster']) {
        for (let i = 0; i < 2; ++i) {
          await page.goto(`${state.server.url}/s/events?src=${tag}`);
          await page.locator('input[name="mood"][value="good"]').check();
          await Promise.all([page.waitForNavigation(), page.locator('main form button[type=submit]').last().click()]);
          assert.match(new URL(page.url()).pathname, /\/s\/events\/thanks$/);
        }
      }
      assert.deepEqual(await resident.cookies(), [], 'answering sets no cookie');
    } finally {
      await resident.close().catch(() => {});
    }
    const api = await admin('GET', '/api/admin/surveys/events/sources');
    assert.equal(api.status, 200, api.text);
    const counts = JSON.parse(api.text);
    assert.equal(counts.total, 4);
    const month = counts.months.at(-1);
    for (const tag of ['ridley-2026-12', 'library-poster']) {
      const cell = month.counts.find((c) => c.source === tag);
      assert.deepEqual(cell, { source: tag, fewer_than: 10 }, `${tag}: ${JSON.stringify(cell)}`);
    }

    for (const viewport of WIDTHS) {
      const context = await state.browser.newContext({ viewport, bypassCSP: true });
      context.setDefaultTimeout(15_000);
      try {
        const page = await context.newPage();
        await signIn(page);
        await page.goto(`${state.server.url}/admin/surveys/events/sources`);
        for (const label of ['Ridley Road Market stall, 5 Dec', 'Dalston Library poster']) {
          const row = page.locator('table.console-sources tbody tr', { hasText: label });
          assert.match(await row.locator('td').last().innerText(), /fewer than 10/, label);
        }
        await look(page, 'sources', viewport.width);
        await page.goto(`${state.server.url}/s/events/poster?src=library-poster`);
        await look(page, 'poster', viewport.width);
      } finally {
        await context.close().catch(() => {});
      }
    }
  });
});
