package io.mcptunnel.controlplane.federation.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.controlplane.federation.FederationRule;
import java.util.Map;
import java.util.TreeMap;

/** A rule's {@code match} as the JSON text stored in {@code federation_rules.match_json}. */
final class MatchJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MatchJson() {}

  static String write(FederationRule.Match match) {
    ObjectNode node = JSON.createObjectNode();
    node.put("subject_prefix", match.subjectPrefix());
    node.put("audience", match.audience());
    ObjectNode claims = node.putObject("claims");
    // Sorted so the stored text is stable for the same rule.
    new TreeMap<>(match.claims()).forEach(claims::put);
    return node.toString();
  }

  static FederationRule.Match read(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      Map<String, String> claims = new TreeMap<>();
      node.path("claims").fields().forEachRemaining(e -> claims.put(e.getKey(), e.getValue().asText()));
      return new FederationRule.Match(textOrNull(node, "subject_prefix"), textOrNull(node, "audience"), claims);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored match_json is not JSON", e);
    }
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
