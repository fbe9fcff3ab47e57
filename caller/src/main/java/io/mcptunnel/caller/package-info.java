/**
 * The caller: the AI backend's side of a tunnel. It opens streams to {@code <route>.<tunnel-domain>}
 * through the edge (TLS, HTTP/2, a caller key) and runs the inner TLS over each stream, so only the
 * proxy in the private network can read the payload.
 */
package io.mcptunnel.caller;
