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

module.exports = { recordAgentTexts, agentTexts };
