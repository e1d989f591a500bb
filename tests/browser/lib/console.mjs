// What the console's browser suites (console.mjs, sources.mjs, organiser.mjs) share: where the
// binary, Chromium and the screenshots are, how Chromium is started, the widths and WCAG tags
// every page is checked at, and a fresh server with its admin token and a browser.
// Environment: CANDOUR_BINARY, CANDOUR_SCREENSHOTS, CANDOUR_CHROMIUM (as run.mjs).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server } from './candour.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const require = createRequire(import.meta.url);
const { chromium } = await import('playwright-core');

export const axePath = require.resolve('axe-core/axe.min.js');
export const binary = process.env.CANDOUR_BINARY || path.join(repo, 'build', 'cli', 'candour');
export const chromiumPath = process.env.CANDOUR_CHROMIUM || '/usr/bin/chromium';
export const screenshots = process.env.CANDOUR_SCREENSHOTS || path.join(repo, 'build', 'screenshots');
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
export const WIDTHS = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Fills `state` with a temporary folder (tmp), `candour serve` on a fresh data folder in it
// (server), the admin token its first start wrote beside the key (token), and Chromium
// (browser). `beforeBrowser(state)` runs once the server is up (e.g. to create a survey).
export async function startServerAndBrowser(state, prefix, beforeBrowser = async () => {}) {
  state.tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
  const keyFile = path.join(state.tmp, 'candour.key');
  state.server = await Server.start(binary, { dataDir: path.join(state.tmp, 'data'), keyFile });
  // First start writes the admin token beside the key (mode 0600) and prints only its path.
  state.token = (await fs.promises.readFile(path.join(state.tmp, 'candour-admin-token'), 'utf8')).trim();
  assert.ok(state.token.length > 20, 'the admin token file holds a token');
  await beforeBrowser(state);
  state.browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}
