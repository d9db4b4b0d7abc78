// @ts-check
// Direct mode (issue 13): a restaurant's own site, on an origin of its own, embeds the
// widget straight from the agent server with the agent's publicToken; no proxy.
const { test, expect, widget } = require('../support/fixtures');
const { askAndExpectStreamed } = require('../support/observe');
const { startSite, directEmbed } = require('../support/site');

test('a page on an allowed site chats with the agent server itself, the reply streamed @postgres', async ({ page, stack, consoleErrors }) => {
  const restaurant = await stack.provision();
  const site = await startSite();
  try {
    const agent = await stack.patchAgent(restaurant.agentId, { chatAllowedOrigins: [site.origin] });
    site.agentUrl = stack.agentUrl;
    site.html = directEmbed(stack.agentUrl, agent.publicToken);
    /** @type {string[]} */
    const urls = [];
    page.on('request', (r) => urls.push(r.url()));

    await page.goto(`${site.origin}/`);
    const w = widget(page);
    await w.launcher.click();
    await expect(w.panel).toBeVisible();
    await askAndExpectStreamed(page, w, 'Quels sont vos horaires ?', ['mardi']);

    // Every call went to the agent server; the stream opened with its ticket, so
    // neither a token nor the visitor id is in a URL; the apiToken is nowhere.
    const api = urls.filter((u) => u.startsWith(`${stack.agentUrl}/api/`));
    expect(api.some((u) => u.endsWith('/chat/sessions'))).toBe(true);
    const streams = api.filter((u) => u.includes('/events'));
    expect(streams.length).toBeGreaterThan(0);
    for (const u of streams) {
      expect(u).toContain('ticket=');
      expect(u).not.toContain('visitor=');
    }
    for (const u of urls) {
      expect(u).not.toContain(agent.publicToken);
      expect(u).not.toContain(agent.apiToken);
    }
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    expect(html).not.toContain(agent.apiToken);

    // A reload resumes the conversation from the agent server.
    await page.reload();
    await w.launcher.click();
    await expect(w.agentMessages).toHaveCount(1);
    await w.ask('Quelle est votre adresse ?');
    await expect(w.agentMessages.last()).toContainText('rue des Martyrs');
    expect(consoleErrors).toEqual([]);
  } finally {
    await site.close();
  }
});

test('the same page on a site the agent does not allow gets a clear error and no reply', async ({ page, stack }) => {
  const restaurant = await stack.provision();
  const allowed = await startSite();
  const foreign = await startSite();
  try {
    const agent = await stack.patchAgent(restaurant.agentId, { chatAllowedOrigins: [allowed.origin] });
    foreign.agentUrl = stack.agentUrl;
    foreign.html = directEmbed(stack.agentUrl, agent.publicToken);
    /** @type {number[]} */
    const statuses = [];
    page.on('response', (r) => { if (r.url().includes('/api/chat/')) statuses.push(r.status()); });

    await page.goto(`${foreign.origin}/`);
    const w = widget(page);
    await w.launcher.click();
    await expect(w.error).toBeVisible();
    await expect(w.error).toContainText("n'est pas disponible sur ce site");
    await expect(w.agentMessages).toHaveCount(0);
    await expect(w.visitorMessages).toHaveCount(0);

    // The browser's preflight was refused; the server refuses the call itself too.
    const res = await fetch(`${stack.agentUrl}/api/chat/sessions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${agent.publicToken}`, 'Content-Type': 'application/json', Origin: foreign.origin },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('origin_not_allowed');
    expect(statuses.filter((s) => s >= 200 && s < 300)).toEqual([]);
  } finally {
    await foreign.close();
    await allowed.close();
  }
});
