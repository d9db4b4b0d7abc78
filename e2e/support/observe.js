// @ts-check
// Watches the widget's reply in progress (its `draft` part) from inside the page, so a
// test can tell a reply that streamed in (many growing texts) from one that arrived whole.

/** @param {import('@playwright/test').Page} page */
async function recordAgentTexts(page) {
  await page.evaluate(() => {
    const host = [...document.querySelectorAll('*')].find(
      (el) => el.shadowRoot && el.shadowRoot.querySelector('[data-part=launcher]'));
    if (!host || !host.shadowRoot) throw new Error('no widget shadow root on the page');
    const root = host.shadowRoot;
    /** @type {string[]} */
    const seen = [];
    // @ts-ignore
    window.__agentTexts = seen;
    const snapshot = () => {
      const draft = root.querySelector('[data-part=draft]');
      const text = draft && draft.isConnected ? (draft.textContent || '').trim() : '';
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    };
    new MutationObserver(snapshot).observe(root, { subtree: true, childList: true, characterData: true });
  });
}

/** @param {import('@playwright/test').Page} page @returns {Promise<string[]>} */
function agentTexts(page) {
  // @ts-ignore
  return page.evaluate(() => window.__agentTexts);
}

/**
 * Asks `question` in the widget `w` (support/fixtures.js) and checks that the answer,
 * holding each of `words`, streamed in: many drafts, each the one before and more,
 * all of them in the final text.
 * @param {import('@playwright/test').Page} page
 * @param {any} w
 * @param {string} question
 * @param {string[]} words
 */
async function askAndExpectStreamed(page, w, question, words) {
  const { expect } = require('@playwright/test');
  await recordAgentTexts(page);
  await w.ask(question);
  await expect(w.visitorMessages.last()).toContainText(question);
  for (const word of words) await expect(w.agentMessages.last()).toContainText(word);
  const drafts = await agentTexts(page);
  const final = (await w.agentMessages.last().innerText()).trim();
  expect(drafts.length, 'the reply grew piece by piece').toBeGreaterThan(3);
  for (let i = 1; i < drafts.length; i++) expect(drafts[i].startsWith(drafts[i - 1])).toBe(true);
  for (const partial of drafts) expect(final).toContain(partial);
}

module.exports = { recordAgentTexts, agentTexts, askAndExpectStreamed };
