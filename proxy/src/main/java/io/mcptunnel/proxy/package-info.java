/**
 * The MCP proxy: a plain WebSocket listener whose binary frames carry the inner TLS, HTTP/1.1
 * inside, routed by host to upstream MCP servers whose addresses pass the egress guard.
 */
package io.mcptunnel.proxy;
