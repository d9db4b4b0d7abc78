// @ts-check
// Journeys 5 and 6: the network cut while a reply streams, and the agent server down;
// and the agent server killed mid-reply (issue 12). Each starts a stack of its own,
// since it stops parts of it.
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect, widget } = require('../support/fixtures');
const { startStack } = require('../support/stack');

test.describe.configure({ mode: 'serial' });

test('the proxy restarts while a reply streams: the whole reply, nothing lost, nothing twice', async ({ page }, testInfo) => {
  // A slow model, so the cut lands in the middle of the reply.
  const stack = await startStack({ name: 'cut', agentEnv: { LOCAL_MODEL_WORD_MS: '120' } });
  try {
    const restaurant = await stack.provision();
    await page.goto(restaurant.pageUrl);
    const w = widget(page);
    await w.ask('Quels sont vos horaires ?');
    // The first pieces are on screen and the reply is not done: cut the network.
    await expect(w.draft).toContainText(/\S/, { timeout: 10_000 });
    await expect(w.agentMessages).toHaveCount(0);
    await stack.stopProxy();
    await stack.restartProxy();

    await expect(w.agentMessages.last()).toContainText('22h30', { timeout: 20_000 });
    await expect(w.agentMessages).toHaveCount(1);
    await expect(w.visitorMessages).toHaveCount(1);
    const shown = (await w.agentMessages.last().innerText()).trim();

    // What the widget shows is exactly the stored reply: a fresh page renders the same.
    await page.reload();
    await w.launcher.click();
    await expect(w.agentMessages).toHaveCount(1);
    expect((await w.agentMessages.last().innerText()).trim()).toBe(shown);
  } finally {
    await stack.stop();
    await testInfo.attach('logs', { body: stack.logDir });
  }
});

test('the agent server down: a clear error, the message kept, sent once it is back', async ({ page }) => {
  const stack = await startStack({ name: 'down' });
  try {
    const restaurant = await stack.provision();
    await page.goto(restaurant.pageUrl);
    const w = widget(page);
    await w.ask('Quelle est votre adresse ?');
    await expect(w.agentMessages.last()).toContainText('rue des Martyrs');

    await stack.stopAgent();
    await w.ask('Quels sont vos horaires ?');
    await expect(w.error).toBeVisible();
    await expect(w.error).not.toHaveText('');
    await expect(w.input).toHaveValue('Quels sont vos horaires ?');
    await expect(w.visitorMessages).toHaveCount(1);

    await stack.restartAgent();
    // The widget retries with backoff on its own; the message goes through once.
    await expect(w.visitorMessages).toHaveCount(2, { timeout: 20_000 });
    await expect(w.agentMessages.last()).toContainText('12h');
    await expect(w.input).toHaveValue('');
    await expect(w.error).toBeHidden();
  } finally {
    await stack.stop();
  }
});

test('the agent server killed mid-reply: the widget says so, one tap asks again, the reply comes whole', async ({ page }, testInfo) => {
  // Restarts, reconnects with backoff and two slow replies: more than the usual 45 s
  // on a loaded 2-core box.
  test.setTimeout(180_000);
  // A slow model (several seconds a reply), so the kill lands in the middle of it.
  const stack = await startStack({ name: 'killed', agentEnv: { LOCAL_MODEL_WORD_MS: '200' } });
  try {
    const restaurant = await stack.provision();
    await page.goto(restaurant.pageUrl);
    const w = widget(page);
    await w.ask('Quels sont vos horaires ?');
    await expect(w.draft).toContainText(/\S/, { timeout: 20_000 });
    await expect(w.agentMessages).toHaveCount(0);

    // A crash, then the same server back on the same port and database: it finds the
    // reply it was writing cut off, and the widget's reconnect learns it.
    await stack.killAgent();
    await stack.restartAgent();
    await expect(w.retry).toBeVisible({ timeout: 60_000 });
    await expect(w.retry).toHaveText('Redemander');
    await expect(w.error).toContainText('La réponse a été interrompue.');
    await expect(w.draft).toHaveCount(0);   // the cut text is not left as a reply
    await expect(w.typing).toHaveCount(0);
    await expect(w.agentMessages).toHaveCount(0);
    await expect(w.visitorMessages).toHaveCount(1);
    // A real button, named, reachable, and nothing serious for axe in this state.
    await expect(page.getByRole('button', { name: 'Redemander' })).toBeVisible();
    const results = await new AxeBuilder({ page }).include('restochat-widget').analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

    await w.retry.click();
    await expect(w.retry).toBeHidden();
    await expect(w.agentMessages).toHaveCount(1, { timeout: 60_000 });
    await expect(w.agentMessages.last()).toContainText('22h30');
    await expect(w.panel).toHaveAttribute('data-phase', 'chatting');
    const settled = async () => {
      await expect(w.visitorMessages).toHaveCount(1);
      await expect(w.agentMessages).toHaveCount(1);
      await expect(w.typing).toHaveCount(0);
      await expect(w.draft).toHaveCount(0);
      await expect(w.retry).toBeHidden();
      await expect(w.error).toBeHidden();
      const ids = await page.locator('[data-part=message]').evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
      expect(new Set(ids).size).toBe(ids.length);
    };
    await settled();
    await expect(w.input).toBeEditable();

    // A reload shows the same: the stored conversation, nothing waiting.
    await page.reload();
    await w.launcher.click();
    await expect(w.agentMessages.last()).toContainText('22h30');
    await expect(w.panel).toHaveAttribute('data-phase', 'chatting');
    await settled();
  } finally {
    await stack.stop();
    await testInfo.attach('logs', { body: stack.logDir });
  }
});
