// @ts-check
// Fakes of the two third parties we can't run here, speaking their real wire formats:
// an SMS gateway that captures the agent server's webhook posts, and an
// OpenAI-compatible model server that streams chat.completion.chunk events.
const http = require('http');

/** @param {http.Server} server @returns {Promise<string>} */
function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = /** @type {import('net').AddressInfo} */ (server.address());
      resolve(`http://127.0.0.1:${address.port}`);
    });
  });
}

/** @param {http.IncomingMessage} req @returns {Promise<string>} */
function readBody(req) {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(body));
  });
}

/**
 * An SMS gateway: records `{to, text}` posts that carry the expected bearer token.
 * @param {string} token
 */
async function startSmsGateway(token) {
  /** @type {{to: string, text: string}[]} */
  const messages = [];
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    messages.push(JSON.parse(body));
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"queued"}');
  });
  const url = await listen(server);
  return {
    url: `${url}/sms`,
    messages,
    /** The six-digit code of the last SMS sent to `to`. @param {string} to */
    lastCode(to) {
      const sms = [...messages].reverse().find((m) => m.to === to);
      const match = sms && /\b(\d{6})\b/.exec(sms.text);
      return match ? match[1] : null;
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * An OpenAI-compatible server: POST /v1/chat/completions with stream:true answers
 * `reply` in word pieces as `data: {chat.completion.chunk}` events, then `data: [DONE]`.
 */
/** @param {string} apiKey @param {string} reply */
async function startOpenAi(apiKey, reply) {
  /** @type {any[]} */
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      res.writeHead(401, { 'Content-Type': 'application/json' })
        .end('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}');
      return;
    }
    const request = JSON.parse(body);
    requests.push(request);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const id = 'chatcmpl-e2e';
    /** @param {object} delta @param {string | null} [finish] */
    const chunk = (delta, finish = null) =>
      `data: ${JSON.stringify({
        id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      })}\n\n`;
    res.write(chunk({ role: 'assistant', content: null }));
    const pieces = reply.split(/(?=\s)/);
    for (const piece of pieces) {
      res.write(chunk({ content: piece }));
      await new Promise((r) => setTimeout(r, 15));
    }
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  });
  const url = await listen(server);
  return { baseUrl: `${url}/v1`, requests, stop: () => new Promise((resolve) => server.close(resolve)) };
}

module.exports = { startSmsGateway, startOpenAi };
