package io.mcptunnel.proxy.policy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code allowed_tools} on a request: which JSON-RPC messages of a POST body may go upstream. The
 * body is the exact bytes the upstream would get; duplicate keys are refused as a parse error so
 * the proxy and the upstream cannot read two different tool names out of one message.
 */
public final class ToolCalls {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int INVALID_PARAMS = -32602;

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private ToolCalls() {}

  /**
   * The outcome for a body: {@code refusal} when the proxy answers, else {@code listsTools} says
   * whether a {@code tools/list} response (to be filtered) is expected.
   */
  public record Verdict(Refusal refusal, boolean listsTools) {
    static Verdict forward(boolean listsTools) {
      return new Verdict(null, listsTools);
    }

    static Verdict refuse(Refusal r) {
      return new Verdict(r, false);
    }
  }

  /** The message for a refused tool, the same in every refusal. */
  public static String notAllowed(String tool) {
    return "tool \"" + tool + "\" is not allowed on this route";
  }

  /**
   * Checks the {@code Mcp-Method}/{@code Mcp-Name} request headers before the body is read: a
   * {@code tools/call} of a tool not allowed is refused at once (403, no body read).
   */
  public static Refusal headerRefusal(String mcpMethod, String mcpName, Set<String> allowed) {
    if ("tools/call".equals(mcpMethod) && mcpName != null && !allowed.contains(mcpName)) {
      return Refusal.jsonRpc(Refusal.TOOL_NOT_ALLOWED, notAllowed(mcpName), HttpResponseStatus.FORBIDDEN, null,
          INVALID_PARAMS);
    }
    return null;
  }

  /** Checks a whole POST body against the allowed tools and the {@code Mcp-*} headers (may be null). */
  public static Verdict check(byte[] body, Set<String> allowed, String mcpMethod, String mcpName) {
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !(root.isObject() || root.isArray()) || root.isArray() && root.isEmpty()) {
      return Verdict.refuse(Refusal.jsonRpc(Refusal.PARSE_ERROR, "parse error: the request body is not a JSON-RPC"
          + " message", HttpResponseStatus.BAD_REQUEST, null, PARSE_ERROR));
    }
    if (root.isArray()) {
      if (mcpMethod != null || mcpName != null) {
        return Verdict.refuse(Refusal.jsonRpc(Refusal.HEADER_MISMATCH,
            "Mcp-Method/Mcp-Name headers cannot describe a batch", HttpResponseStatus.BAD_REQUEST, null,
            INVALID_REQUEST));
      }
      return batch(root, allowed);
    }
    Refusal mismatch = headerMismatch(root, mcpMethod, mcpName);
    if (mismatch != null) {
      return Verdict.refuse(mismatch);
    }
    String refused = refusedTool(root, allowed);
    if (refused != null) {
      return Verdict.refuse(Refusal.jsonRpc(Refusal.TOOL_NOT_ALLOWED, notAllowed(refused), HttpResponseStatus.OK,
          root.get("id"), INVALID_PARAMS));
    }
    return Verdict.forward(isMethod(root, "tools/list"));
  }

  /**
   * A batch with any refused call is answered whole by the proxy (nothing of it goes upstream): the
   * refused calls get the tool error, every other request a "batch refused" error; notifications
   * get nothing, as JSON-RPC prescribes.
   */
  private static Verdict batch(JsonNode batch, Set<String> allowed) {
    List<String> refused = new ArrayList<>();
    boolean listsTools = false;
    for (JsonNode m : batch) {
      String tool = refusedTool(m, allowed);
      if (tool != null) {
        refused.add(tool);
      }
      listsTools |= isMethod(m, "tools/list");
    }
    if (refused.isEmpty()) {
      return Verdict.forward(listsTools);
    }
    List<ObjectNode> errors = new ArrayList<>();
    for (JsonNode m : batch) {
      if (!m.isObject() || !m.hasNonNull("id") || !m.has("method")) {
        continue;
      }
      String tool = refusedTool(m, allowed);
      errors.add(tool != null
          ? Refusal.error(m.get("id"), INVALID_PARAMS, notAllowed(tool))
          : Refusal.error(m.get("id"), INVALID_REQUEST, "batch refused: it calls a tool not allowed on this route"));
    }
    return Verdict.refuse(Refusal.batch(Refusal.TOOL_NOT_ALLOWED, notAllowed(refused.get(0)), errors));
  }

  /** The tool a {@code tools/call} message names when it is not allowed (or names none), else null. */
  private static String refusedTool(JsonNode m, Set<String> allowed) {
    if (!isMethod(m, "tools/call")) {
      return null;
    }
    JsonNode name = m.path("params").path("name");
    if (!name.isTextual()) {
      return name.isMissingNode() ? "" : name.toString();
    }
    return allowed.contains(name.asText()) ? null : name.asText();
  }

  /**
   * The newer transport's headers must say what the body says (SEP-2243): a disagreement means a
   * middlebox and the server would act on different requests, i.e. an attempt to evade the policy.
   */
  private static Refusal headerMismatch(JsonNode m, String mcpMethod, String mcpName) {
    String method = m.path("method").isTextual() ? m.path("method").asText() : null;
    String problem = null;
    if (mcpMethod != null && !mcpMethod.equals(method)) {
      problem = "Mcp-Method header \"" + mcpMethod + "\" does not match the body's method \"" + method + "\"";
    } else if (mcpName != null || mcpMethod != null && "tools/call".equals(method)) {
      String bodyName = nameOf(m, method);
      if (!java.util.Objects.equals(mcpName, bodyName)) {
        problem = "Mcp-Name header \"" + mcpName + "\" does not match the body's name \"" + bodyName + "\"";
      }
    }
    return problem == null ? null : Refusal.jsonRpc(Refusal.HEADER_MISMATCH, problem,
        HttpResponseStatus.BAD_REQUEST, m.get("id"), INVALID_REQUEST);
  }

  /** What {@code Mcp-Name} carries for a method: the tool or prompt name, the resource URI. */
  private static String nameOf(JsonNode m, String method) {
    JsonNode params = m.path("params");
    JsonNode n = "resources/read".equals(method) ? params.path("uri") : params.path("name");
    return n.isTextual() ? n.asText() : null;
  }

  private static boolean isMethod(JsonNode m, String method) {
    return m.isObject() && method.equals(m.path("method").asText(null));
  }
}
