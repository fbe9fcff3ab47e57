// An unmodified MCP client (the official TypeScript SDK) pointed at the caller gateway.
// Usage: node gateway-client.mjs http://127.0.0.1:PORT/<route>.<tunnel-domain>/mcp MESSAGE [TOOL]
// Prints one JSON line: {"tools": [...names], "echo": "<text of the TOOL (default echo) result>"}.
// With MCP_BEARER set, every request carries Authorization: Bearer <MCP_BEARER>.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, message, tool = "echo"] = process.argv.slice(2);
if (!url || !message) {
  console.error("usage: node gateway-client.mjs URL MESSAGE");
  process.exit(2);
}

const client = new Client({ name: "mcptunnel-ts-it", version: "0.0.0" });
try {
  const bearer = process.env.MCP_BEARER;
  const options = bearer ? { requestInit: { headers: { Authorization: `Bearer ${bearer}` } } } : undefined;
  await client.connect(new StreamableHTTPClientTransport(new URL(url), options));
  const { tools } = await client.listTools();
  const result = await client.callTool({ name: tool, arguments: { message } });
  const text = result.content.filter((c) => c.type === "text").map((c) => c.text).join("\n");
  console.log(JSON.stringify({ tools: tools.map((t) => t.name), echo: text }));
  await client.close();
} catch (e) {
  console.error(`mcp call failed: ${e?.message ?? e}`);
  process.exit(1);
}
