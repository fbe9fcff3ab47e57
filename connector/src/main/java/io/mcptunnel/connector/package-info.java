/**
 * The connector: dials edges outbound with the tunnel token, upgrades each connection to HTTP/2
 * with the roles reversed (the edge opens streams), and turns each stream into a WebSocket to the
 * proxy. It never listens on a public port.
 */
package io.mcptunnel.connector;
