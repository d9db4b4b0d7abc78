// @ts-check
// Playwright fixtures: `stack` (one per worker, on the project's database) and
// `widget`, a handle on the widget's open shadow root in a page.
const base = require('@playwright/test');
const { startStack } = require('./stack');

/**
 * @typedef {Awaited<ReturnType<typeof startStack>>} Stack
 * @typedef {{consoleErrors: string[]}} TestFixtures
 * @typedef {{database: 'sqlite' | 'postgres', stack: Stack}} WorkerFixtures
 */

/**
 * Checks every page for console errors and CSP violations: a journey fails on any.
 * @type {base.Fixtures<TestFixtures, WorkerFixtures, base.PlaywrightTestArgs & base.PlaywrightTestOptions,
 *   base.PlaywrightWorkerArgs & base.PlaywrightWorkerOptions>}
 */
const fixtures = {
  database: ['sqlite', { option: true, scope: 'worker' }],

  stack: [
    async ({ database }, use, workerInfo) => {
      const stack = await startStack({ database, name: `worker${workerInfo.workerIndex}` });
      await use(stack);
      await stack.stop();
    },
    { scope: 'worker' },
  ],

  consoleErrors: async ({ page }, use) => {
    /** @type {string[]} */
    const errors = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => errors.push(String(err)));
    await use(errors);
  },
};
const test = base.test.extend(fixtures);

/**
 * Locators inside the widget's shadow root (Playwright's CSS pierces open shadow roots).
 * @param {import('@playwright/test').Page} page
 */
function widget(page) {
  /** @param {string} name */
  const part = (name) => page.locator(`[data-part=${name}]`);
  return {
    launcher: part('launcher'),
    panel: part('panel'),
    messages: part('messages'),
    input: part('input'),
    send: part('send'),
    phoneInput: part('phone-input'),
    codeInput: part('code-input'),
    error: part('error'),
    /** The agent's reply while it streams in. */
    draft: part('draft'),
    /** The typing dots: a reply awaited, none of its text yet (in the DOM only then). */
    typing: part('typing'),
    /** "Ask again", under the error, for a reply that failed or was cut off. */
    retry: part('retry'),
    agentMessages: page.locator('[data-part=message][data-role=agent]'),
    visitorMessages: page.locator('[data-part=message][data-role=visitor]'),
    /** Opens the panel and sends a message by typing and pressing Enter. @param {string} text */
    async ask(text) {
      if (!(await part('panel').isVisible())) await part('launcher').click();
      await part('input').fill(text);
      await part('input').press('Enter');
    },
  };
}

module.exports = { test, expect: base.expect, widget };
