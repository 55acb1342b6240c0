// Browser test of the whole follow-up cycle in Debian's Chromium, driven by playwright-core,
// with axe-core checks on every follow-up page type. One browser context per person, each
// signed in through /login: the coordinator makes a cluster from a search and assigns it, the
// ministry's focal point writes a plan and reports progress with evidence, the validator and
// the coordinator take both through the review to publication, the NHRI and a civil society
// organisation (protected) publish diverging assessments, and the public page shows all of
// it side by side without naming the protected organisation. The pages run under the server's
// real Content-Security-Policy (no bypassCSP): axe is evaluated through the DevTools protocol,
// which the policy does not govern. Screenshots go to $HRTRACK_ARTIFACTS (default
// artifacts/browser at the repository root) so a person can look at them.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { BIN, DATA, ART, freePort, waitFor, axeClean, shot, launchChromium } = require('./common');

// Passwords that meet the policy: 12+ characters, not common, without the user name.
const USERS = {
  coord: { password: 'Granite-heron-31-vellum', name: 'Carla Ortiz', inst: 'SEC', role: 'coordinator' },
  fp: { password: 'Saffron-otter-58-ledger', name: 'Félix Duarte', inst: 'MJ', role: 'focal_point' },
  val: { password: 'Cobalt-finch-24-harbor', name: 'Vera Giménez', inst: 'MJ', role: 'validator' },
  nhri: { password: 'Juniper-walrus-67-anvil', name: 'Nora Acosta', inst: 'DP', role: 'nhri' },
  rosa: { password: 'Amber-kestrel-93-quarry', name: 'Rosa Benítez Aquino', inst: 'CSO1', role: 'civil_society',
    email: 'rosa@nanduti.example' },
};

const SEARCH = 'state=PRY&issue=Indigenous%20peoples';
const CLUSTER = 'Pueblos indígenas: tierras y consulta';
const PLAN = 'Plan de restitución de tierras indígenas 2025-2027';
const RESULTS = 'Titles restored to 40 indigenous communities and a consultation protocol in force.';
const ACTION = 'Survey and title ancestral lands of the Ayoreo and Mbyá Guaraní communities';
const INDICATOR = 'Communities with restored land titles';
const PROGRESS = 'The Ministry titled the lands of 12 communities and published the survey of a further 9.';
const NHRI_VIEW = 'Titles are progressing but the consultation protocol has not been adopted yet.';
const CSO_VIEW = 'No community we work with has received its titles; evictions continue.';

let server, browser, base, tmp;
const contexts = {};
// What one step hands to the next.
const S = {};

async function api(query) {
  const r = await fetch(base + '/api/recommendations?' + query);
  assert.equal(r.status, 200);
  return r.json();
}

// The public API's answer once `ok(answer)` holds, or the last answer after 15 s: the search
// index is rebuilt in the background, so what others published shows within about a second.
async function apiSoon(query, ok) {
  const t0 = Date.now();
  for (;;) {
    const a = await api(query);
    if (ok(a) || Date.now() - t0 > 15000) return a;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The flow must go on when a page has an accessibility fault, so that one fault does not hide
// the next: each step collects them and fails at its end with every violation found.
async function axeCheck(page, name, found) {
  try {
    await axeClean(page, name);
  } catch (e) {
    if (!(e instanceof assert.AssertionError)) throw e;
    found.push(`${name}: ${JSON.stringify(e.actual)}`);
  }
}

// A page that records script errors, what the Content-Security-Policy blocked, and every
// answer of 400 or more, so each step can check that nothing failed on the way.
async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push('console: ' + m.text());
  });
  page.on('pageerror', (e) => page.problems.push('pageerror: ' + e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) page.problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return page;
}

function noProblems(page, where) {
  // Chromium logs each answer of 400 or more a second time; the response line says it all.
  const p = page.problems.filter((x) => !/Failed to load resource/.test(x));
  page.problems.length = 0;
  assert.deepEqual(p, [], `no HTTP errors, CSP violations or script errors (${where})`);
}

// The page of a person, signed in through /login (the context is made once per person).
async function pageOf(who) {
  if (!contexts[who]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await newPage(context);
    await page.goto(base + '/login');
    await page.fill('#username', who);
    await page.fill('#password', USERS[who].password);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/account'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    assert.equal((await page.locator('header .account-nav a[href="/account"]').textContent()).trim(), USERS[who].name,
      `${who} is signed in`);
    contexts[who] = { context, page };
  }
  return contexts[who].page;
}

// Clicks a button (by its exact visible name, optionally inside `scope`), checks that the
// form's POST answers with a redirect (a refusal is reported with the page's error message)
// and waits for the page it redirects to; returns that URL.
async function submit(page, name, urlPattern, scope) {
  const button = (scope || page).getByRole('button', { name, exact: true });
  assert.equal(await button.count(), 1, `one "${name}" button on ${page.url()}`);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    button.click(),
  ]);
  if (res.status() !== 303) {
    await page.waitForLoadState();
    const error = page.locator('main .error-box');
    const why = (await error.count()) ? await error.first().textContent() : await page.textContent('main');
    assert.fail(`"${name}" on ${page.url()} answered ${res.status()}: ${why.trim().replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  await page.waitForURL(urlPattern, { timeout: 10000 });
  await page.waitForLoadState();
  return new URL(page.url());
}

async function stateOf(page) {
  // The state badge right under the page's h1 (plan and update pages).
  return (await page.locator('main h1 + p .state').textContent()).trim();
}

function need(value, what) {
  assert.ok(value, `an earlier step failed: no ${what}`);
  return value;
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hrtrack-followup-'));
  const db = path.join(tmp, 'f.db');
  const run = (args, input) => execFileSync(BIN, ['--db', db, ...args], { stdio: 'pipe', input });
  run(['import', '-q', '--format', 'uprinfo-csv', path.join(DATA, 'uprinfo_recommendations_sessions01-14.csv')]);
  run(['institution', 'add', 'SEC', '--name', 'Secretaría de Seguimiento', '--type', 'executive']);
  run(['institution', 'add', 'MJ', '--name', 'Ministerio de Justicia', '--type', 'executive']);
  run(['institution', 'add', 'DP', '--name', 'Defensoría del Pueblo', '--type', 'nhri']);
  run(['institution', 'add', 'CSO1', '--name', 'Colectivo Ñandutí de Defensores', '--type', 'civil_society']);
  for (const [user, u] of Object.entries(USERS)) {
    run(['user', 'add', user, '--name', u.name, '--email', u.email || `${user}@example.org`, '--institution', u.inst,
      '--role', u.role, '--password-stdin'], u.password + '\n');
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['--db', db, 'serve', '--host', '127.0.0.1', '--port', String(port)], { stdio: 'ignore' });
  await waitFor(base + '/api/health', 60000);
  browser = await launchChromium();
});

after(async () => {
  for (const c of Object.values(contexts)) await c.context.close().catch(() => {});
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('1. the coordinator makes a cluster of a search and assigns it to the ministry', async () => {
  const page = await pageOf('coord');
  const { total } = await api(SEARCH + '&per_page=1');
  assert.ok(total > 1, `the search finds several recommendations (${total})`);
  await page.goto(base + '/search?' + SEARCH);
  const manage = page.locator('section.manage');
  assert.equal((await manage.locator('h3').textContent()).trim(), 'Follow-up of these results');
  await page.fill('#cluster-name', CLUSTER);
  const url = await submit(page, `Make a cluster of every result (${total.toLocaleString('en-US')})`,
    /\/clusters\/\d+$/, manage);
  S.cluster = url.pathname.match(/\/clusters\/(\d+)$/)[1];
  assert.equal((await page.textContent('main h1')).trim(), CLUSTER);
  assert.ok((await page.textContent('main')).includes(`Recommendations: ${total.toLocaleString('en-US')}`),
    'the cluster holds every result');
  assert.equal(await page.locator('main ol.members > li').count(), Math.min(total, 200));
  // The index knows the cluster: the API filters by it.
  assert.equal((await apiSoon(`cluster=${S.cluster}&per_page=1`, (a) => a.total === total)).total, total,
    'the cluster facet counts every member');

  await page.selectOption('#assign-inst', { label: 'Ministerio de Justicia' });
  await submit(page, 'Assign', new RegExp(`/clusters/${S.cluster}$`));
  const assigned = page.locator('main ul li', { hasText: 'Ministerio de Justicia' });
  assert.equal(await assigned.count(), 1, 'the ministry is listed as responsible');
  assert.match(await assigned.textContent(), /Ministerio de Justicia \(lead\)/);
  noProblems(page, 'cluster');
  await shot(page, 'followup-cluster');
  await axeClean(page, 'cluster page (coordinator)');
});

test('2. the focal point starts a plan with an action and an indicator and submits it', async () => {
  const cluster = need(S.cluster, 'cluster');
  const page = await pageOf('fp');
  await page.goto(base + '/clusters/' + cluster);
  assert.equal((await page.textContent('main h1')).trim(), CLUSTER);
  await page.fill('#plan-title', PLAN);
  await page.fill('#plan-results', RESULTS);
  const url = await submit(page, 'Create the plan', /\/plans\/\d+$/);
  S.plan = url.pathname.match(/\/plans\/(\d+)$/)[1];
  assert.match(await page.textContent('main h1'), new RegExp(PLAN));
  assert.equal(await stateOf(page), 'draft');

  await page.fill('#act-desc', ACTION);
  await page.selectOption('#act-inst', { label: 'Ministerio de Justicia' });
  await page.fill('#act-start', '2025-03-01');
  await page.fill('#act-end', '2026-12-31');
  await page.fill('#act-cost', '1250000');
  await page.fill('#act-cur', 'PYG');
  await page.fill('#act-fund', 'Presupuesto General de la Nación');
  await page.fill('#act-line', '12-03-001');
  await submit(page, 'Add an action', new RegExp(`/plans/${S.plan}#actions$`));
  const action = page.locator('main table.data tbody tr', { hasText: ACTION });
  assert.equal(await action.count(), 1, 'the action is listed');
  const cells = (await action.locator('td').allTextContents()).map((s) => s.trim());
  assert.deepEqual(cells, [ACTION, 'Ministerio de Justicia', '2025-03-01 – 2026-12-31', '1,250,000 PYG',
    'Presupuesto General de la Nación · 12-03-001']);

  await page.fill('#ind-name', INDICATOR);
  await page.fill('#ind-base', '0');
  await page.fill('#ind-target', '40');
  await page.fill('#ind-unit', 'communities');
  await page.fill('#ind-means', 'Registry of the land institute (INDI)');
  await page.fill('#ind-freq', '6');
  await submit(page, 'Add an indicator', new RegExp(`/plans/${S.plan}#indicators$`));
  const ind = page.locator('main table.data tbody tr', { hasText: INDICATOR });
  assert.equal(await ind.count(), 1, 'the indicator is listed');
  assert.deepEqual((await ind.locator('td').allTextContents()).map((s) => s.trim()),
    [`${INDICATOR} (communities)`, '0', '40', 'Registry of the land institute (INDI)', '6']);

  await submit(page, 'Submit for review', new RegExp(`/plans/${S.plan}$`));
  assert.equal(await stateOf(page), 'submitted');
  assert.equal(await page.locator('#act-desc').count(), 0, 'a submitted plan is no longer editable');
  noProblems(page, 'plan');
  await shot(page, 'followup-plan');
  await axeClean(page, 'plan page (focal point, submitted)');
});

// Opens /review as `who`, checks the item is listed and opens it.
async function openFromReview(who, href, kind, name) {
  const page = await pageOf(who);
  await page.goto(base + '/review');
  const link = page.locator(`main table.data a[href="${href}"]`);
  assert.equal(await link.count(), 1, `${who}'s review queue lists ${href}`);
  assert.ok((await link.textContent()).startsWith(kind + ':'), `the item is a ${kind}`);
  if (name) assert.ok((await link.textContent()).includes(name));
  await Promise.all([page.waitForURL(base + href), link.click()]);
  return page;
}

test('3. the validator validates the plan; the coordinator approves and publishes it', async () => {
  const href = '/plans/' + need(S.plan, 'plan');
  let page = await openFromReview('val', href, 'Plan', PLAN);
  await submit(page, 'Validate', new RegExp(href + '$'));
  assert.equal(await stateOf(page), 'validated');
  noProblems(page, 'plan validated');

  page = await openFromReview('coord', href, 'Plan', PLAN);
  await submit(page, 'Approve', new RegExp(href + '$'));
  assert.equal(await stateOf(page), 'approved');
  await submit(page, 'Publish', new RegExp(href + '$'));
  assert.equal(await stateOf(page), 'published');
  assert.equal(await page.locator('main form.workflow-form').count(), 0, 'nothing more to do on a published plan');
  noProblems(page, 'plan published');
});

test('4. the focal point reports progress with a PDF; it is validated, approved and published', async () => {
  const cluster = need(S.cluster, 'cluster');
  need(S.plan, 'published plan');
  const first = await apiSoon(`cluster=${cluster}&per_page=1`, (a) => a.items.length > 0);
  assert.equal(first.items.length, 1, 'the API lists a member of the cluster');
  S.uid = first.items[0].uid;
  assert.match(S.uid, /^R-[0-9a-f]{16}$/);

  const page = await pageOf('fp');
  await page.goto(base + '/followup/' + S.uid);
  assert.equal((await page.textContent('main h1')).trim(), 'Follow-up of a recommendation');
  const main = await page.textContent('main');
  assert.ok(main.includes('Ministerio de Justicia (lead) · through its cluster'), 'responsible through the cluster');
  assert.ok(main.includes(PLAN), 'the cluster plan shows on the recommendation');
  const form = page.locator('main form[action="/updates"]');
  await page.fill('#u-date', '2025-11-15');
  await page.selectOption('#u-measure', 'administrative');
  await page.fill('#u-desc', PROGRESS);
  await page.selectOption('#u-plan', { label: PLAN });
  const indInput = form.locator('input[id^="u-ind-"]');
  assert.equal(await indInput.count(), 1, 'one value input per indicator of the visible plans');
  assert.equal(await form.locator(`label[for="${await indInput.getAttribute('id')}"]`).textContent(),
    `${PLAN}: ${INDICATOR} (communities)`);
  await indInput.fill('12');
  const url = await submit(page, 'Save as draft', /\/updates\/\d+$/, form);
  S.update = url.pathname.match(/\/updates\/(\d+)$/)[1];
  assert.equal(await stateOf(page), 'draft');
  const article = page.locator('main article.update');
  assert.ok((await article.textContent()).includes(PROGRESS));
  assert.equal((await article.locator('ul li').textContent()).trim(), `${INDICATOR} (communities): 12`);

  const pdf = path.join(tmp, 'informe-titulacion.pdf');
  fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'
    + '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await page.setInputFiles('#ev-file', pdf);
  await submit(page, 'Attach', new RegExp(`/updates/${S.update}#evidence$`));
  const ev = page.locator('main article.update a[href^="/evidence/"]');
  assert.equal(await ev.count(), 1, 'the evidence is listed');
  assert.equal((await ev.textContent()).trim(), 'informe-titulacion.pdf');
  S.evidence = await ev.getAttribute('href');
  // The file comes back as it was sent, as a download.
  const cookie = (await contexts.fp.context.cookies(base)).map((c) => `${c.name}=${c.value}`).join('; ');
  const got = await fetch(base + S.evidence, { headers: { Cookie: cookie } });
  assert.equal(got.status, 200);
  assert.match(got.headers.get('content-disposition') || '', /^attachment/);
  assert.equal(Buffer.from(await got.arrayBuffer()).toString(), fs.readFileSync(pdf, 'utf8'));
  // Not public before it is published.
  assert.equal((await fetch(base + S.evidence)).status, 404, 'draft evidence is not public');

  await submit(page, 'Submit for review', new RegExp(`/updates/${S.update}$`));
  assert.equal(await stateOf(page), 'submitted');
  const axeFaults = [];
  await shot(page, 'followup-update');
  await axeCheck(page, 'update page (focal point, submitted)', axeFaults);
  noProblems(page, 'update');

  const href = '/updates/' + S.update;
  const vpage = await pageOf('val');
  await vpage.goto(base + '/review');
  await shot(vpage, 'followup-review');
  await axeCheck(vpage, '/review (validator, one update waiting)', axeFaults);
  await openFromReview('val', href, 'Progress update');
  await submit(vpage, 'Validate', new RegExp(href + '$'));
  assert.equal(await stateOf(vpage), 'validated');
  noProblems(vpage, 'update validated');

  // The coordinator works from the update page itself.
  const cpage = await pageOf('coord');
  await cpage.goto(base + href);
  await submit(cpage, 'Approve', new RegExp(href + '$'));
  assert.equal(await stateOf(cpage), 'approved');
  await submit(cpage, 'Publish', new RegExp(href + '$'));
  assert.equal(await stateOf(cpage), 'published');
  noProblems(cpage, 'update published');
  assert.equal((await fetch(base + S.evidence)).status, 200, 'published evidence is public');
  assert.deepEqual(axeFaults, [], 'axe-core violations');
});

// Writes an assessment on the workspace as `who` and publishes it from its column.
async function assess(who, status, justification, party, isProtected) {
  const uid = need(S.uid, 'recommendation');
  const page = await pageOf(who);
  await page.goto(base + '/followup/' + uid);
  const form = page.locator('main form[action="/assessments"]');
  assert.equal(await form.count(), 1, `${who} may assess`);
  assert.equal((await page.textContent('#new-assessment')).trim(), `Your assessment (${party})`);
  await page.selectOption('#a-status', status);
  await page.fill('#a-just', justification);
  const choices = form.locator('input[name="protected"]');
  if (isProtected) {
    // Protection is the default: the "protected" choice comes checked.
    const keep = form.locator('input[name="protected"][value="true"]');
    assert.equal(await keep.isChecked(), true, 'protection is on by default');
    await keep.check();
  } else {
    assert.equal(await choices.count(), 0, 'only civil society may protect its name');
  }
  await submit(page, 'Save as draft', new RegExp(`/followup/${uid}#assessments$`), form);
  const column = page.locator(`main section.party[aria-label="${party}"]`);
  const mine = column.locator('article.assessment', { hasText: justification });
  assert.equal(await mine.count(), 1, `the ${party} column holds the draft`);
  assert.match(await mine.locator('.state').textContent(), /draft/);
  await submit(page, 'Publish', new RegExp(`/followup/${uid}#assessments$`), mine);
  assert.match(await mine.locator('.state').textContent(), /published/);
  noProblems(page, `${who}'s assessment`);
  return mine;
}

test('5. the NHRI and a protected civil society organisation publish diverging assessments', async () => {
  const nhri = await assess('nhri', 'in_progress', NHRI_VIEW, 'National human rights institution', false);
  assert.match(await nhri.textContent(), /In progress/);
  assert.match(await nhri.locator('.meta').textContent(), /Defensoría del Pueblo/);
  const cso = await assess('rosa', 'not_started', CSO_VIEW, 'Civil society', true);
  assert.match(await cso.textContent(), /Not started/);
  // Its own author still sees who wrote it, marked protected.
  assert.match(await cso.locator('.meta').textContent(), /protected/);
});

test('6. the public page shows the whole follow-up and hides the protected organisation', async () => {
  const uid = need(S.uid, 'recommendation');
  need(S.evidence, 'evidence');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await newPage(context);
  const res = await page.goto(base + '/recommendations/' + uid);
  assert.equal(res.status(), 200);
  fs.mkdirSync(ART, { recursive: true });
  await page.screenshot({ path: path.join(ART, 'followup-public.png'), fullPage: true });
  const section = page.locator('main section.followup');
  assert.equal(await section.count(), 1, 'the follow-up section is there');
  const text = await section.textContent();
  assert.ok(text.includes('Ministerio de Justicia'), 'the responsible ministry');
  assert.ok(text.includes(CLUSTER), 'the cluster');
  assert.ok(text.includes(PLAN), 'the plan title');
  assert.ok(text.includes(ACTION), 'the action');
  assert.equal(await section.locator('table.data td', { hasText: /^1,250,000 PYG$/ }).count(), 1, 'the action cost');
  assert.ok(text.includes(INDICATOR), 'the indicator');
  assert.ok(text.includes(PROGRESS), 'the progress update');
  assert.ok(text.includes(`${INDICATOR} (communities): 12`), 'the indicator value reported');
  const ev = section.locator(`article.update a[href="${S.evidence}"]`);
  assert.equal(await ev.count(), 1, 'the evidence link');
  assert.equal((await ev.textContent()).trim(), 'informe-titulacion.pdf');

  const columns = section.locator('.side-by-side > section.party');
  assert.deepEqual((await columns.locator('h3').allTextContents()).map((s) => s.trim()),
    ['Government', 'National human rights institution', 'Civil society']);
  const [gov, nhri, cso] = [columns.nth(0), columns.nth(1), columns.nth(2)];
  assert.match(await gov.textContent(), /No assessment\./);
  assert.match(await nhri.locator('article.assessment').textContent(), /In progress[\s\S]*Defensoría del Pueblo/);
  assert.ok((await nhri.textContent()).includes(NHRI_VIEW));
  const csoMeta = (await cso.locator('article.assessment .meta').textContent()).trim();
  assert.match(csoMeta, /^\S+ · a civil society organisation$/, 'the protected author is masked');
  assert.match(await cso.locator('article.assessment').textContent(), /Not started/);
  assert.ok((await cso.textContent()).includes(CSO_VIEW));
  // Side by side on a wide screen (checked at the end, so that the rest is checked too).
  const boxes = await Promise.all([gov, nhri, cso].map((c) => c.boundingBox()));
  // No workflow buttons or people's names for the public.
  assert.equal(await page.locator('main form.workflow-form').count(), 0);

  const whole = await page.content();
  for (const s of ['Colectivo Ñandutí', 'Rosa Benítez', 'rosa@nanduti.example', 'Félix Duarte']) {
    assert.ok(!whole.includes(s), `the public page does not reveal "${s}"`);
  }
  // Nor does the public API.
  const pub = await (await fetch(base + '/api/recommendations/' + uid + '/followup')).text();
  for (const s of ['Colectivo Ñandutí', 'Rosa Benítez', 'rosa@nanduti.example']) {
    assert.ok(!pub.includes(s), `the public follow-up API does not reveal "${s}"`);
  }
  await axeClean(page, 'public recommendation page with follow-up');
  noProblems(page, 'public page');
  await context.close();
  assert.ok(boxes[0].x < boxes[1].x && boxes[1].x < boxes[2].x && Math.abs(boxes[0].y - boxes[2].y) < 2,
    'the three assessment columns sit side by side at 1280 px, but their left,top corners are '
    + boxes.map((x) => `${Math.round(x.x)},${Math.round(x.y)}`).join(' '));
});

test('7. the workspace, plan, update, review and cluster pages are accessible', async () => {
  const uid = need(S.uid, 'recommendation');
  const fp = await pageOf('fp');
  const axeFaults = [];
  const pages = [
    ['/followup/' + uid, 'followup-workspace'],
    ['/plans/' + S.plan, 'followup-plan-published'],
    ['/updates/' + S.update, 'followup-update-published'],
    ['/review', 'followup-review-empty'],
    ['/clusters/' + S.cluster, 'followup-cluster-focal-point'],
  ];
  for (const [p, name] of pages) {
    const res = await fp.goto(base + p);
    assert.equal(res.status(), 200, p);
    await shot(fp, name);
    await axeCheck(fp, p + ' (focal point)', axeFaults);
  }
  noProblems(fp, 'focal point pages');
  // The ministry's view of the workspace does not name the protected organisation either.
  await fp.goto(base + '/followup/' + uid);
  const text = await fp.textContent('main');
  assert.ok(!text.includes('Colectivo Ñandutí') && !text.includes('Rosa Benítez'),
    'government users do not see the protected organisation');
  assert.deepEqual(axeFaults, [], 'axe-core violations');
});
