package io.mcptunnel.proxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * {@code allowed_tools} on responses: removes tools not allowed from {@code result.tools} of every
 * JSON-RPC response (single or batch) that carries such a list, whatever request it answers, so
 * responses replayed on the session's GET stream are filtered too.
 */
public final class ToolsListFilter {
  private ToolsListFilter() {}

  /** The filtered JSON, or empty when nothing was removed. Throws when the text is not JSON. */
  public static Optional<byte[]> filter(byte[] json, Set<String> allowed) throws IOException {
    JsonNode root = Refusal.JSON.readTree(json);
    if (root == null) {
      throw new IOException("empty body");
    }
    boolean changed = false;
    if (root.isArray()) {
      for (JsonNode m : root) {
        changed |= filterMessage(m, allowed);
      }
    } else {
      changed = filterMessage(root, allowed);
    }
    return changed ? Optional.of(Refusal.bytes(root)) : Optional.empty();
  }

  /** Same, for a string (an SSE event's data). */
  public static Optional<String> filter(String json, Set<String> allowed) throws IOException {
    return filter(json.getBytes(StandardCharsets.UTF_8), allowed).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  private static boolean filterMessage(JsonNode m, Set<String> allowed) {
    if (!(m.path("result").path("tools") instanceof ArrayNode tools)) {
      return false;
    }
    boolean changed = false;
    for (Iterator<JsonNode> it = tools.elements(); it.hasNext(); ) {
      JsonNode name = it.next().path("name");
      if (!name.isTextual() || !allowed.contains(name.asText())) {
        it.remove();
        changed = true;
      }
    }
    return changed;
  }
}
