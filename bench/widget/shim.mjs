// The shim's promises: one global, a deferred and an async tag on one page give two
// independent widgets (own restaurant, language, side), under the strict CSP; a
// core that fails to load is tried again at the next click.
// node shim.mjs; exits 1 on failure.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { chromiumOptions, startStack } from './stack.mjs';

const stack = await startStack();
const browser = await chromium.launch(chromiumOptions);
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 720 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  const before = await browser.newPage().then(async (p) => {
    await p.goto(stack.base + '/page.css');
    const keys = await p.evaluate(() => Object.keys(window));
    await p.close();
    return new Set(keys);
  });
  await page.goto(stack.base + '/two');
  await page.waitForFunction(() => window.RestoChat?.widgets.length === 2);
  const added = (await page.evaluate(() => Object.keys(window))).filter((k) => !before.has(k));
  assert.deepEqual(added, ['RestoChat']);
  console.log('ok - one global:', added.join());

  const hosts = page.locator('restochat-widget');
  const sides = await page.evaluate(() => [...document.querySelectorAll('restochat-widget')]
    .map((h) => [h.dataset.side, Math.round(h.shadowRoot.querySelector('[data-part=launcher]').getBoundingClientRect().x)]));
  assert.equal(sides.length, 2);
  assert.ok(sides.some(([side, x]) => side === 'right' && x > 900) && sides.some(([side, x]) => side === 'left' && x < 100));
  console.log('ok - two launchers, one per side:', JSON.stringify(sides));

  const [r, l] = sides[0][0] === 'right' ? [0, 1] : [1, 0];
  await hosts.nth(r).locator('[data-part=launcher]').click();
  await hosts.nth(r).locator('[data-part=input]').waitFor();
  assert.equal(await hosts.nth(r).locator('[data-part=input]').getAttribute('placeholder'), 'Write your message…');
  await hosts.nth(l).locator('[data-part=launcher]').click();
  await hosts.nth(l).locator('[data-part=phone-input]').waitFor();
  assert.equal(await hosts.nth(l).locator('label').first().innerText(), 'Numéro de téléphone');
  assert.equal(await hosts.nth(r).locator('[data-part=panel]').getAttribute('data-phase'), 'chatting');
  console.log('ok - each has its restaurant and language: English chat, French phone step');
  assert.deepEqual(errors, []);
  console.log('ok - no errors');

  // The core's .wasm found nowhere (a deploy in progress): the click fails quietly,
  // the launcher is usable again, and the next click loads it.
  const flaky = await browser.newPage({ viewport: { width: 1024, height: 720 } });
  let refuse = true;
  await flaky.route('**/chat-core-*.wasm', (route) => (refuse ? route.fulfill({ status: 404, body: '' }) : route.continue()));
  await flaky.goto(stack.base + '/en');
  const launcher = flaky.locator('restochat-widget').locator('[data-part=launcher]');
  await launcher.click();
  await flaky.waitForFunction(() => !document.querySelector('restochat-widget').shadowRoot
    .querySelector('[data-part=launcher]').hasAttribute('aria-busy'));
  assert.equal(await flaky.locator('restochat-widget').locator('[data-part=input]').count(), 0);
  refuse = false;
  await launcher.click();
  await flaky.locator('restochat-widget').locator('[data-part=input]').waitFor();
  console.log('ok - a core that failed to load is loaded again at the next click');
} finally {
  await browser.close();
  await stack.stop();
}
