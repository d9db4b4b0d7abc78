// @ts-check
// Journeys 1, 2, 4, 9, 10: asking, streaming, reloading, chat off, CSP and tokens,
// two tabs. Each test provisions its own restaurant on the worker's stack.
const { test, expect, widget } = require('../support/fixtures');
const { askAndExpectStreamed } = require('../support/observe');

test('asks the opening hours in French and sees the answer stream in @postgres', async ({ page, stack, consoleErrors }) => {
  const restaurant = await stack.provision({ lang: 'fr' });
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await expect(w.launcher).toBeVisible();
  await w.launcher.click();
  await expect(w.panel).toBeVisible();
  await askAndExpectStreamed(page, w, 'Quels sont vos horaires ?', ['12h', 'mardi']);
  expect(consoleErrors).toEqual([]);
});

test('answers in English with data-lang="en"', async ({ page, stack }) => {
  const restaurant = await stack.provision({ lang: 'en' });
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await expect(w.launcher).toHaveAttribute('aria-label', /chat/i);
  await w.ask('What are your opening hours?');
  await expect(w.agentMessages.last()).toContainText(/Tuesday|open/i);
  await expect(w.input).toHaveAttribute('placeholder', /message/i);
});

test('answers in Italian with data-lang="it"', async ({ page, stack }) => {
  const restaurant = await stack.provision({ lang: 'it' });
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await expect(w.launcher).toHaveAttribute('aria-label', 'Apri la chat');
  await w.ask('Quali sono i vostri orari?');
  await expect(w.agentMessages.last()).toContainText(/Siamo aperti da martedì/);
  await expect(w.input).toHaveAttribute('placeholder', 'Scrivi il tuo messaggio…');
});

test('a reload mid-conversation keeps everything; close and reopen too', async ({ page, stack }) => {
  const restaurant = await stack.provision();
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await w.ask('Quelle est votre adresse ?');
  await expect(w.agentMessages.last()).toContainText('rue des Martyrs');
  await w.ask('Combien coûte le steak frites ?');
  await expect(w.agentMessages.last()).toContainText('21');

  await page.reload();
  await w.launcher.click();
  await expect(w.visitorMessages).toHaveCount(2);
  await expect(w.agentMessages).toHaveCount(2);
  await expect(w.agentMessages.first()).toContainText('rue des Martyrs');

  await page.keyboard.press('Escape');
  await expect(w.panel).toBeHidden();
  await w.launcher.click();
  await expect(w.visitorMessages).toHaveCount(2);
  await w.ask('Et la tarte Tatin ?');
  await expect(w.agentMessages).toHaveCount(3);
});

test("the agent's chat turned off: a clear message, no broken widget", async ({ page, stack, consoleErrors }) => {
  const restaurant = await stack.provision();
  await stack.patchAgent(restaurant.agentId, { chatEnabled: false });
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await w.launcher.click();
  await expect(w.error).toBeVisible();
  await expect(w.error).toContainText(/indisponible|désactivé|pas disponible/i);
  await page.keyboard.press('Escape');
  await expect(w.panel).toBeHidden();
  await expect(w.launcher).toBeFocused();
  expect(consoleErrors.filter((e) => !/403|Failed to load resource/.test(e))).toEqual([]);
});

test('the strict CSP holds, no console error, no response carries a token', async ({ page, stack, consoleErrors }) => {
  const restaurant = await stack.provision();
  const agent = await stack.getAgent(restaurant.agentId);
  const secrets = [agent.apiToken, agent.publicToken, stack.agentAdminToken, stack.siteAdminToken];
  expect(secrets.every((s) => typeof s === 'string' && s.length > 20)).toBe(true);

  /** @type {string[]} */
  const leaks = [];
  /** @type {string[]} */
  const cspViolations = [];
  page.on('response', async (response) => {
    const headers = JSON.stringify(await response.allHeaders());
    let body = '';
    try {
      // Event streams never end while the page lives: their text is checked below.
      if (!(response.headers()['content-type'] || '').startsWith('text/event-stream')) body = await response.text();
    } catch {}
    for (const s of secrets) if (headers.includes(s) || body.includes(s)) leaks.push(response.url());
  });
  await page.exposeFunction('__cspViolation', (/** @type {string} */ v) => cspViolations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      // @ts-ignore
      window.__cspViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });

  const response = await page.goto(restaurant.pageUrl);
  const csp = response?.headers()['content-security-policy'] || '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain("'unsafe-eval'");
  const w = widget(page);
  await w.ask('Quel est votre numéro de téléphone ?');
  await expect(w.agentMessages.last()).toContainText('01 42 85 12 34');

  const transcript = await page.evaluate(() => document.documentElement.outerHTML);
  for (const s of secrets) expect(transcript).not.toContain(s);
  expect(leaks).toEqual([]);
  expect(cspViolations).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test('two tabs on the same conversation stay coherent', async ({ context, stack }) => {
  const restaurant = await stack.provision();
  const first = await context.newPage();
  const second = await context.newPage();
  await first.goto(restaurant.pageUrl);
  const a = widget(first);
  await a.ask('Quels sont vos horaires ?');
  await expect(a.agentMessages.last()).toContainText('12h');

  await second.goto(restaurant.pageUrl);
  const b = widget(second);
  await b.launcher.click();
  await expect(b.agentMessages).toHaveCount(1);

  await b.ask('Quelle est votre adresse ?');
  await expect(b.agentMessages).toHaveCount(2);
  // The first tab sees the second tab's question and its answer, once each.
  await expect(a.visitorMessages).toHaveCount(2);
  await expect(a.agentMessages).toHaveCount(2);
  await expect(a.agentMessages.last()).toContainText('rue des Martyrs');
});
