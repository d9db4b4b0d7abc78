// @ts-check
// The whole stack of a journey: the real agent-server and chat-proxy on free ports,
// fresh databases (SQLite files, or a throwaway PostgreSQL cluster), admin tokens of
// its own, and helpers to provision restaurants and to stop or restart a part.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startServer } = require('./processes');
const { startPostgres } = require('./postgres');

const repo = path.resolve(__dirname, '..', '..');
const binDir = process.env.E2E_BIN_DIR || path.join(repo, 'build', 'bin');
const widgetDir = process.env.E2E_WIDGET_DIR || path.join(repo, 'build', 'widget');
const outputDir = process.env.E2E_OUTPUT_DIR || path.join(repo, 'build', 'e2e');

/** @param {string} prefix */
const token = (prefix) => `${prefix}_${crypto.randomBytes(24).toString('base64url')}`;

/**
 * @typedef {object} StackOptions
 * @property {'sqlite'|'postgres'} [database]
 * @property {Record<string,string>} [agentEnv]  extra environment of the agent server
 * @property {string} [name]  names the folder of the logs
 */

/** @param {StackOptions} [options] */
async function startStack(options = {}) {
  const database = options.database || 'sqlite';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-e2e-'));
  const logDir = path.join(outputDir, 'logs', `${options.name || 'stack'}-${path.basename(dir)}`);
  let postgres = null;
  let agentDb = `sqlite:${path.join(dir, 'agent-server.db')}`;
  let proxyDb = `sqlite:${path.join(dir, 'alloresto.db')}`;
  if (database === 'postgres') {
    // The cluster runs as the postgres user when we are root: it must get through.
    fs.chmodSync(dir, 0o711);
    const pgDir = path.join(dir, 'pg');
    fs.mkdirSync(pgDir);
    postgres = await startPostgres(pgDir);
    postgres.createDatabase('sip_agent');
    postgres.createDatabase('alloresto');
    agentDb = postgres.url('sip_agent');
    proxyDb = postgres.url('alloresto');
  }
  const agentAdminToken = token('adm');
  const siteAdminToken = token('site');

  const agentEnv = {
    DATABASE_URL: agentDb,
    AGENT_SERVER_ADMIN_TOKEN: agentAdminToken,
    WIDGET_DIR: widgetDir,
    LOCAL_MODEL_WORD_MS: '20',
    ...options.agentEnv,
  };
  const startAgent = (port = 0) =>
    startServer('agent-server', path.join(binDir, 'agent-server'), ['--listen', `127.0.0.1:${port}`], agentEnv, logDir);
  let agent = await startAgent();

  const proxyEnv = () => ({
    DATABASE_URL: proxyDb,
    AGENT_SERVER_URL: agent.url,
    AGENT_SERVER_ADMIN_TOKEN: agentAdminToken,
    ALLORESTO_ADMIN_TOKEN: siteAdminToken,
    // Every journey of a worker comes from 127.0.0.1: the per-client budgets
    // (tested in tests/proxy/edge_test.cpp) would soon refuse them.
    CHAT_CLIENT_SESSIONS_PER_HOUR: '0',
    CHAT_CLIENT_MESSAGES_PER_MIN: '0',
    CHAT_CLIENT_SMS_PER_HOUR: '0',
    CHAT_CLIENT_PHONES_PER_HOUR: '0',
  });
  const startProxy = (port = 0) =>
    startServer('chat-proxy', path.join(binDir, 'chat-proxy'), ['--listen', `127.0.0.1:${port}`], proxyEnv(), logDir);
  let proxy = await startProxy();

  const stack = {
    dir,
    logDir,
    agentAdminToken,
    siteAdminToken,
    get agentUrl() { return agent.url; },
    get proxyUrl() { return proxy.url; },

    /**
     * Creates a restaurant through the proxy's admin route (which provisions its agent).
     * @param {{name?: string, lang?: string, position?: string, prompt?: string}} [body]
     */
    async provision(body = {}) {
      const res = await fetch(`${proxy.url}/api/restaurants`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${siteAdminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Le Petit Zinc', prompt: DEMO_PROMPT, ...body }),
      });
      if (res.status !== 201) throw new Error(`provisioning failed: ${res.status} ${await res.text()}`);
      const restaurant = await res.json();
      return { ...restaurant, pageUrl: `${proxy.url}/r/${restaurant.id}` };
    },

    /**
     * Changes the settings of a restaurant's agent on the agent server (admin API).
     * @param {string} agentId @param {object} settings
     */
    async patchAgent(agentId, settings) {
      const res = await fetch(`${agent.url}/api/agents/${agentId}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${agentAdminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(settings),
      });
      if (res.status !== 200) throw new Error(`patching the agent failed: ${res.status} ${await res.text()}`);
      return res.json();
    },

    /** Reads an agent (with its tokens) from the agent server's admin API. @param {string} agentId */
    async getAgent(agentId) {
      const res = await fetch(`${agent.url}/api/agents/${agentId}`, {
        headers: { Authorization: `Bearer ${agentAdminToken}` },
      });
      return res.json();
    },

    async stopProxy() { await proxy.stop(); },
    /** Starts the proxy again on the port it had. */
    async restartProxy() { proxy = await startProxy(proxy.port); },
    async stopAgent() { await agent.stop(); },
    /** Kills the agent server like a crash (SIGKILL); restartAgent brings it back. */
    async killAgent() { await agent.kill(); },
    /** Starts the agent server again on the port it had, on the same database. */
    async restartAgent() { agent = await startAgent(agent.port); },

    async stop() {
      await proxy.stop();
      await agent.stop();
      if (postgres) await postgres.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

const DEMO_PROMPT = [
  "Tu es l'assistant du restaurant Le Petit Zinc, bistrot parisien.",
  'Adresse : 12 rue des Martyrs, 75009 Paris.',
  'Téléphone : 01 42 85 12 34.',
  'Horaires : du mardi au samedi, de 12h à 14h30 et de 19h à 22h30 ; fermé le dimanche et le lundi.',
  'Menu :',
  '- Soupe à l\'oignon gratinée : 9 €',
  '- Steak frites : 21 €',
  '- Tarte Tatin : 8 €',
].join('\n');

module.exports = { startStack, DEMO_PROMPT };
