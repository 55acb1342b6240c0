// What the browser tests share: where the binary, the data and the screenshots are, a free
// port, waiting for the server, Debian's Chromium, axe-core and screenshots.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BIN = process.env.HRTRACK_BIN || path.resolve(__dirname, '../../build/hrtrack');
const DATA = process.env.HRTRACK_SHARED_DATA || path.resolve(__dirname, '../../../shared/data');
const ART = process.env.HRTRACK_ARTIFACTS || path.resolve(__dirname, '../../artifacts/browser');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, ms) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch (_) { /* not up yet */ }
    if (Date.now() > end) throw new Error('server did not start: ' + url);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function axeClean(page, name) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  const v = result.violations.map((x) => `${x.id} (${x.impact}): ${x.nodes.length} node(s), e.g. ${x.nodes[0].target}`);
  assert.deepEqual(v, [], `axe-core violations on ${name}`);
}

async function shot(page, name) {
  fs.mkdirSync(ART, { recursive: true });
  await page.screenshot({ path: path.join(ART, name + '.png'), fullPage: true });
}

// Debian's Chromium, headless, with nothing that phones home.
function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

module.exports = { BIN, DATA, ART, AXE, freePort, waitFor, axeClean, shot, launchChromium };
