/**
 * The narrowest {@code upstream.allowed_ips} that still reaches every route: shared by
 * {@code mcptunnel proxy suggest-allowed-ips} and {@code mcptunnel audit}.
 */
package io.mcptunnel.ops.allowedips;
