// @ts-check
// Issue 14, the widget's side: a reply's Markdown drawn as elements (never HTML), the
// agent's greeting and the suggested questions.
const { test, expect, widget } = require('../support/fixtures');
const { startStack } = require('../support/stack');
const { startOpenAi } = require('../support/fakes');
const AxeBuilder = require('@axe-core/playwright').default;

const REPLY = [
  'Voici **notre menu** du soir :',
  '- *Salade César* 9 €',
  '- Entrecôte 21 €',
  '',
  'Réservez sur [notre site](https://resto.example/reserver) ou au 01 23 45 67 89.',
  '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>',
].join('\n');

test('a Markdown reply streams in as bold, a list and links; HTML in it is only text', async ({ page, consoleErrors }) => {
  const llm = await startOpenAi('llm-md-key', REPLY);
  const stack = await startStack({ name: 'markdown', agentEnv: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'llm-md-key' } });
  try {
    const restaurant = await stack.provision();
    await stack.patchAgent(restaurant.agentId, { chatModel: 'gpt-4o-mini' });
    await page.goto(restaurant.pageUrl);
    const w = widget(page);
    await w.launcher.click();
    await expect(w.input).toBeVisible();
    // Whether the reply in progress was already drawn with its styles, not as asterisks.
    await page.evaluate(() => {
      const host = [...document.querySelectorAll('*')].find((el) => el.shadowRoot);
      const root = /** @type {ShadowRoot} */ (host && host.shadowRoot);
      new MutationObserver(() => {
        // @ts-ignore
        if (root.querySelector('[data-part=draft] strong')) window.__draftStyled = true;
      }).observe(root, { subtree: true, childList: true });
    });

    await w.ask('Qu’avez-vous ce soir ?');
    const reply = w.agentMessages.last();
    await expect(reply).toContainText('Entrecôte 21 €');
    await expect(reply.locator('strong')).toHaveText('notre menu');
    await expect(reply.locator('ul > li')).toHaveText(['Salade César 9 €', 'Entrecôte 21 €']);
    await expect(reply.locator('li em')).toHaveText('Salade César');
    const site = reply.locator('a[href="https://resto.example/reserver"]');
    await expect(site).toHaveText('notre site');
    await expect(site).toHaveAttribute('target', '_blank');
    await expect(site).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(reply.locator('a[href="tel:0123456789"]')).toHaveText('01 23 45 67 89');
    expect(await reply.innerText()).not.toContain('**');

    // The HTML is shown as written, and nothing of it became an element or ran.
    await expect(reply).toContainText('<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>');
    expect(await page.locator('restochat-widget img, restochat-widget script').count()).toBe(0);
    expect(await page.evaluate(() => Object.keys(/** @type {any} */ (window)).filter((k) => k === '__pwned'))).toEqual([]);
    expect(await reply.evaluate((el) => [...el.querySelectorAll('*')].map((e) => e.localName).sort()))
      .toEqual(['a', 'a', 'em', 'li', 'li', 'p', 'p', 'span', 'strong', 'ul']);
    expect(await page.evaluate(() => /** @type {any} */ (window).__draftStyled)).toBe(true);

    // A visitor's own asterisks stay asterisks.
    await w.ask('**pas gras** <b>non</b>');
    await expect(w.visitorMessages.last()).toContainText('**pas gras** <b>non</b>');
    expect(await w.visitorMessages.last().locator('strong, b').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  } finally {
    await stack.stop();
    await llm.stop();
  }
});

/**
 * Replaces the greeting and suggestions of the session the agent server creates
 * (what it sends from the agent's chatGreeting and chatSuggestions).
 * @param {import('@playwright/test').Page} page
 * @param {{greeting?: string, suggestions?: string[]}} extra
 */
async function withGreetingAndSuggestions(page, extra) {
  await page.route('**/chat/sessions', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    const json = { ...(await response.json()), ...extra };
    await route.fulfill({ response, json });
  });
}

test('the greeting opens the conversation; a suggestion tapped is sent and the suggestions go', async ({ page, stack, consoleErrors }) => {
  const restaurant = await stack.provision();
  await withGreetingAndSuggestions(page, {
    greeting: 'Bonjour, je suis **Zinc** ! Que puis-je pour vous ?',
    suggestions: ['Quels sont vos horaires ?', 'Quelle est votre adresse ?', 'Je voudrais réserver une table'],
  });
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await w.launcher.click();

  const greeting = page.locator('[data-part=greeting]');
  await expect(greeting).toContainText('Bonjour, je suis Zinc ! Que puis-je pour vous ?');
  await expect(greeting.locator('strong')).toHaveText('Zinc');
  await expect(w.agentMessages).toHaveCount(0);  // shown, not a stored message

  const suggestions = page.locator('[data-part=suggestion]');
  await expect(suggestions).toHaveText(['Quels sont vos horaires ?', 'Quelle est votre adresse ?', 'Je voudrais réserver une table']);
  await expect(page.getByRole('button', { name: 'Quelle est votre adresse ?' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Questions suggérées' })).toBeVisible();

  // From the keyboard, with something already typed: the text typed stays.
  await w.input.fill('Et pour');
  await suggestions.first().focus();
  await expect(suggestions.first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(w.visitorMessages).toHaveText([/Quels sont vos horaires \?/]);
  await expect(suggestions).toHaveCount(0);
  await expect(page.locator('[data-part=suggestions]')).toBeHidden();
  await expect(w.agentMessages.last()).toContainText('12h');
  await expect(w.input).toHaveValue('Et pour');
  await expect(greeting).toBeVisible();  // still the conversation's first words
  expect(consoleErrors).toEqual([]);
});

test('an agent with an empty greeting and no suggestions: no bubble, no buttons', async ({ page, stack }) => {
  const restaurant = await stack.provision();
  await stack.patchAgent(restaurant.agentId, { chatGreeting: '', chatSuggestions: [] });
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await w.ask('Quels sont vos horaires ?');
  await expect(w.agentMessages.last()).toContainText('12h');
  await expect(page.locator('[data-part=greeting]')).toBeHidden();
  await expect(page.locator('[data-part=suggestion]')).toHaveCount(0);
  await expect(page.locator('[data-part=suggestions]')).toBeHidden();
});

for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
  test(`axe-core: the greeting, the suggestions and a Markdown reply, ${colorScheme}`, async ({ page }) => {
    test.slow(); // axe walks the whole page: seconds of CPU on a loaded 2-core machine
    const llm = await startOpenAi('llm-axe-key', REPLY);
    const stack = await startStack({ name: `axe-md-${colorScheme}`, agentEnv: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'llm-axe-key' } });
    try {
      const restaurant = await stack.provision();
      await stack.patchAgent(restaurant.agentId, { chatModel: 'gpt-4o-mini' });
      await withGreetingAndSuggestions(page, { greeting: 'Bonjour, je suis **Zinc** !', suggestions: ['Le menu ?', 'Vos horaires ?'] });
      await page.emulateMedia({ colorScheme });
      await page.goto(restaurant.pageUrl);
      const w = widget(page);
      await w.launcher.click();
      await expect(page.locator('[data-part=suggestion]')).toHaveCount(2);
      const check = async () => {
        const results = await new AxeBuilder({ page }).analyze();
        return results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      };
      expect(await check()).toEqual([]);
      await w.ask('Le menu ?');
      await expect(w.agentMessages.last().locator('a[href^="tel:"]')).toBeVisible();
      expect(await check()).toEqual([]);
    } finally {
      await stack.stop();
      await llm.stop();
    }
  });
}

test('a new restaurant: the default greeting and suggestions, in the page\'s language', async ({ page, stack }) => {
  const restaurant = await stack.provision({ lang: 'en' });
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await w.launcher.click();
  await expect(page.locator('[data-part=greeting]')).toContainText(/Welcome to Le Petit Zinc|Hello!/);
  await expect(page.locator('[data-part=suggestion]')).toHaveCount(4);
  await page.locator('[data-part=suggestion]').first().click();
  await expect(w.visitorMessages).toHaveCount(1);
  await expect(w.agentMessages).toHaveCount(1);
  await expect(page.locator('[data-part=suggestion]')).toHaveCount(0);
});

test('the agent\'s chatGreeting and chatSuggestions reach the widget', async ({ page, stack }) => {
  const restaurant = await stack.provision();
  await stack.patchAgent(restaurant.agentId, {
    chatGreeting: 'Bienvenue au **Petit Zinc** !',
    chatSuggestions: ['Vous êtes ouverts ce soir ?', 'Le menu végétarien ?'],
  });
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await w.launcher.click();
  await expect(page.locator('[data-part=greeting] strong')).toHaveText('Petit Zinc');
  const suggestions = page.locator('[data-part=suggestion]');
  await expect(suggestions).toHaveText(['Vous êtes ouverts ce soir ?', 'Le menu végétarien ?']);
  await suggestions.last().click();
  await expect(w.visitorMessages).toHaveText([/Le menu végétarien \?/]);
  await expect(suggestions).toHaveCount(0);
});
