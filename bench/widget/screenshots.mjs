// Screenshots of the widget for docs/screenshots/: closed, open with a reply, the
// phone step on a 360x640 phone, dark mode. node screenshots.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStack, chromiumOptions } from './stack.mjs';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const stack = await startStack();
const browser = await chromium.launch(chromiumOptions);

async function conversation(page) {
  await page.locator('[data-part=launcher]').click();
  const input = page.locator('[data-part=input]');
  await input.fill('Bonjour ! Vous êtes ouverts ce soir ? On serait 4.');
  await input.press('Enter');
  await page.locator('[data-part=message][data-role=agent]').first().waitFor({ timeout: 15000 });
  await input.fill('Et pour réserver ?');
  await input.press('Enter');
  await page.locator('[data-part=message][data-role=agent]').nth(1).waitFor({ timeout: 15000 });
}

try {
  const desktop = { viewport: { width: 1024, height: 720 } };
  let page = await browser.newPage(desktop);
  await page.goto(stack.base + '/');
  await page.locator('[data-part=launcher]').waitFor();
  await page.screenshot({ path: `${out}/closed.png` });
  await conversation(page);
  await page.screenshot({ path: `${out}/open.png` });
  await page.close();

  page = await browser.newPage({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  await page.goto(stack.base + '/phone');
  await page.locator('[data-part=launcher]').click();
  await page.locator('[data-part=phone-input]').fill('06 12 34 56 7');
  await page.locator('[data-part=phone-submit]').click();
  await page.locator('[data-part=error]').waitFor();
  await page.screenshot({ path: `${out}/phone-step-360.png` });
  await page.locator('[data-part=phone-input]').fill('06 12 34 56 78');
  await page.locator('[data-part=phone-submit]').click();
  // Needs the agent server's phone route; without it the error is shown instead.
  await page.locator('[data-part=code-input]:visible, [data-part=error]:visible').first().waitFor();
  if (await page.locator('[data-part=code-input]').isVisible()) {
    await page.screenshot({ path: `${out}/code-step-360.png` });
  } else {
    console.log('no code step: the agent server answered', await page.locator('[data-part=error]').innerText());
  }
  await page.close();

  page = await browser.newPage({ ...desktop, colorScheme: 'dark' });
  await page.goto(stack.base + '/en');
  await conversation(page);
  await page.screenshot({ path: `${out}/dark.png` });
  await page.close();

  page = await browser.newPage({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
  await page.goto(stack.base + '/');
  await conversation(page);
  await page.screenshot({ path: `${out}/open-360.png` });
  await page.close();
  console.log('screenshots in', out);
} finally {
  await browser.close();
  await stack.stop();
}
