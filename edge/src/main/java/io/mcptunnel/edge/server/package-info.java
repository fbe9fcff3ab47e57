/**
 * The runnable edge: its configuration file ({@link io.mcptunnel.edge.server.EdgeConfigParser}) and
 * {@link io.mcptunnel.edge.server.EdgeServer}, which wires the listeners, the tunnel registry and the
 * admin endpoints together for {@code mcptunnel edge run}.
 */
package io.mcptunnel.edge.server;
