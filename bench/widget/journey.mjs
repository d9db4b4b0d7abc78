// The whole journey through the real chat-proxy page /r/:id (its own CSP), in
// Debian's Chromium: message and streamed reply, reload resumes, unread badge,
// phone step with a wrong then the right code. Prints each step; exits 1 on failure.
// node journey.mjs [--shots]  (--shots also writes the code step to docs/screenshots)
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumOptions, startRealStack } from './stack.mjs';

const shots = process.argv.includes('--shots');
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const stack = await startRealStack();
const browser = await chromium.launch(chromiumOptions);
const step = (s) => console.log('ok -', s);
try {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(r.status() + ' ' + r.url()); });
  await page.goto(`${stack.base}/r/${stack.restaurants.open}`);
  await page.locator('[data-part=launcher]').click();
  const input = page.locator('[data-part=input]');
  await input.fill('Bonjour, vous êtes ouverts ce soir ?');
  await input.press('Enter');
  await page.locator('[data-part=message][data-role=visitor]').waitFor();
  await page.locator('[data-part=message][data-role=agent]').waitFor({ timeout: 15000 });
  assert.equal(await input.inputValue(), '');
  step('message sent with Enter, reply streamed and stored: ' + await page.locator('[data-part=message][data-role=agent]').innerText());

  // Offline: the message stays in the input, read-only, and goes when the network is back.
  await context.setOffline(true);
  await input.fill('Une table pour 4 à 20h ?');
  await input.press('Enter');
  await page.locator('[data-part=error]:not([hidden])').waitFor();
  assert.equal(await input.inputValue(), 'Une table pour 4 à 20h ?');
  assert.equal(await page.locator('[data-part=panel]').getAttribute('data-phase'), 'offline');
  step('offline: ' + await page.locator('[data-part=error]').innerText());
  await context.setOffline(false);
  await page.locator('[data-part=message][data-role=agent]').nth(1).waitFor({ timeout: 20000 });
  assert.equal(await input.inputValue(), '');
  assert.equal(await page.locator('[data-part=message]').count(), 4);
  step('back online: sent once, reply received on the reopened stream');

  await page.reload();
  await page.locator('[data-part=launcher]').click();
  await page.locator('[data-part=message][data-role=agent]').nth(1).waitFor();
  assert.equal(await page.locator('[data-part=message]').count(), 4);
  step('reload resumes the conversation (4 messages)');

  // Another tab of the same visitor asks; this one, closed, shows the badge.
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('[data-part=panel]').isHidden(), true);
  assert.equal(await page.evaluate(() => document.querySelector('restochat-widget').shadowRoot.activeElement?.dataset.part), 'launcher');
  step('Escape closes, focus back on the launcher');
  const other = await context.newPage();
  await other.goto(`${stack.base}/r/${stack.restaurants.open}`);
  await other.locator('[data-part=launcher]').click();
  await other.locator('[data-part=input]').fill('Et le menu du jour ?');
  await other.locator('[data-part=send]').click();
  await page.locator('[data-part=badge]:not([hidden])').waitFor({ timeout: 15000 });
  step('unread badge while closed: ' + await page.locator('[data-part=badge]').innerText() + ', label: ' +
       await page.locator('[data-part=launcher]').getAttribute('aria-label'));
  await other.close();

  const phone = await context.newPage();
  await phone.setViewportSize({ width: 360, height: 640 });
  await phone.goto(`${stack.base}/r/${stack.restaurants.phone}`);
  await phone.locator('[data-part=launcher]').click();
  await phone.locator('[data-part=phone-input]').fill('06 12 34 56 78');
  await phone.locator('[data-part=phone-input]').press('Enter');
  await phone.locator('[data-part=code-input]').waitFor();
  step('phone step: code sent, ' + await phone.locator('[data-part=code-sent]').innerText());
  await phone.locator('[data-part=code-input]').fill('000000');
  await phone.locator('[data-part=code-submit]').click();
  await phone.locator('[data-part=error]:not([hidden])').waitFor();
  const wrong = await phone.locator('[data-part=error]').innerText();
  assert.match(wrong, /essai/);
  step('wrong code: ' + wrong);
  if (shots) await phone.screenshot({ path: `${out}/code-step-360.png` });
  const code = stack.lastCode();
  assert.ok(code, 'the dev SMS sender logged a code');
  await phone.locator('[data-part=code-input]').fill(code);
  await phone.locator('[data-part=code-input]').press('Enter');
  await phone.locator('[data-part=input]').waitFor();
  await phone.locator('[data-part=input]').fill('Vous prenez les réservations ?');
  await phone.locator('[data-part=input]').press('Enter');
  await phone.locator('[data-part=message][data-role=agent]').waitFor({ timeout: 15000 });
  step('right code: verified, chatting');

  // The browser logs a line for every 4xx (the favicon's too); responses are checked above.
  assert.deepEqual(problems.filter((p) => !p.startsWith('Failed to load resource')), []);
  step('no console errors, no CSP violations');
} finally {
  await browser.close();
  await stack.stop();
}
