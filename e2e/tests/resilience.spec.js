// @ts-check
// Journeys 5 and 6: the network cut while a reply streams, and the agent server down.
// Each starts a stack of its own, since it stops parts of it.
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
