// The official TypeScript MCP SDK client, unmodified, calling a route of the proxy.
//
// Usage: node mcp-sdk-client.mjs <proxyHost:port> <routeHost> <caFile> <toolName> <jsonArgs>
//
// Each HTTP connection the SDK opens is a fresh WebSocket to the proxy with Node's TLS client over
// it (certificate verified against <caFile> for <routeHost>); the SDK's StreamableHTTPClientTransport
// gets a fetch that speaks HTTP/1.1 over those connections. Runs: connect (initialize), tools/list,
// tools/call <toolName>.
//
// Prints exactly one line of JSON to stdout:
//   {"ok":true,"tools":[names],"call":{"text":...}}                       exit 0
//   {"ok":true,"tools":[names],"call":{"error":{"code":N,"message":...}}} exit 0 (the call was refused)
//   {"ok":false,"error":...}                                              exit 1
import fs from 'node:fs';
import http from 'node:http';
import tls from 'node:tls';
import { Readable } from 'node:stream';
import WebSocket, { createWebSocketStream } from 'ws';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const OVERALL_TIMEOUT_MS = 30_000;

let finished = false;
function finish(result, code) {
  if (finished) return;
  finished = true;
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(code));
}

function fail(err) {
  finish({ ok: false, error: err instanceof Error ? err.message : String(err) }, 1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
setTimeout(() => fail(new Error(`timed out after ${OVERALL_TIMEOUT_MS} ms`)), OVERALL_TIMEOUT_MS).unref();

const [proxyAddr, routeHost, caFile, toolName, jsonArgs] = process.argv.slice(2);
if (!proxyAddr || !routeHost || !caFile || !toolName || jsonArgs === undefined) {
  fail(new Error('usage: node mcp-sdk-client.mjs <proxyHost:port> <routeHost> <caFile> <toolName> <jsonArgs>'));
} else {
  main().then((result) => finish(result, 0), fail);
}

async function main() {
  const ca = fs.readFileSync(caFile);
  class TunnelAgent extends http.Agent {
    createConnection() {
      const ws = new WebSocket(`ws://${proxyAddr}/`, { perMessageDeflate: false });
      const socket = tls.connect({
        socket: createWebSocketStream(ws), servername: routeHost, ca, minVersion: 'TLSv1.2', rejectUnauthorized: true,
      });
      socket.once('close', () => ws.terminate());
      return socket;
    }
  }
  // Several sockets: the SDK keeps its GET event stream open while it POSTs.
  const agent = new TunnelAgent({ keepAlive: true, maxSockets: 4 });

  const tunnelFetch = (url, init = {}) => new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    headers.host = routeHost;
    const req = http.request({ agent, host: routeHost, path: u.pathname + u.search, method: init.method || 'GET', headers },
      (res) => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
        }
        const body = res.statusCode === 204 || res.statusCode === 304 ? null : Readable.toWeb(res);
        resolve(new Response(body, { status: res.statusCode, headers: h }));
      });
    if (init.signal) {
      init.signal.addEventListener('abort', () => req.destroy(new Error('aborted')));
    }
    req.on('error', reject);
    req.end(init.body);
  });

  const client = new Client({ name: 'mcptunnel-proxy-sdk-it', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`https://${routeHost}/mcp`), { fetch: tunnelFetch });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    let call;
    try {
      const result = await client.callTool({ name: toolName, arguments: JSON.parse(jsonArgs) });
      call = { text: (result.content || []).filter((c) => c.type === 'text').map((c) => c.text).join('\n') };
    } catch (e) {
      call = { error: { code: e.code, message: e.message } };
    }
    return { ok: true, tools: tools.map((t) => t.name), call };
  } finally {
    await client.close().catch(() => {});
    agent.destroy();
  }
}
