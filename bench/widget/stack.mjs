// A real agent server plus a tiny same-origin front for the widget's measurements:
// the public page (with the proxy's strict CSP), /widget/* from build/widget, and
// /api/chat/<restaurant>/<path> relayed to the agent server with the agent's token
// injected, streams included. Use the real chat-proxy instead when it is built
// (CHAT_PROXY_URL); this front exists so the widget can be measured on its own.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// CHAT_WIDGET_DIR: another staged widget (a build of one's own) instead of build/widget.
export const widgetDir = path.resolve(repo, process.env.CHAT_WIDGET_DIR ?? 'build/widget');
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "connect-src 'self'; img-src 'self' data:";
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.html': 'text/html' };

// Page styles that try hard to leak into the widget: huge rem, red text, serif.
const HOSTILE_CSS = 'html{font-size:40px}*{color:red!important;font-family:serif!important;' +
  'line-height:3!important}button{background:lime!important}body{margin:0;padding:24px;font-family:Georgia}';

export function page({ lang = 'fr', restaurant = 'open', extra = '' } = {}) {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Chez Test</title>
<link rel="stylesheet" href="/page.css"></head><body><main><h1>Chez Test</h1>
<p>Bistrot, 12 rue des Lilas, Paris. Ouvert du mardi au dimanche.</p></main>
<script src="/widget/chat.js" data-api-base="/api/chat/${restaurant}" data-lang="${lang}" data-position="bottom-right" defer></script>
${extra}</body></html>`;
}

// Starts one of our binaries on a free port; resolves when it logs "listening".
async function startBinary(name, args, env) {
  const child = spawn(path.join(repo, 'build/native/bin', name), args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const log = [];
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('agent-server did not start')), 10000);
    lines.on('line', (line) => {
      log.push(line);
      const m = line.includes('"msg":"listening"') && line.match(/"port":(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => reject(new Error(`${name} exited ${code}`)));
  });
  return { child, port, log };
}

function startAgentServer(db) {
  return startBinary('agent-server', ['--listen', '127.0.0.1:0', '--db', `sqlite:${db}`, '--widget-dir', widgetDir], {
    AGENT_SERVER_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef', LOCAL_MODEL_WORD_MS: process.env.LOCAL_MODEL_WORD_MS ?? '30',
  });
}

/// The real stack: agent server + chat-proxy, two restaurants (one requiring a
/// verified phone). Pages at `${base}/r/${id}`.
export async function startRealStack({ dir = `/tmp/widget-journey-${process.pid}` } = {}) {
  const agent = await startAgentServer(`${dir}-agent.db`);
  const proxy = await startBinary('chat-proxy', ['--listen', '127.0.0.1:0', '--db', `sqlite:${dir}-site.db`], {
    AGENT_SERVER_URL: `http://127.0.0.1:${agent.port}`, ALLORESTO_ADMIN_TOKEN: 'bench-site-token-0123456789abcdef',
    AGENT_SERVER_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
  });
  const base = `http://127.0.0.1:${proxy.port}`;
  const restaurant = async (name) => {
    const r = await fetch(`${base}/api/restaurants`, {
      method: 'POST', headers: { Authorization: 'Bearer bench-site-token-0123456789abcdef', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, lang: 'fr', prompt: PROMPT }),
    });
    if (r.status !== 201) throw new Error(`create restaurant: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const open = await restaurant('Chez Test');
  const phone = await restaurant('Chez Test (téléphone)');
  const patch = await fetch(`http://127.0.0.1:${agent.port}/api/agents/${phone.agentId}`, {
    method: 'PATCH', headers: { Authorization: 'Bearer bench-admin-token-0123456789abcdef', 'Content-Type': 'application/json' },
    body: JSON.stringify({ chatPhoneRequired: true }),
  });
  if (patch.status !== 200) throw new Error(`patch agent: ${patch.status}`);
  return {
    base, agent, proxy, restaurants: { open: open.id, phone: phone.id },
    /// The last code the dev SMS sender logged.
    lastCode() {
      const line = [...agent.log].reverse().find((l) => l.includes('sms (dev sender)'));
      return line?.match(/(\d{6})/)?.[1];
    },
    async stop() {
      proxy.child.kill('SIGTERM');
      agent.child.kill('SIGTERM');
    },
  };
}

async function createAgent(port, body) {
  const r = await fetch(`http://127.0.0.1:${port}/api/agents`, {
    method: 'POST',
    headers: { Authorization: 'Bearer bench-admin-token-0123456789abcdef', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.status !== 201) throw new Error(`create agent: ${r.status} ${await r.text()}`);
  return r.json();
}

const PROMPT = 'Chez Test, bistrot parisien. Ouvert du mardi au dimanche, de 12h à 14h30 et de 19h à 22h30. ' +
  'Menu du jour 19 euros. Réservations au 01 23 45 67 89 ou sur https://chez-test.example/reserver.';

export async function startStack({ db = `/tmp/widget-bench-${process.pid}.db` } = {}) {
  const agent = await startAgentServer(db);
  const tokens = {
    open: (await createAgent(agent.port, { name: 'Chez Test', prompt: PROMPT })).publicToken,
    phone: (await createAgent(agent.port, { name: 'Chez Test (phone)', prompt: PROMPT, chatPhoneRequired: true })).publicToken,
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/' || url.pathname === '/en' || url.pathname === '/phone') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP });
      res.end(page({ lang: url.pathname === '/en' ? 'en' : 'fr', restaurant: url.pathname === '/phone' ? 'phone' : 'open' }));
    } else if (url.pathname === '/two') {
      // Two widgets on one page, one tag deferred and one async.
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP });
      res.end(page({ lang: 'en', restaurant: 'open', extra: '<script src="/widget/chat.js" ' +
        'data-api-base="/api/chat/phone" data-lang="fr" data-position="bottom-left" async></script>' }));
    } else if (url.pathname === '/page.css') {
      res.writeHead(200, { 'Content-Type': 'text/css' });
      res.end(HOSTILE_CSS);
    } else if (url.pathname.startsWith('/widget/')) {
      const name = path.basename(url.pathname);
      try {
        const body = await readFile(path.join(widgetDir, name));
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    } else if (url.pathname.startsWith('/api/chat/')) {
      const [, , , restaurant, ...rest] = url.pathname.split('/');
      const token = tokens[restaurant];
      if (!token) return res.writeHead(404).end();
      const headers = { Authorization: `Bearer ${token}` };
      for (const h of ['content-type', 'x-chat-visitor', 'last-event-id', 'accept']) {
        if (req.headers[h]) headers[h] = req.headers[h];
      }
      const up = http.request({ host: '127.0.0.1', port: agent.port, method: req.method,
        path: '/api/' + rest.join('/') + url.search, headers }, (upRes) => {
        res.writeHead(upRes.statusCode, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
      res.on('close', () => up.destroy());  // the browser went away
      req.pipe(up);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base, agent,
    async stop() {
      server.closeAllConnections?.();
      server.close();
      agent.child.kill('SIGTERM');
    },
  };
}

export const chromiumOptions = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
