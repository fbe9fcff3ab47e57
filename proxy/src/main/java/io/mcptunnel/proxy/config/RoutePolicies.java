package io.mcptunnel.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.config.StrictYaml;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Reads the {@code policies:} map (SPEC §2.3): each key must be a configured route. */
final class RoutePolicies {
  private static final Set<String> POLICY =
      Set.of("allowed_tools", "require_authorization", "rate_limit", "max_request_bytes");
  private static final Set<String> RATE_LIMIT = Set.of("requests_per_second", "burst");

  private RoutePolicies() {}

  static Map<String, RoutePolicy> parse(StrictYaml y, JsonNode node, Set<String> routes) {
    Map<String, RoutePolicy> policies = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return policies;
    }
    if (!node.isObject()) {
      throw new ConfigException("policies: cannot unmarshal " + StrictYaml.tag(node)
          + " into a map of route name to policy");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String route = e.getKey().toLowerCase(Locale.ROOT);
      String path = "policies." + route;
      if (!routes.contains(route)) {
        // A policy for a misspelt route would protect nothing while looking as if it did.
        throw new ConfigException(path + ": no such route (policies are keyed by the names in routes: "
            + String.join(", ", routes.stream().sorted().toList()) + ")");
      }
      if (policies.containsKey(route)) {
        throw new ConfigException(path + ": duplicate policy (route names are case-insensitive)");
      }
      JsonNode p = e.getValue();
      if (p == null || !p.isObject()) {
        throw new ConfigException(path + ": cannot unmarshal " + StrictYaml.tag(p) + " into a map of fields");
      }
      y.checkKnown(p, path + ".", POLICY);
      policies.put(route, new RoutePolicy(
          allowedTools(p.get("allowed_tools"), path + ".allowed_tools"),
          y.bool(p, "require_authorization", path + ".require_authorization"),
          rateLimit(y, p, path + ".rate_limit"),
          maxRequestBytes(p.get("max_request_bytes"), path + ".max_request_bytes")));
    }
    return policies;
  }

  private static Optional<Set<String>> allowedTools(JsonNode list, String path) {
    if (list == null || list.isNull()) {
      return Optional.empty();
    }
    if (!list.isArray()) {
      throw new ConfigException(path + ": cannot unmarshal " + StrictYaml.tag(list)
          + " into []string (expected a list of tool names, e.g. [search, fetch])");
    }
    Set<String> tools = new LinkedHashSet<>();
    for (JsonNode item : list) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new ConfigException(path + ": \"" + item.asText() + "\" is not a tool name");
      }
      tools.add(item.asText());
    }
    return Optional.of(tools);
  }

  private static Optional<RoutePolicy.RateLimit> rateLimit(StrictYaml y, JsonNode policy, String path) {
    JsonNode node = y.section(policy, path, RATE_LIMIT);
    if (node.isEmpty()) {
      if (policy.has("rate_limit") && !policy.get("rate_limit").isNull()) {
        throw new ConfigException(path + ": requests_per_second is required");
      }
      return Optional.empty();
    }
    JsonNode rps = node.get("requests_per_second");
    if (rps == null || rps.isNull()) {
      throw new ConfigException(path + ".requests_per_second is required");
    }
    if (!rps.isNumber() || !(rps.asDouble() > 0) || Double.isInfinite(rps.asDouble())) {
      throw new ConfigException(path + ".requests_per_second: \"" + rps.asText()
          + "\" is not a positive number");
    }
    JsonNode burstNode = node.get("burst");
    int burst;
    if (burstNode == null || burstNode.isNull()) {
      burst = (int) Math.max(1, Math.ceil(rps.asDouble()));
    } else if (burstNode.isIntegralNumber() && burstNode.canConvertToInt() && burstNode.asInt() >= 1) {
      burst = burstNode.asInt();
    } else {
      throw new ConfigException(path + ".burst: \"" + burstNode.asText() + "\" is not a whole number of at least 1");
    }
    return Optional.of(new RoutePolicy.RateLimit(rps.asDouble(), burst));
  }

  private static OptionalLong maxRequestBytes(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return OptionalLong.empty();
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
      throw new ConfigException(path + ": \"" + node.asText() + "\" is not a positive whole number of bytes");
    }
    return OptionalLong.of(node.asLong());
  }
}
