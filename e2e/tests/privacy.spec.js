// @ts-check
// Issue 15: nothing stored in the browser before the visitor acts (ePrivacy), a
// conversation that resumes after a reload, and the visitor's "erase this
// conversation" (GDPR): confirmation, DELETE through the proxy, a fresh start.
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect, widget } = require('../support/fixtures');

/** The widget's keys in localStorage, with their values. @param {import('@playwright/test').Page} page */
function storedKeys(page) {
  return page.evaluate(() => {
    /** @type {Record<string, string>} */
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = /** @type {string} */ (localStorage.key(i));
      out[key] = /** @type {string} */ (localStorage.getItem(key));
    }
    return out;
  });
}

/** Everything the page could have left: storage of every kind, cookies. @param {import('@playwright/test').Page} page */
async function leftInBrowser(page) {
  const inPage = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookie: document.cookie,
    databases: indexedDB.databases ? (await indexedDB.databases()).length : 0,
    caches: (await caches.keys()).length,
  }));
  return { ...inPage, cookies: (await page.context().cookies()).length };
}

/**
 * Counts every write to Web Storage and to document.cookie, from the page's start.
 * @param {import('@playwright/test').Page} page
 */
async function countWrites(page) {
  await page.addInitScript(() => {
    const w = /** @type {any} */ (window);
    w.__writes = 0;
    for (const name of ['setItem', 'removeItem', 'clear']) {
      const original = /** @type {any} */ (Storage.prototype)[name];
      /** @type {any} */ (Storage.prototype)[name] = function (/** @type {unknown[]} */ ...args) {
        w.__writes++;
        return original.apply(this, args);
      };
    }
    const cookie = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(Document.prototype, 'cookie'));
    Object.defineProperty(document, 'cookie', {
      get() { return cookie.get?.call(document); },
      set(value) { w.__writes++; cookie.set?.call(document, value); },
    });
  });
  return () => page.evaluate(() => /** @type {any} */ (window).__writes);
}

const nothing = { local: 0, session: 0, cookie: '', databases: 0, caches: 0, cookies: 0 };

/**
 * Waits until the idle preload has mounted the core (its panel is in the shadow root).
 * @param {import('@playwright/test').Page} page
 */
async function waitForPreload(page) {
  await page.locator('[data-part=panel]').waitFor({ state: 'attached' });
  await page.waitForLoadState('networkidle');
}

/** Counts the session creations the page sends. @param {import('@playwright/test').Page} page */
function countSessionPosts(page) {
  const seen = { posts: 0 };
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/chat\/sessions$/.test(new URL(r.url()).pathname)) seen.posts++;
  });
  return seen;
}

test('nothing is stored before the visitor opens the chat; then the conversation resumes after a reload @postgres', async ({ page, stack, consoleErrors }) => {
  const restaurant = await stack.provision();
  const sessions = countSessionPosts(page);
  const writes = await countWrites(page);
  await page.goto(restaurant.pageUrl);
  await waitForPreload(page);
  expect(await leftInBrowser(page), 'the page and the preload wrote nothing').toEqual(nothing);
  expect(await writes()).toBe(0);
  expect(sessions.posts).toBe(0);

  const w = widget(page);
  await w.ask('Quels sont vos horaires ?');
  await expect(w.agentMessages.last()).toContainText('mardi');
  const stored = await storedKeys(page);
  const keys = Object.keys(stored);
  expect(keys.length).toBe(2);
  expect(keys.every((k) => k.startsWith('restochat:'))).toBe(true);
  expect((await leftInBrowser(page)).cookies, 'no cookie, ever').toBe(0);

  await page.reload();
  await waitForPreload(page);
  // The background resume loaded the session (its stream is open) and wrote nothing.
  await expect(w.launcher).toHaveAttribute('aria-expanded', 'false');
  expect(await storedKeys(page)).toEqual(stored);
  expect(await writes(), 'the resume rewrote nothing').toBe(0);
  await w.launcher.click();
  await expect(w.visitorMessages).toHaveCount(1);
  await expect(w.visitorMessages.first()).toContainText('Quels sont vos horaires ?');
  await expect(w.agentMessages).toHaveCount(1);
  expect(sessions.posts).toBe(1);
  expect(consoleErrors).toEqual([]);
});

test("the visitor erases the conversation: confirmation, gone on the server and in the browser, a fresh start", async ({ page, stack, consoleErrors }) => {
  test.slow(); // axe walks the widget: seconds of CPU on a loaded 2-core machine
  const restaurant = await stack.provision();
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  const erase = page.locator('[data-part=erase]');
  const confirmation = page.locator('[data-part=erase-confirmation]');

  await w.ask('Je suis allergique aux noix, est-ce un problème ?');
  await expect(w.agentMessages).toHaveCount(1);
  const before = await storedKeys(page);
  const visitorKey = Object.keys(before).find((k) => k.endsWith(':visitor'));
  const sessionKey = Object.keys(before).find((k) => k.endsWith(':session'));
  expect(visitorKey && sessionKey).toBeTruthy();
  const sessionId = before[/** @type {string} */ (sessionKey)];
  const visitorId = before[/** @type {string} */ (visitorKey)];

  // Asked, then kept.
  await expect(erase).toBeVisible();
  await expect(erase).toHaveAccessibleName(/Effacer la conversation/);
  await erase.click();
  await expect(confirmation).toBeVisible();
  await expect(confirmation).toHaveAttribute('role', 'alertdialog');
  await expect(confirmation).toContainText('Vos messages seront supprimés');
  // Nothing serious for axe in this state (the confirmation over the conversation).
  // axe injects inline styles, which the page's CSP refuses: errors after this point
  // are checked without that one.
  expect(consoleErrors).toEqual([]);
  const results = await new AxeBuilder({ page }).include('restochat-widget').analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
  await page.locator('[data-part=erase-cancel]').click();
  await expect(confirmation).toBeHidden();
  await expect(w.visitorMessages).toHaveCount(1);

  // Asked, then confirmed: a DELETE through the proxy.
  await erase.click();
  const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE');
  await page.locator('[data-part=erase-confirm]').click();
  const response = await deleted;
  expect(response.status()).toBe(204);
  expect(new URL(response.url()).pathname).toBe(`/api/chat/${restaurant.id}/chat/sessions/${sessionId}`);
  await expect(w.visitorMessages).toHaveCount(0);
  await expect(w.agentMessages).toHaveCount(0);
  await expect(erase).toBeHidden();
  expect(await storedKeys(page)).toEqual({});

  // Gone on the server, for the visitor and for the restaurant.
  const asVisitor = await fetch(`${stack.proxyUrl}/api/chat/${restaurant.id}/chat/sessions/${sessionId}`, {
    headers: { 'X-Chat-Visitor': visitorId },
  });
  expect(asVisitor.status).toBe(404);
  const asRestaurant = await fetch(`${stack.agentUrl}/api/agents/${restaurant.agentId}/chat-sessions`, {
    headers: { Authorization: `Bearer ${stack.agentAdminToken}` },
  });
  expect((await asRestaurant.json()).sessions).toEqual([]);

  // A fresh start: the next message opens a new session, under a new visitor id.
  await w.ask('Bonjour, une table pour deux ?');
  await expect(w.agentMessages).toHaveCount(1);
  await expect(w.visitorMessages).toHaveCount(1);
  const after = await storedKeys(page);
  expect(after[/** @type {string} */ (sessionKey)]).toBeTruthy();
  expect(after[/** @type {string} */ (sessionKey)]).not.toBe(sessionId);
  expect(after[/** @type {string} */ (visitorKey)]).not.toBe(visitorId);
  expect(consoleErrors.filter((e) => !/Applying inline style violates/.test(e))).toEqual([]);
});

test('a stored conversation the restaurant erased: the next visit forgets it and makes nothing new before the visitor acts', async ({ page, stack }) => {
  const restaurant = await stack.provision();
  await page.goto(restaurant.pageUrl);
  const w = widget(page);
  await w.ask('Avez-vous une terrasse ?');
  await expect(w.agentMessages).toHaveCount(1);
  const stored = await storedKeys(page);
  const sessionId = Object.entries(stored).find(([k]) => k.endsWith(':session'))?.[1];
  const erased = await fetch(`${stack.agentUrl}/api/agents/${restaurant.agentId}/chat-sessions/${sessionId}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${stack.agentAdminToken}` },
  });
  expect(erased.status).toBe(204);

  const sessions = countSessionPosts(page);
  await page.reload();
  await waitForPreload(page);
  await expect.poll(() => storedKeys(page).then((s) => Object.keys(s).filter((k) => k.endsWith(':session')))).toEqual([]);
  expect(sessions.posts, 'no session made behind the visitor').toBe(0);
  await w.launcher.click();
  await expect(w.visitorMessages).toHaveCount(0);
  await w.ask('Et le parking ?');
  await expect(w.agentMessages).toHaveCount(1);
  expect(sessions.posts).toBe(1);
});
