/**
 * The sample server's opt-in OAuth resource-server mode (MCP authorization 2025-11-25, RFC 9728,
 * RFC 8707, RFC 6750): protected-resource metadata, bearer-token checks and the exact challenges a
 * client (or {@code mcptunnel audit}) relies on. Each decision lives in one small pure class
 * ({@link io.mcptunnel.sample.oauth.ClaimsCheck}, {@link io.mcptunnel.sample.oauth.BearerChallenge});
 * the servlet parts only wire them to HTTP.
 */
package io.mcptunnel.sample.oauth;
