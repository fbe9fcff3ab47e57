// An independent, non-Java MCP caller for the proxy integration test.
//
// Usage: node mcp-call.mjs <proxyHost:port> <routeHost> <caFile> <toolName> <jsonArgs>
//
// Opens ws://<proxyHost:port>/ with the `ws` package, runs Node's TLS client over the WebSocket
// stream (binary frames; certificate verified against <caFile> for <routeHost>), and speaks MCP
// streamable HTTP (HTTP/1.1 keep-alive, Node's `http` module) over that one inner TLS session:
// initialize, notifications/initialized, tools/call.
//
// Prints exactly one line of JSON to stdout:
//   {"ok":true,"text":...,"tlsProtocol":...,"sessions":N}   exit 0
//   {"ok":false,"error":...,"code":...}                     exit 1
import fs from 'node:fs';
import http from 'node:http';
import tls from 'node:tls';
import WebSocket, { createWebSocketStream } from 'ws';

const PROTOCOL_VERSION = '2025-06-18';
const OVERALL_TIMEOUT_MS = 30_000;

let finished = false;
function finish(result, code) {
  if (finished) return;
  finished = true;
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(code));
}

function fail(err) {
  const error = err instanceof Error ? err.message : String(err);
  const result = { ok: false, error };
  if (err && err.code) result.code = err.code;
  finish(result, 1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
setTimeout(() => fail(new Error(`timed out after ${OVERALL_TIMEOUT_MS} ms`)), OVERALL_TIMEOUT_MS).unref();

const [proxyAddr, routeHost, caFile, toolName, jsonArgs] = process.argv.slice(2);
if (!proxyAddr || !routeHost || !caFile || !toolName || jsonArgs === undefined) {
  fail(new Error('usage: node mcp-call.mjs <proxyHost:port> <routeHost> <caFile> <toolName> <jsonArgs>'));
} else {
  main().then((result) => finish(result, 0), fail);
}

async function main() {
  const toolArgs = JSON.parse(jsonArgs);
  const ca = fs.readFileSync(caFile);
  const sockets = [];

  // One keep-alive agent, one socket at a time; each new connection is a fresh WebSocket + inner TLS.
  class TunnelAgent extends http.Agent {
    createConnection() {
      const ws = new WebSocket(`ws://${proxyAddr}/`, { perMessageDeflate: false });
      const stream = createWebSocketStream(ws);
      const socket = tls.connect({
        socket: stream,
        servername: routeHost,
        ca,
        minVersion: 'TLSv1.2',
        rejectUnauthorized: true,
      });
      socket.once('close', () => ws.terminate());
      sockets.push(socket);
      return socket;
    }
  }
  const agent = new TunnelAgent({ keepAlive: true, maxSockets: 1 });

  try {
    let nextId = 1;
    let sessionId;

    const rpc = async (method, params) => {
      const id = nextId++;
      const res = await post({ jsonrpc: '2.0', id, method, params });
      if (res.status !== 200) {
        throw new Error(`${method}: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
      }
      const msg = findResponse(res, id);
      if (msg.error) {
        throw new Error(`${method}: JSON-RPC error ${JSON.stringify(msg.error)}`);
      }
      return { res, result: msg.result };
    };

    const post = (message) => new Promise((resolve, reject) => {
      const body = Buffer.from(JSON.stringify(message));
      const headers = {
        Host: routeHost,
        Accept: 'application/json, text/event-stream',
        'Content-Type': 'application/json',
        'Content-Length': body.length,
      };
      if (sessionId) {
        headers['Mcp-Session-Id'] = sessionId;
        headers['MCP-Protocol-Version'] = PROTOCOL_VERSION;
      }
      const req = http.request({ agent, host: routeHost, path: '/mcp', method: 'POST', headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

    const init = await rpc('initialize', {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'mcptunnel-node-caller', version: '0.0.0' },
    });
    sessionId = init.res.headers['mcp-session-id'];
    if (!sessionId) throw new Error('initialize: no Mcp-Session-Id response header');

    const notified = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    if (notified.status !== 202) {
      throw new Error(`notifications/initialized: expected HTTP 202, got ${notified.status}: ${notified.body.slice(0, 500)}`);
    }

    const call = await rpc('tools/call', { name: toolName, arguments: toolArgs });
    if (call.result.isError) {
      throw new Error(`tools/call ${toolName} returned an error result: ${JSON.stringify(call.result.content)}`);
    }
    const text = (call.result.content || []).find((c) => c.type === 'text');
    if (!text) throw new Error(`tools/call ${toolName}: no text content in ${JSON.stringify(call.result)}`);

    const tlsProtocol = sockets.length > 0 ? sockets[sockets.length - 1].getProtocol() : null;
    return { ok: true, text: text.text, tlsProtocol, sessions: sockets.length };
  } finally {
    agent.destroy();
  }
}

/** The JSON-RPC response with the given id, from an application/json or text/event-stream body. */
function findResponse(res, id) {
  const type = String(res.headers['content-type'] || '').toLowerCase();
  let messages;
  if (type.startsWith('text/event-stream')) {
    messages = parseSse(res.body);
  } else if (type.startsWith('application/json')) {
    const parsed = JSON.parse(res.body);
    messages = Array.isArray(parsed) ? parsed : [parsed];
  } else {
    throw new Error(`unexpected Content-Type ${JSON.stringify(type)}`);
  }
  const match = messages.find((m) => m && m.id === id && ('result' in m || 'error' in m));
  if (!match) throw new Error(`no JSON-RPC response with id ${id} in: ${res.body.slice(0, 500)}`);
  return match;
}

/** JSON messages from the data: lines of each server-sent event. */
function parseSse(body) {
  const messages = [];
  for (const event of body.split(/\r?\n\r?\n/)) {
    const data = event.split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data.trim()) messages.push(JSON.parse(data));
  }
  return messages;
}
