package io.mcptunnel.proxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A request the proxy answers itself because a route's policy forbids it.
 *
 * @param reason the metrics label and log field (bounded set: see the constants)
 * @param detail one line for the log, never a header value or token
 */
public record Refusal(String reason, String detail, HttpResponseStatus status, Map<String, String> headers,
    byte[] body) {
  public static final String UNAUTHORIZED = "unauthorized";
  public static final String RATE_LIMITED = "rate_limited";
  public static final String TOO_LARGE = "too_large";
  public static final String TOOL_NOT_ALLOWED = "tool_not_allowed";
  public static final String HEADER_MISMATCH = "header_mismatch";
  public static final String PARSE_ERROR = "parse_error";
  public static final String CONTENT_ENCODING = "content_encoding";
  public static final String BODY_NOT_INSPECTED = "body_not_inspected";

  static final ObjectMapper JSON = new ObjectMapper();

  public FullHttpResponse toResponse() {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    headers.forEach(r.headers()::set);
    return r;
  }

  /** A plain HTTP refusal: {@code {"error":"<reason>","message":"<detail>"}}. */
  static Refusal http(String reason, String detail, HttpResponseStatus status, Map<String, String> headers) {
    ObjectNode o = JSON.createObjectNode().put("error", reason).put("message", detail);
    return new Refusal(reason, detail, status, headers, bytes(o));
  }

  /** A JSON-RPC error answering the request {@code id} (null when unknown). */
  static Refusal jsonRpc(String reason, String detail, HttpResponseStatus status, JsonNode id, int code) {
    return new Refusal(reason, detail, status, Map.of(), bytes(error(id, code, detail)));
  }

  /** One answer for a whole batch. */
  static Refusal batch(String reason, String detail, List<ObjectNode> errors) {
    ArrayNode a = JSON.createArrayNode();
    a.addAll(errors);
    return new Refusal(reason, detail, HttpResponseStatus.OK, Map.of(), bytes(a));
  }

  static ObjectNode error(JsonNode id, int code, String message) {
    ObjectNode o = JSON.createObjectNode().put("jsonrpc", "2.0");
    o.set("id", id == null ? NullNode.getInstance() : id);
    o.putObject("error").put("code", code).put("message", message);
    return o;
  }

  static byte[] bytes(JsonNode n) {
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Refusal[" + reason + ", " + status.code() + ", " + new String(body, StandardCharsets.UTF_8) + "]";
  }
}
