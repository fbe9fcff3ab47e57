package io.mcptunnel.controlplane.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.controlplane.internal.InternalClient;
import io.mcptunnel.controlplane.internal.InternalRole;
import io.mcptunnel.controlplane.state.StateWatcher;
import io.mcptunnel.controlplane.tunnels.TunnelCaLookup;
import io.mcptunnel.controlplane.tunnels.TunnelState;
import io.mcptunnel.controlplane.tunnels.TunnelStateFeed;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal API for edges and callers (docs/api.md): the edge feed, a long-poll, and the
 * caller's CA lookup. Path (404), method (405), credential (401/403), then parameters (400), as in
 * {@link TunnelRoutes}. A long-poll holds no thread while it waits: the request is parked on the
 * {@link StateWatcher} and answered from the server's pool when the version moves, the wait ends,
 * or the server closes. Every answer is {@code Cache-Control: no-store}.
 */
final class InternalRoutes {
  static final String PREFIX = "/internal/v1";
  static final String EDGE_STATE = PREFIX + "/edge/tunnel_state";
  static final String CALLER_CAS = PREFIX + "/caller/tunnel_cas";
  static final int MAX_WAIT_SECONDS = 30;
  private static final Logger LOG = LoggerFactory.getLogger(InternalRoutes.class);

  private final InternalAuthenticator authenticator;
  private final TunnelStateFeed feed;
  private final TunnelCaLookup cas;
  private final StateWatcher watcher;
  private final Executor executor;

  InternalRoutes(InternalAuthenticator authenticator, TunnelStateFeed feed, TunnelCaLookup cas, StateWatcher watcher,
      Executor executor) {
    this.authenticator = authenticator;
    this.feed = feed;
    this.cas = cas;
    this.watcher = watcher;
    this.executor = executor;
  }

  void handle(HttpCall call) {
    String path = call.path();
    if (!path.equals(EDGE_STATE) && !path.equals(CALLER_CAS)) {
      throw ApiError.notFound("no such path: " + path);
    }
    if (!call.method().equals("GET")) {
      call.allow("GET");
      throw new ApiError(405, ApiError.INVALID_REQUEST, call.method() + " not allowed on this path (expected: GET)");
    }
    boolean edge = path.equals(EDGE_STATE);
    InternalClient client = authenticator.authenticate(call.header(HttpHeader.AUTHORIZATION), call.sourceAddress(),
        edge ? InternalRole.EDGE : InternalRole.CALLER);
    if (edge) {
      tunnelState(call);
    } else {
      tunnelCas(call, client);
    }
  }

  private void tunnelState(HttpCall call) {
    long after = number(call, "after", Long.MAX_VALUE);
    long wait = number(call, "wait", MAX_WAIT_SECONDS);
    if (watcher.closed()) {
      // Stopping: an edge that polled again on its kept-alive connection is told to go elsewhere
      // (a restarted or another node) rather than loop here or wait on a server going away.
      call.closeConnectionAfter();
      call.sendError(new ApiError(503, ApiError.API_ERROR, "server shutting down"), true);
      return;
    }
    TunnelState.Batch batch = feed.changesSince(after);
    if (batch.reset() || !batch.tunnels().isEmpty() || batch.version() > after || wait == 0) {
      call.send(200, json(batch), true);
      return;
    }
    watcher.whenAfter(after, Duration.ofSeconds(wait)).thenRunAsync(() -> {
      try {
        if (watcher.closed()) {
          call.closeConnectionAfter(); // answered by close(): the next poll must not come back here
        }
        call.send(200, json(feed.changesSince(after)), true);
      } catch (RuntimeException e) {
        // The server may be closing under us; the edge retries, so a 500 is enough.
        LOG.warn("tunnel_state long-poll answer failed reason={}", e.toString());
        call.sendError(new ApiError(500, ApiError.API_ERROR, "internal server error"), true);
      }
    }, executor).exceptionally(e -> {
      // The pool refused the task (stopping): answer from here rather than leave the request hanging.
      call.closeConnectionAfter();
      call.sendError(new ApiError(503, ApiError.API_ERROR, "server shutting down"), true);
      return null;
    });
  }

  private void tunnelCas(HttpCall call, InternalClient client) {
    String raw = call.queryParameter("host");
    if (raw == null || raw.isEmpty()) {
      throw ApiError.invalid("host: required (expected: a host name such as route.<tunnel domain>)");
    }
    String host = TunnelCaLookup.normalizeHost(raw)
        .orElseThrow(() -> ApiError.invalid("host: not a valid host name"));
    TunnelCaLookup.TunnelCas found = cas.forHost(client.organizationId(), host)
        .orElseThrow(() -> ApiError.notFound("no active tunnel for host " + host));
    ObjectNode n = ApiJson.MAPPER.createObjectNode();
    n.put("type", "tunnel_cas");
    n.put("tunnel_id", found.tunnelId());
    n.put("domain", found.domain());
    found.caCertificatesPem().forEach(n.putArray("ca_certificates_pem")::add);
    call.send(200, n, true);
  }

  static ObjectNode json(TunnelState.Batch batch) {
    ObjectNode n = ApiJson.MAPPER.createObjectNode();
    n.put("type", "tunnel_state");
    n.put("version", batch.version());
    n.put("reset", batch.reset());
    ArrayNode tunnels = n.putArray("tunnels");
    for (TunnelState t : batch.tunnels()) {
      ObjectNode o = tunnels.addObject();
      o.put("id", t.id());
      o.put("domain", t.domain());
      o.put("organization_id", t.organizationId());
      o.put("workspace_id", t.workspaceId());
      if (t.currentToken() == null) {
        o.putNull("current_token");
      } else {
        o.putObject("current_token").put("id", t.currentToken().id())
            .put("secret_sha256", t.currentToken().secretSha256());
      }
      t.retiredTokenIds().forEach(o.putArray("retired_token_ids")::add);
      t.severedTokenIds().forEach(o.putArray("severed_token_ids")::add);
      t.caCertificatesPem().forEach(o.putArray("ca_certificates_pem")::add);
      o.put("archived", t.archived());
    }
    return n;
  }

  /** A non-negative integer parameter up to {@code max}; 0 when absent. */
  private static long number(HttpCall call, String name, long max) {
    String value = call.queryParameter(name);
    if (value == null) {
      return 0;
    }
    String expected = max == Long.MAX_VALUE ? "an integer >= 0" : "an integer 0-" + max;
    if (!value.matches("[0-9]{1,19}")) {
      throw ApiError.invalid(name + ": not " + expected);
    }
    try {
      long v = Long.parseLong(value);
      if (v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // above Long.MAX_VALUE: refused below
    }
    throw ApiError.invalid(name + ": " + value + " (expected: " + expected + ")");
  }
}
