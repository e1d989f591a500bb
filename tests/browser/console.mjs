// The organiser console (/admin) in headless Chromium, against the real `candour` binary on a
// loopback port with a fresh data folder: sign-in with the keyboard only, every console page
// at 390 and 1280 px (screenshots in build/screenshots, no sideways scroll), WCAG 2.x A/AA by
// axe-core on each, a state change through its confirmation page, sign-out.
// Environment: CANDOUR_BINARY, CANDOUR_SCREENSHOTS, CANDOUR_CHROMIUM (as run.mjs).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { axePath, binary, chromiumPath, screenshots, CHROMIUM_ARGS, WIDTHS, AXE_TAGS, startServerAndBrowser } from './lib/console.mjs';


const state = { tmp: null, server: null, browser: null, token: null };
setTimeout(() => {
  console.error('console browser tests: still running after 150 s: stopping everything');
  state.server?.killNow();
  process.exit(1);
}, 150_000).unref();
process.on('exit', () => state.server?.killNow());

// Signs in with the keyboard only: Tab to the token field, type it, Enter.
async function signIn(page) {
  await page.goto(`${state.server.url}/admin`);
  assert.match(new URL(page.url()).pathname, /^\/admin\/sign-in/, 'an unsigned visit to /admin is sent to sign-in');
  let focused = '';
  for (let i = 0; i < 12 && focused !== 'token'; ++i) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id ?? '');
  }
  assert.equal(focused, 'token', 'the token field is reachable with Tab');
  await page.keyboard.type(state.token);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/admin', 'signed in, the survey list: ' + (await page.locator('body').innerText()).slice(0, 400));
}

async function look(page, name, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `${name} at ${width}: scrollWidth ${scrollWidth}: the page scrolls sideways`);
  await fs.promises.mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `console-${name}-${width}.png`), fullPage: true });
  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate((tags) => window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] }), AXE_TAGS);
  const found = results.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `${name} at ${width}: axe violations`);
}

describe('the organiser console in headless Chromium', () => {
  before(async () => {
    await startServerAndBrowser(state, 'candour-console-');
  }, { timeout: 60_000 });

  after(async () => {
    await state.browser?.close().catch(() => {});
    await state.server?.stop().catch(() => {});
    if (state.tmp) await fs.promises.rm(state.tmp, { recursive: true, force: true });
  }, { timeout: 30_000 });

  for (const viewport of WIDTHS) {
    test(`console pages at ${viewport.width} px: keyboard sign-in, list, confirm, audit, codes, sign-out`, { timeout: 60_000 }, async () => {
      // bypassCSP: the pages' CSP (no inline script) would block axe-core's injected script.
      const context = await state.browser.newContext({ viewport, bypassCSP: true });
      context.setDefaultTimeout(10_000);
      try {
        const page = await context.newPage();
        await page.goto(`${state.server.url}/admin/sign-in`);
        await look(page, 'sign-in', viewport.width);
        await signIn(page);
        const cookies = await context.cookies();
        const session = cookies.find((c) => c.name === 'candour_session');
        assert.ok(session && session.httpOnly && session.sameSite === 'Strict', 'an HttpOnly, SameSite=Strict session cookie');
        assert.ok(!cookies.some((c) => c.value.includes(state.token)), 'no cookie holds the token');
        assert.match(await page.locator('body').innerText(), /demo/, 'the demo survey is listed');
        await look(page, 'surveys', viewport.width);

        // Close the demo survey through its confirmation page, then open it again.
        await page.goto(`${state.server.url}/admin/surveys/demo/close`);
        await look(page, 'confirm-close', viewport.width);
        await Promise.all([page.waitForNavigation(), page.locator('form button[type=submit], form input[type=submit]').last().click()]);
        const closed = await (await fetch(`${state.server.url}/api/admin/surveys`, { headers: { authorization: `Bearer ${state.token}` } })).json();
        const demo = (closed.surveys ?? closed).find((s) => s.id === 'demo');
        assert.ok(demo && demo.state !== 'open', `the demo survey is closed after the confirmed POST (state ${demo?.state})`);
        await page.goto(`${state.server.url}/admin/surveys/demo/open`);
        await Promise.all([page.waitForNavigation(), page.locator('form button[type=submit], form input[type=submit]').last().click()]);

        await page.goto(`${state.server.url}/admin/audit`);
        assert.match(await page.locator('body').innerText(), /close/i, 'the audit page lists the close');
        await look(page, 'audit', viewport.width);
        await page.goto(`${state.server.url}/admin/surveys/demo/codes`);
        await look(page, 'codes', viewport.width);

        // Sign out: the console asks for the token again.
        await page.goto(`${state.server.url}/admin`);
        await Promise.all([page.waitForNavigation(), page.locator('form[action="/admin/sign-out"] button, form[action="/admin/sign-out"] input[type=submit]').first().click()]);
        await page.goto(`${state.server.url}/admin`);
        assert.match(new URL(page.url()).pathname, /^\/admin\/sign-in/, 'signed out');
      } finally {
        await context.close().catch(() => {});
      }
    });
  }
});
