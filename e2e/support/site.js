// @ts-check
// A restaurant's own web site for direct mode: a static server on a port of its own
// (so an origin of its own) serving one page, which embeds the widget from the agent
// server with data-public-token.
const http = require('http');

/**
 * @param {string} agentUrl  the agent server's origin (http://127.0.0.1:PORT)
 * @param {string} publicToken
 */
function directEmbed(agentUrl, publicToken) {
  return '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Chez Marcel</title></head>' +
    '<body><h1>Chez Marcel</h1>' +
    `<script src="${agentUrl}/widget/chat.js" data-api-base="${agentUrl}/api" ` +
    `data-public-token="${publicToken}" data-lang="fr" defer></script></body></html>`;
}

/** @returns {Promise<{origin: string, html: string, agentUrl: string, close: () => Promise<void>}>} */
async function startSite() {
  const site = { origin: '', html: '', agentUrl: '', close: async () => {} };
  const server = http.createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    // The policy a careful site sets: the agent server's origin only, no inline code.
    const agent = site.agentUrl;
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; script-src ${agent} 'wasm-unsafe-eval'; ` +
        `style-src ${agent}; connect-src ${agent}; img-src data:`,
    });
    res.end(site.html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  site.origin = `http://127.0.0.1:${address.port}`;
  site.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return site;
}

module.exports = { startSite, directEmbed };
