// @ts-check
// Journeys 3 and 11: phone verification with the code read from the SMS webhook, and
// a reply from an OpenAI-compatible model. Each runs a stack of its own, wired to the
// fakes of the SMS gateway and the model server.
const { test, expect, widget } = require('../support/fixtures');
const { startStack } = require('../support/stack');
const { startSmsGateway, startOpenAi } = require('../support/fakes');

test('phone verification: number, a wrong code with attempts left, the right code, then chatting', async ({ page }) => {
  const sms = await startSmsGateway('sms-e2e-token');
  const stack = await startStack({
    name: 'phone',
    agentEnv: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_TOKEN: 'sms-e2e-token' },
  });
  try {
    const restaurant = await stack.provision();
    await stack.patchAgent(restaurant.agentId, { chatPhoneRequired: true });
    await page.goto(restaurant.pageUrl);
    const w = widget(page);
    await w.launcher.click();

    await expect(w.phoneInput).toBeVisible();
    await expect(w.input).toBeHidden();
    await w.phoneInput.fill('06 12 34 56 78');
    await w.phoneInput.press('Enter');
    await expect(w.codeInput).toBeVisible();
    await expect.poll(() => sms.lastCode('+33612345678')).not.toBeNull();
    const code = /** @type {string} */ (sms.lastCode('+33612345678'));

    const wrong = code === '000000' ? '111111' : '000000';
    await w.codeInput.fill(wrong);
    await w.codeInput.press('Enter');
    await expect(w.error).toBeVisible();
    await expect(w.error).toContainText('4');

    await w.codeInput.fill(code);
    await w.codeInput.press('Enter');
    await expect(w.input).toBeVisible();
    await expect(w.error).toBeHidden();
    await w.ask('Quels sont vos horaires ?');
    await expect(w.agentMessages.last()).toContainText('12h');
    expect(sms.messages).toHaveLength(1);
  } finally {
    await stack.stop();
    await sms.stop();
  }
});

test('a reply from an OpenAI-compatible model reaches the widget', async ({ page }) => {
  const reply = 'Bonjour ! Ce soir nous avons encore deux tables en terrasse, à partir de 19h.';
  const llm = await startOpenAi('llm-e2e-key', reply);
  const stack = await startStack({
    name: 'llm',
    agentEnv: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'llm-e2e-key' },
  });
  try {
    const restaurant = await stack.provision();
    await stack.patchAgent(restaurant.agentId, { chatModel: 'gpt-4o-mini', chatPromptExtra: 'Réponds en une phrase.' });
    await page.goto(restaurant.pageUrl);
    const w = widget(page);
    await w.ask('Il reste de la place ce soir ?');
    await expect(w.agentMessages.last()).toContainText(reply);

    expect(llm.requests).toHaveLength(1);
    const [request] = llm.requests;
    expect(request.model).toBe('gpt-4o-mini');
    expect(request.stream).toBe(true);
    expect(request.messages[0].role).toBe('system');
    expect(request.messages[0].content).toContain('Le Petit Zinc');
    expect(request.messages[0].content).toContain('Réponds en une phrase.');
    expect(request.messages[request.messages.length - 1]).toEqual({ role: 'user', content: 'Il reste de la place ce soir ?' });
  } finally {
    await stack.stop();
    await llm.stop();
  }
});
