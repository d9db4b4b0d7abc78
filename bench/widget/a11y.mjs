// axe-core (WCAG 2.1 A/AA and best practices, contrast included) on the widget's
// shadow root, light and dark: the chat with a reply and a link, and the phone
// step with an error shown. Prints the violations; exits 1 if there are any.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { chromiumOptions, startStack } from './stack.mjs';

const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const stack = await startStack();
const browser = await chromium.launch(chromiumOptions);
let failed = 0;

async function check(page, what) {
  await page.addScriptTag({ content: axe });  // bypassCSP: the page's CSP would refuse it
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document.querySelector('restochat-widget'),
      { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  console.log(violations.length ? 'FAIL' : 'ok', '-', what, violations.join('; '));
  failed += violations.length;
}

try {
  for (const colorScheme of ['light', 'dark']) {
    let page = await browser.newPage({ colorScheme, bypassCSP: true });
    await page.goto(stack.base + '/');
    await page.locator('[data-part=launcher]').click();
    await page.locator('[data-part=input]').fill('Bonjour, le menu est sur https://example.com ?');
    await page.locator('[data-part=input]').press('Enter');
    await page.locator('[data-part=message][data-role=agent]').waitFor({ timeout: 15000 });
    await check(page, `${colorScheme}: chat`);
    await page.close();

    page = await browser.newPage({ colorScheme, bypassCSP: true });
    await page.goto(stack.base + '/phone');
    await page.locator('[data-part=launcher]').click();
    await page.locator('[data-part=phone-input]').fill('12');
    await page.locator('[data-part=phone-input]').press('Enter');
    await page.locator('[data-part=error]:not([hidden])').waitFor();
    await check(page, `${colorScheme}: phone step with an error`);
    await page.close();
  }
} finally {
  await browser.close();
  await stack.stop();
}
process.exit(failed ? 1 : 0);
