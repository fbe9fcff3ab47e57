// An unmodified MCP client (the official TypeScript SDK) with its own OAuth support
// (client_credentials via ClientCredentialsProvider) against an OAuth-protected MCP server:
// it gets the 401, discovers the protected-resource and authorization-server metadata, asks
// the token endpoint for a token bound to the server's resource, and retries.
// Usage: OAUTH_CLIENT_SECRET=... node oauth-client.mjs URL CLIENT_ID ISSUER MESSAGE
// (the secret comes from the environment, so it never shows in a process list).
// Prints one JSON line: {"tools": [...names], "echo": "<echo's text>", "whoami": "<whoami's text>"}.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ClientCredentialsProvider } from "@modelcontextprotocol/sdk/client/auth-extensions.js";

const [url, clientId, issuer, message] = process.argv.slice(2);
const clientSecret = process.env.OAUTH_CLIENT_SECRET;
if (!url || !clientId || !issuer || !message || !clientSecret) {
  console.error("usage: OAUTH_CLIENT_SECRET=... node oauth-client.mjs URL CLIENT_ID ISSUER MESSAGE");
  process.exit(2);
}

const text = (result) => result.content.filter((c) => c.type === "text").map((c) => c.text).join("\n");
const authProvider = new ClientCredentialsProvider({ clientId, clientSecret, scope: "mcp:tools", expectedIssuer: issuer });
const client = new Client({ name: "mcptunnel-ts-oauth-it", version: "0.0.0" });
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider }));
  const { tools } = await client.listTools();
  const echo = await client.callTool({ name: "echo", arguments: { message } });
  const whoami = await client.callTool({ name: "whoami", arguments: {} });
  console.log(JSON.stringify({ tools: tools.map((t) => t.name), echo: text(echo), whoami: text(whoami) }));
  await client.close();
} catch (e) {
  console.error(`mcp call failed: ${e?.message ?? e}`);
  process.exit(1);
}
