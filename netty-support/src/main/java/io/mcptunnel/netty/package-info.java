/**
 * Netty pieces the data path shares: TLS carried in WebSocket binary frames, closing on flush, and
 * event-loop / transport selection.
 */
package io.mcptunnel.netty;
