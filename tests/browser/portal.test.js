// Browser tests of the public portal in Debian's Chromium, driven by playwright-core, with
// axe-core checks on every page type. Screenshots go to $HRTRACK_ARTIFACTS (default
// artifacts/browser at the repository root) so a person can look at them.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { BIN, DATA, freePort, waitFor, axeClean, shot, launchChromium } = require('./common');

let server, browser, base, tmp;

async function api(query) {
  const r = await fetch(base + '/api/recommendations?' + query);
  assert.equal(r.status, 200);
  return r.json();
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hrtrack-browser-'));
  const db = path.join(tmp, 'b.db');
  const run = (...a) => execFileSync(BIN, ['--db', db, ...a], { stdio: 'pipe' });
  run('vocab', 'import', '--dir', DATA);
  run('import', '-q', '--format', 'uprinfo-csv', path.join(DATA, 'uprinfo_recommendations_sessions01-14.csv'));
  run('import', '-q', '--format', 'ohchr-thematic-csv', path.join(DATA, 'ohchr_thematic_list_slovenia_cycles2-3.csv'));
  run('import', '-q', '--format', 'uhri-json', path.join(DATA, 'uhri_genuine_record_crc_peru.json'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['--db', db, 'serve', '--host', '127.0.0.1', '--port', String(port)], { stdio: 'ignore' });
  await waitFor(base + '/api/recommendations?per_page=1', 60000);
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
});

test('search, filter by two facets, open a recommendation, switch language, export', async () => {
  const context = await browser.newContext({ acceptDownloads: true, bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(base + '/');
  await axeClean(page, 'home');
  await shot(page, '01-home');

  await page.fill('#q', 'torture');
  await Promise.all([page.waitForURL(/\/search\?/), page.press('#q', 'Enter')]);
  const all = await api('q=torture&per_page=1');
  assert.ok(all.total > 100);
  assert.match(await page.textContent('.summary'), new RegExp(all.total.toLocaleString('en-US').replace(/,/g, '[,\\s\u00a0\u202f]?')));
  assert.ok(await page.locator('.result-list mark').count() > 0, 'query words are highlighted');
  await axeClean(page, 'search results');
  await shot(page, '02-search-torture');

  // Two facets: response = noted, and the first State offered.
  await page.locator('#facet-response').evaluate((d) => { d.open = true; });
  await page.check('input[name="response"][value="noted"]');
  await page.locator('#facet-state').evaluate((d) => { d.open = true; });
  const state = await page.locator('input[name="state"]').first().getAttribute('value');
  await page.check(`input[name="state"][value="${state}"]`);
  await Promise.all([page.waitForURL(/response=noted/), page.click('button.apply')]);
  const filtered = await api(`q=torture&response=noted&state=${encodeURIComponent(state)}&per_page=1`);
  assert.ok(filtered.total > 0 && filtered.total < all.total);
  assert.match(page.url(), new RegExp('state=' + state));
  assert.equal(await page.locator('.result-list > li').count(), Math.min(filtered.total, 20));
  await shot(page, '03-search-two-facets');

  // Open the first recommendation.
  const first = page.locator('.result-list a[href^="/recommendations/"]').first();
  await Promise.all([page.waitForURL(/\/recommendations\/R-/), first.click()]);
  const uid = page.url().match(/(R-[0-9a-f]{16})/)[1];
  const rec = await (await fetch(base + '/api/recommendations/' + uid)).json();
  assert.ok((await page.textContent('main')).includes(rec.text.slice(0, 40)));
  await axeClean(page, 'recommendation page');
  await shot(page, '04-recommendation');

  // French, then Arabic (right to left).
  await page.goto(page.url() + '?lang=fr');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await axeClean(page, 'recommendation page (fr)');
  await shot(page, '05-recommendation-fr');
  await page.goto(base + '/search?q=torture&lang=ar');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  await axeClean(page, 'search (ar)');
  await shot(page, '06-search-ar');
  // The choice is remembered in a cookie.
  await page.goto(base + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  await page.goto(base + '/?lang=en');

  // Export the filtered result set as CSV: every row arrives.
  await page.goto(base + `/search?q=torture&response=noted&state=${encodeURIComponent(state)}`);
  const link = page.locator('a[href*="/api/export"][href*="format=csv"]').first();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = path.join(tmp, 'export.csv');
  await download.saveAs(file);
  const rows = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).length - 1;
  // Texts may hold newlines inside quotes; count records by the uid column instead.
  const uids = fs.readFileSync(file, 'utf8').match(/(^|\n)R-[0-9a-f]{16},/g) || [];
  assert.equal(uids.length, filtered.total, `export holds every row (${rows} lines)`);
  await context.close();
});

test('browse pages and a phone-sized screen', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  for (const p of ['/browse/mechanism', '/browse/state', '/browse/theme', '/browse/sdg']) {
    await page.goto(base + p);
    await axeClean(page, p);
  }
  await page.goto(base + '/browse/state');
  await shot(page, '07-browse-state-phone');
  await page.goto(base + '/search?q=women&lang=es');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `no horizontal scrolling on a phone (scrollWidth ${width})`);
  await axeClean(page, 'search on a phone (es)');
  await shot(page, '08-search-phone-es');
  await context.close();
});
