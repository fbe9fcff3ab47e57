/**
 * The control plane's HTTP API (SPEC §4.1, §4.2) on Jetty core handlers, without a web framework:
 * {@link io.mcptunnel.controlplane.api.ControlPlaneServer} wires the store, services and listener;
 * {@code ApiHandler} dispatches and turns every failure into the error envelope
 * {@code {"type":"error","error":{"type":…,"message":…}}}; {@code TunnelRoutes} maps the Tunnels
 * paths onto the service after {@code BearerAuthenticator} has turned the access token into an
 * actor; {@code OAuthTokenEndpoint} serves the {@code jwt-bearer} exchange. Lists answer
 * {@code {"data": [...], "next_page": "<cursor>" | null}}.
 */
package io.mcptunnel.controlplane.api;
