// Browser tests of signing in and the account page in Debian's Chromium, driven by
// playwright-core, with axe-core checks on /login and /account. The pages run under the
// server's real Content-Security-Policy (no bypassCSP): axe is evaluated through the DevTools
// protocol, which the policy does not govern. Screenshots go to $HRTRACK_ARTIFACTS (default
// artifacts/browser at the repository root) so a person can look at them.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { BIN, freePort, waitFor, axeClean, shot, launchChromium } = require('./common');

// Both meet the policy: 12+ characters, not common, without the user name.
const OLD_PASSWORD = 'Tidal-marmot-47-quill';
const NEW_PASSWORD = 'Copper-lantern-82-fjord';
const WRONG = 'The user name or the password is not right.';

let server, browser, base, tmp;

// A page that records what the Content-Security-Policy blocked and any script error, so a
// test can check that the real pages need nothing the policy forbids.
async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push('console: ' + m.text());
  });
  page.on('pageerror', (e) => page.problems.push('pageerror: ' + e.message));
  page.emptyBoxes = [];
  return page;
}

// A status or alert box must not be there without a message: screen readers announce it and
// people see an empty coloured box. Recorded (not thrown) so the rest of the flow still runs;
// each test asserts the list is empty at its end.
async function noEmptyBoxes(page, where) {
  const empty = await page.evaluate(() => [...document.querySelectorAll(
    'main [role="alert"], main [role="status"], main .error-box, main .notice-box, main p.secret')]
    .filter((e) => !e.textContent.trim()).map((e) => e.outerHTML));
  for (const e of new Set(empty)) page.emptyBoxes.push(`${where}: ${e}`);
}

// A failed sign-in or a refused form answers 401/400 on purpose; Chromium logs that.
const expectedStatus = (p) => /Failed to load resource: the server responded with a status of 40[01]/.test(p);

// Submits the sign-in form on the current /login page by clicking and returns the POST's response.
async function signIn(page, username, password) {
  await page.fill('#username', username);
  await page.fill('#password', password);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.waitForLoadState();
  return res;
}

function headerAccountLink(page) {
  return page.locator('header .account-nav a[href="/account"]');
}

async function sessionCookie(context) {
  const c = (await context.cookies(base)).find((x) => x.name === 'hrt_session');
  return c ? c.value : undefined;
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hrtrack-account-'));
  const db = path.join(tmp, 'a.db');
  const run = (args, input) => execFileSync(BIN, ['--db', db, ...args], { stdio: 'pipe', input });
  run(['init']);
  run(['institution', 'add', 'MOJ', '--name', 'Ministry of Justice', '--type', 'executive']);
  run(['user', 'add', 'ana', '--name', 'Ana Pérez', '--email', 'ana@example.org', '--institution', 'MOJ',
    '--role', 'focal_point', '--password-stdin'], OLD_PASSWORD + '\n');
  run(['user', 'add', 'root', '--name', 'Root Admin', '--role', 'administrator', '--password-stdin'],
    OLD_PASSWORD + '\n');
  run(['import', '-q', '--format', 'csv', path.join(__dirname, '..', 'fixtures', 'hostile.csv')]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['--db', db, 'serve', '--host', '127.0.0.1', '--port', String(port)], { stdio: 'ignore' });
  await waitFor(base + '/api/health', 60000);
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('sign in with the keyboard only; the header and the account page', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await newPage(context);

  const res = await page.goto(base + '/login');
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-security-policy'] || '', /script-src 'self'/, 'the real CSP applies');
  // Signed out: the header offers "Sign in", not an account link or "Sign out".
  await assert.doesNotReject(page.locator('header .account-nav').getByRole('link', { name: 'Sign in' }).waitFor());
  assert.equal(await headerAccountLink(page).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
  assert.equal(await page.locator('form[action="/login"] input[name="csrf"]').count(), 1, 'the form carries a csrf field');
  assert.equal(await page.locator('main [role="alert"]', { hasText: WRONG }).count(), 0, 'no error before an attempt');
  await noEmptyBoxes(page, '/login');
  await axeClean(page, '/login');
  await shot(page, 'account-login');

  // Keyboard only: focus the user name, type, Tab to the password, type, Enter.
  await page.focus('#username');
  await page.keyboard.type('ana');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'password',
    'Tab goes from the user name to the password');
  await page.keyboard.type(OLD_PASSWORD);
  const [post] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    page.waitForURL((u) => u.pathname === '/account'),
    page.keyboard.press('Enter'),
  ]);
  assert.equal(post.status(), 303, 'a right password redirects');
  assert.equal(await page.textContent('main h1'), 'Your account');

  // Signed in: the header shows the display name linking to the account, and "Sign out".
  await assert.doesNotReject(headerAccountLink(page).waitFor());
  assert.equal((await headerAccountLink(page).textContent()).trim(), 'Ana Pérez');
  assert.equal(await headerAccountLink(page).getAttribute('aria-current'), 'page');
  assert.equal(await page.locator('header button.link-button').getByText('Sign out').count(), 1);
  assert.equal(await page.locator('header .account-nav').getByRole('link', { name: 'Sign in' }).count(), 0);
  const main = await page.textContent('main');
  for (const s of ['ana', 'Ana Pérez', 'ana@example.org', 'Ministry of Justice']) {
    assert.ok(main.includes(s), `the account page shows ${s}`);
  }
  assert.equal(await page.locator('main .notice-box', { hasText: /\S/ }).filter({ hasNotText: 'Copy this token now' }).count(), 0,
    'no notice without a reason');
  await noEmptyBoxes(page, '/account');
  await axeClean(page, '/account');
  await shot(page, 'account-page');

  // /login when already signed in goes to the account.
  await page.goto(base + '/login');
  assert.equal(new URL(page.url()).pathname, '/account');

  assert.deepEqual(page.problems, [], 'no CSP violations or script errors');
  assert.deepEqual(page.emptyBoxes, [], 'no empty alert/status boxes (an empty string must not open a {{#section}})');
  await context.close();
});

test('change the password, sign out, the old password fails and the new one works', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await newPage(context);
  await page.goto(base + '/login?next=/account');
  const first = await signIn(page, 'ana', OLD_PASSWORD);
  assert.equal(first.status(), 303);
  assert.equal(new URL(page.url()).pathname, '/account');

  // A new password against the policy is refused with an explanation, and nothing changes.
  await page.fill('#current_password', OLD_PASSWORD);
  await page.fill('#new_password', 'short');
  const [bad] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/account/password'),
    page.getByRole('button', { name: 'Change the password' }).click(),
  ]);
  await page.waitForLoadState();
  assert.equal(bad.status(), 400);
  const refusal = page.locator('main .error-box[role="alert"]');
  assert.ok((await refusal.textContent()).trim().length > 0, 'the refusal is explained in an alert');

  // The real change: old -> new.
  await page.fill('#current_password', OLD_PASSWORD);
  await page.fill('#new_password', NEW_PASSWORD);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/account' && u.searchParams.get('done') === 'password'),
    page.getByRole('button', { name: 'Change the password' }).click(),
  ]);
  const notice = page.locator('main .notice-box[role="status"]', { hasText: 'Your password has been changed.' });
  assert.equal(await notice.count(), 1, 'the change is confirmed');
  assert.equal((await notice.textContent()).trim(), 'Your password has been changed.');
  assert.equal(await page.locator('main [role="alert"]', { hasText: /\S/ }).count(), 0, 'no error');
  await noEmptyBoxes(page, '/account?done=password');
  await axeClean(page, '/account?done=password');
  await shot(page, 'account-password-changed');

  // Sign out from the header: back on the home page, signed out, and the session is dead.
  const cookie = await sessionCookie(context);
  assert.ok(cookie, 'a session cookie was set');
  const meBefore = await fetch(base + '/api/me', { headers: { Cookie: 'hrt_session=' + cookie } });
  assert.equal(meBefore.status, 200, 'the session cookie works before signing out');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/'),
    page.locator('header').getByRole('button', { name: 'Sign out' }).click(),
  ]);
  assert.equal(await headerAccountLink(page).count(), 0);
  assert.equal(await page.locator('header .account-nav').getByRole('link', { name: 'Sign in' }).count(), 1);
  const meAfter = await fetch(base + '/api/me', { headers: { Cookie: 'hrt_session=' + cookie } });
  assert.ok(meAfter.status === 401 || meAfter.status === 403, `the old session is refused (${meAfter.status})`);

  // The old password no longer works: 401 and the error in an alert, the user name kept.
  await page.goto(base + '/login');
  const wrong = await signIn(page, 'ana', OLD_PASSWORD);
  assert.equal(wrong.status(), 401);
  assert.equal(new URL(page.url()).pathname, '/login');
  const alert = page.locator('main .error-box[role="alert"]');
  assert.equal(await alert.count(), 1);
  assert.equal((await alert.textContent()).trim(), WRONG);
  assert.equal(await page.inputValue('#username'), 'ana');
  assert.equal(await page.inputValue('#password'), '', 'the password is not sent back');
  assert.equal(await headerAccountLink(page).count(), 0, 'still signed out');
  await noEmptyBoxes(page, '/login with an error');
  await axeClean(page, '/login with an error');

  // The new password works and leads to the account.
  const right = await signIn(page, 'ana', NEW_PASSWORD);
  assert.equal(right.status(), 303);
  assert.equal(new URL(page.url()).pathname, '/account');
  assert.equal(await page.textContent('main h1'), 'Your account');
  assert.equal((await headerAccountLink(page).textContent()).trim(), 'Ana Pérez');

  assert.deepEqual(page.problems.filter((p) => !expectedStatus(p)), [], 'no CSP violations or script errors');
  assert.deepEqual(page.emptyBoxes, [], 'no empty alert/status boxes (an empty string must not open a {{#section}})');
  await context.close();
});

test('create a read API token in the page and use it as a Bearer token', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await newPage(context);
  await page.goto(base + '/login');
  assert.equal((await signIn(page, 'ana', NEW_PASSWORD)).status(), 303);
  assert.equal(new URL(page.url()).pathname, '/account');
  assert.equal(await page.locator('main p.secret', { hasText: /\S/ }).count(), 0, 'no token before one is made');
  await noEmptyBoxes(page, '/account before a token');

  await page.fill('#token_name', 'Reporting script');
  await page.selectOption('#token_scope', 'read');
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/account/tokens'),
    page.getByRole('button', { name: 'Create a token' }).click(),
  ]);
  await page.waitForLoadState();
  const secret = (await page.locator('main p.secret', { hasText: /\S/ }).textContent()).trim();
  assert.match(secret, /^\S{20,}$/, 'the token is shown');
  const row = page.locator('main table.data tbody tr', { hasText: 'Reporting script' });
  assert.equal(await row.count(), 1, 'the token is listed');
  assert.ok((await row.textContent()).includes('Read'));
  await axeClean(page, '/account with a new token');

  // The token works on the API, as ana, read only.
  const me = await fetch(base + '/api/me', { headers: { Authorization: 'Bearer ' + secret } });
  assert.equal(me.status, 200);
  const j = await me.json();
  assert.equal(j.username, 'ana');
  assert.equal(j.display_name, 'Ana Pérez');
  assert.equal(j.read_only, true);
  assert.equal(j.via_token, true);
  // Without it, or with a wrong one, the API does not know who asks.
  const anon = await fetch(base + '/api/me');
  assert.ok(anon.status === 401 || anon.status === 403, `no token is refused (${anon.status})`);
  const forged = await fetch(base + '/api/me', { headers: { Authorization: 'Bearer ' + secret.slice(0, -2) + 'xx' } });
  assert.ok(forged.status === 401 || forged.status === 403, `a wrong token is refused (${forged.status})`);

  // The secret is shown once only.
  await page.goto(base + '/account');
  const again = await page.textContent('main');
  assert.ok(!again.includes(secret), 'the secret is not shown again');
  assert.ok(again.includes('Reporting script'));
  await noEmptyBoxes(page, '/account after a token');

  assert.deepEqual(page.problems, [], 'no CSP violations or script errors');
  assert.deepEqual(page.emptyBoxes, [], 'no empty alert/status boxes (an empty string must not open a {{#section}})');
  await context.close();
});

test("the administrator's pages: institutions, users, the change log, a history; axe-core clean", async () => {
  const context = await browser.newContext();
  const page = await newPage(context);
  await page.goto(base + '/login');
  assert.equal((await signIn(page, 'root', OLD_PASSWORD)).status(), 303);
  // Create an institution through the form.
  await page.goto(base + '/institutions');
  await page.fill('#code', 'MOJ-DHR');
  await page.fill('#name', 'Human Rights Directorate');
  await page.selectOption('#parent', { label: 'Ministry of Justice (MOJ)' });
  await Promise.all([page.waitForURL(/\/institutions\/\d+/), page.getByRole('button', { name: 'Add the institution' }).click()]);
  assert.match(await page.textContent('main'), /Ministry of Justice/, 'the parent is shown');
  await axeClean(page, 'institution page');
  await shot(page, 'admin-institution');
  for (const [url, name] of [['/institutions', 'institutions'], ['/users', 'users'], ['/log', 'log']]) {
    const res = await page.goto(base + url);
    assert.equal(res.status(), 200, url);
    await noEmptyBoxes(page, url);
    await axeClean(page, url);
    await shot(page, 'admin-' + name);
  }
  // A user's page through the list.
  await page.goto(base + '/users');
  await Promise.all([page.waitForURL(/\/users\/\d+/), page.locator('main table a', { hasText: 'ana' }).click()]);
  assert.match(await page.textContent('main h1'), /Ana Pérez/);
  await axeClean(page, 'user page');
  await shot(page, 'admin-user');
  // The log filtered by who.
  await page.goto(base + '/log');
  await page.fill('#actor', 'root');
  await Promise.all([page.waitForURL(/actor=root/), page.getByRole('button', { name: 'Filter' }).click()]);
  const rows = await page.locator('main table.data tbody tr').count();
  assert.ok(rows >= 1, 'the institution created by root is in the filtered log');
  // A recommendation's history (hostile text in the record stays text).
  const uid = (await (await fetch(base + '/api/recommendations?per_page=1')).json()).items[0].uid;
  const h = await page.goto(base + `/recommendations/${uid}/history`);
  assert.equal(h.status(), 200);
  await axeClean(page, 'history page');
  await shot(page, 'admin-history');
  assert.deepEqual(page.problems, [], 'no CSP violations or script errors');
  assert.deepEqual(page.emptyBoxes, [], 'no empty alert/status boxes');
  await context.close();
});
