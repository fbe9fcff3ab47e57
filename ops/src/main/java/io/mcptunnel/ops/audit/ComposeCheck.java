package io.mcptunnel.ops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Compose file: every service's image pinned by digest, and the container hardening of SPEC §7
 * (non-root, read-only root, no capabilities, no-new-privileges, log rotation).
 */
final class ComposeCheck {
  static final String IMAGE_NOT_PINNED = "image-not-pinned";
  static final String VARIABLE_UNSET = "compose-variable-unset";
  static final String ROOT = "container-runs-as-root";
  static final String WRITABLE_ROOT = "container-writable-root";
  static final String CAPABILITIES = "container-capabilities-kept";
  static final String NEW_PRIVILEGES = "container-new-privileges";
  static final String LOG_ROTATION = "container-log-rotation-missing";
  static final String PRIVILEGED = "container-privileged";
  static final String HOST_NETWORK = "container-host-network";
  static final String NON_ROOT_UID = "65532";

  private ComposeCheck() {}

  /** @param compose the parsed file, before interpolation */
  static List<Finding> findings(String file, JsonNode compose, ComposeInterpolation vars) {
    JsonNode tree = interpolate(compose, vars);
    List<Finding> out = new ArrayList<>();
    for (ComposeInterpolation.Unset u : vars.unset()) {
      out.add(new Finding(VARIABLE_UNSET, Severity.HIGH, file,
          "variable " + u.name() + " is not set in the environment or .env" + (u.message() == null ? "" : ": " + u.message()),
          "set " + u.name() + " in the .env file next to " + file + " (for images: a name@sha256:<digest>)"));
    }
    JsonNode services = tree.path("services");
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.addAll(service(file, e.getKey(), e.getValue()));
    }
    return out;
  }

  static List<Finding> service(String file, String name, JsonNode s) {
    String subject = "service " + name + " (" + file + ")";
    List<Finding> out = new ArrayList<>();
    String image = s.path("image").asText("");
    if (!ImageReference.pinned(image)) {
      out.add(new Finding(IMAGE_NOT_PINNED, Severity.HIGH, subject,
          image.isBlank() ? "image reference is empty" : "image " + image + " is not pinned by a sha256 digest",
          "image: <name>@sha256:<digest> (docker buildx imagetools inspect <name>:<tag> prints it)"));
    }
    if (s.path("privileged").asBoolean(false)) {
      out.add(new Finding(PRIVILEGED, Severity.CRITICAL, subject, "privileged: true gives the container the host's devices and every capability",
          "remove privileged: true"));
    }
    String network = s.path("network_mode").asText("");
    String lower = name.toLowerCase(Locale.ROOT);
    if (network.equals("host") && (lower.contains("proxy") || lower.contains("connector"))) {
      out.add(new Finding(HOST_NETWORK, Severity.HIGH, subject, "network_mode: host puts the " + name + " on the host's network",
          "use the stack's network (the connector shares the proxy's: network_mode: \"service:proxy\")"));
    }
    String user = s.path("user").asText("").trim();
    String uid = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    if (uid.isEmpty() || uid.equals("0") || uid.equals("root")) {
      out.add(new Finding(ROOT, Severity.MEDIUM, subject,
          user.isEmpty() ? "no user: set, the image's default user (often root) runs it" : "user: " + user + " is root",
          "user: \"" + NON_ROOT_UID + ":" + NON_ROOT_UID + "\""));
    }
    if (!s.path("read_only").asBoolean(false)) {
      out.add(new Finding(WRITABLE_ROOT, Severity.MEDIUM, subject, "read_only is not true: the root filesystem is writable",
          "read_only: true (with tmpfs: [/tmp] if the service writes scratch files)"));
    }
    if (!contains(s.path("cap_drop"), "ALL")) {
      out.add(new Finding(CAPABILITIES, Severity.MEDIUM, subject, "cap_drop does not contain ALL: default capabilities are kept",
          "cap_drop: [ALL]"));
    }
    if (!contains(s.path("security_opt"), "no-new-privileges:true") && !contains(s.path("security_opt"), "no-new-privileges")) {
      out.add(new Finding(NEW_PRIVILEGES, Severity.MEDIUM, subject,
          "security_opt lacks no-new-privileges:true: setuid binaries can raise privileges",
          "security_opt: [\"no-new-privileges:true\"]"));
    }
    if (s.path("logging").path("options").path("max-size").asText("").isEmpty()) {
      out.add(new Finding(LOG_ROTATION, Severity.MEDIUM, subject, "logging has no options.max-size: logs grow without rotation",
          "logging: {driver: json-file, options: {max-size: \"10m\", max-file: \"3\"}}"));
    }
    return out;
  }

  private static boolean contains(JsonNode list, String value) {
    if (!list.isArray()) {
      return false;
    }
    for (JsonNode n : list) {
      if (n.asText("").trim().equalsIgnoreCase(value)) {
        return true;
      }
    }
    return false;
  }

  /** Compose interpolates values, never keys or comments. */
  static JsonNode interpolate(JsonNode node, ComposeInterpolation vars) {
    if (node.isTextual()) {
      return new TextNode(vars.apply(node.asText()));
    }
    if (node instanceof ObjectNode o) {
      ObjectNode copy = o.objectNode();
      o.fields().forEachRemaining(e -> copy.set(e.getKey(), interpolate(e.getValue(), vars)));
      return copy;
    }
    if (node instanceof ArrayNode a) {
      ArrayNode copy = a.arrayNode();
      a.forEach(n -> copy.add(interpolate(n, vars)));
      return copy;
    }
    return node;
  }
}
