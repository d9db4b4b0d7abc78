// Manual look: node try.mjs -> opens the page, sends a message, prints what the widget shows.
import { chromium } from 'playwright-core';
import { startStack, chromiumOptions } from './stack.mjs';

const stack = await startStack();
const browser = await chromium.launch(chromiumOptions);
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
  page.on('console', (m) => console.log('console:', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(stack.base + '/');
  await page.locator('[data-part=launcher]').click();
  const input = page.locator('[data-part=input]');
  await input.waitFor();
  await input.fill('Bonjour, vous êtes ouverts ce soir ?');
  await input.press('Enter');
  await page.locator('[data-part=message][data-role=agent]').first().waitFor({ timeout: 15000 });
  console.log(await page.locator('[data-part=messages]').innerText());
  await page.screenshot({ path: '/tmp/widget-try.png' });
} finally {
  await browser.close();
  await stack.stop();
}
