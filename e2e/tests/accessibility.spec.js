// @ts-check
// Journeys 7 and 8: keyboard only, axe-core in light and dark, a phone-sized screen,
// the bottom-left position.
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect, widget } = require('../support/fixtures');

test('keyboard only: Tab to the launcher, Enter opens, type, Enter sends, Escape closes', async ({ page, stack }) => {
  const restaurant = await stack.provision();
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await expect(w.launcher).toBeVisible();

  for (let i = 0; i < 10 && !(await w.launcher.evaluate((el) => el.matches(':focus'))); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(w.launcher).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(w.panel).toBeVisible();
  await expect(w.input).toBeFocused();

  await page.keyboard.type('Quels sont vos horaires ?');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('Merci');
  await expect(w.input).toHaveValue('Quels sont vos horaires ?\nMerci');
  await page.keyboard.press('Enter');
  await expect(w.visitorMessages).toHaveCount(1);
  await expect(w.agentMessages.last()).toContainText('12h');
  await expect(w.input).toHaveValue('');

  await page.keyboard.press('Escape');
  await expect(w.panel).toBeHidden();
  await expect(w.launcher).toBeFocused();
});

for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
  test(`axe-core finds no serious or critical violation, ${colorScheme}`, async ({ page, stack }) => {
    test.slow(); // axe walks the whole page: seconds of CPU on a loaded 2-core machine
    await page.emulateMedia({ colorScheme });
    const restaurant = await stack.provision();
    await page.goto(restaurant.pageUrl);
    const w = widget(page);
    await w.ask('Quels sont vos horaires ?');
    await expect(w.agentMessages.last()).toContainText('12h');
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
  });
}

test('a 360x640 phone screen: the panel fits and works', async ({ browser, stack }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const restaurant = await stack.provision();
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await w.launcher.tap();
  // Measured where it comes to rest: it rises 12px into place as it opens (chat.css).
  await w.panel.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
  const box = await w.panel.boundingBox();
  expect(box).not.toBeNull();
  if (box) {
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(box.y + box.height).toBeLessThanOrEqual(640);
  }
  await w.ask('Quels sont vos horaires ?');
  await expect(w.agentMessages.last()).toContainText('12h');
  await expect(w.send).toBeInViewport();
  await context.close();
});

test('bottom-left position puts the launcher on the left', async ({ page, stack }) => {
  const restaurant = await stack.provision({ position: 'bottom-left' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  const box = await w.launcher.boundingBox();
  expect(box).not.toBeNull();
  if (box) {
    expect(box.x).toBeLessThan(200);
    expect(box.y).toBeGreaterThan(600);
  }
  await w.launcher.click();
  const panel = await w.panel.boundingBox();
  if (panel) expect(panel.x).toBeLessThan(640);
});
