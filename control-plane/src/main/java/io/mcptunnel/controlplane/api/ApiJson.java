package io.mcptunnel.controlplane.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.controlplane.tunnels.RevealedToken;
import io.mcptunnel.controlplane.tunnels.Tunnel;
import io.mcptunnel.controlplane.tunnels.TunnelCertificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The SPEC §4.1 objects as JSON. Written by hand rather than by annotations so the wire shape is
 * visible in one place and internal fields (organization, workspace, PEM) cannot leak by accident.
 */
final class ApiJson {
  // Trailing tokens refused: "{} junk" is malformed, not an empty object.
  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ApiJson() {}

  static ObjectNode tunnel(Tunnel t) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", t.id());
    n.put("type", Tunnel.TYPE);
    n.put("display_name", t.displayName());
    n.put("domain", t.domain());
    n.put("created_at", time(t.createdAt()));
    n.put("archived_at", time(t.archivedAt()));
    return n;
  }

  static ObjectNode token(RevealedToken t) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", t.id());
    n.put("type", RevealedToken.TYPE);
    n.put("tunnel_token", t.tunnelToken());
    return n;
  }

  static ObjectNode certificate(TunnelCertificate c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", c.id());
    n.put("type", TunnelCertificate.TYPE);
    n.put("tunnel_id", c.tunnelId());
    n.put("fingerprint", c.fingerprint());
    n.put("created_at", time(c.createdAt()));
    n.put("expires_at", time(c.expiresAt()));
    n.put("archived_at", time(c.archivedAt()));
    return n;
  }

  /** The list shape: {@code {"data": [...], "next_page": "<cursor>" | null}}. */
  static <T> ObjectNode list(List<T> items, Optional<String> nextPage, Function<T, ObjectNode> item) {
    ObjectNode n = MAPPER.createObjectNode();
    ArrayNode data = n.putArray("data");
    items.forEach(i -> data.add(item.apply(i)));
    n.put("next_page", nextPage.orElse(null));
    return n;
  }

  static ObjectNode error(String type, String message) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", "error");
    ObjectNode e = n.putObject("error");
    e.put("type", type);
    e.put("message", message);
    return n;
  }

  /** RFC 3339 in UTC ({@code Z}); {@link Instant#toString()} is exactly that. */
  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
