package io.mcptunnel.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One request and its response: bounded body reading, strict parameter parsing, JSON answers. */
final class HttpCall {
  static final int MAX_BODY_BYTES = 64 * 1024;

  private final Request request;
  private final Response response;
  private final Callback callback;
  private Fields query;

  HttpCall(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  String method() {
    return request.getMethod();
  }

  String path() {
    return Request.getPathInContext(request);
  }

  String header(HttpHeader name) {
    return request.getHeaders().get(name);
  }

  String sourceAddress() {
    return Request.getRemoteAddr(request);
  }

  /** The body as text, refused above {@link #MAX_BODY_BYTES}. */
  String body() {
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new ApiError(413, ApiError.INVALID_REQUEST,
            "request body larger than " + MAX_BODY_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ApiError.invalid("cannot read the request body");
    }
  }

  /** The body as a JSON object with only {@code allowed} fields; an empty body is {@code {}}. */
  ObjectNode jsonObject(Set<String> allowed) {
    String text = body();
    if (text.isBlank()) {
      return ApiJson.MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = ApiJson.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiError.invalid("request body is not valid JSON");
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiError.invalid("request body: expected a JSON object");
    }
    object.fieldNames().forEachRemaining(name -> {
      if (!allowed.contains(name)) {
        throw ApiError.invalid(name + ": unknown field (expected: " + String.join(", ", allowed) + ")");
      }
    });
    return object;
  }

  /** An optional string field: absent and null mean absent; any other type is a 400. */
  static String optionalString(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiError.invalid(field + ": expected a string");
    }
    return value.textValue();
  }

  /**
   * An optional boolean field: absent means {@code false}; anything but JSON {@code true} or
   * {@code false} (null, "true", 1) is a 400, so a flag is never guessed from a lookalike.
   */
  static boolean optionalBoolean(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw ApiError.invalid(field + ": expected a JSON boolean (true or false)");
    }
    return value.booleanValue();
  }

  static String requiredString(ObjectNode body, String field) {
    String value = optionalString(body, field);
    if (value == null) {
      throw ApiError.invalid(field + ": required");
    }
    return value;
  }

  /** A query parameter given at most once; null when absent. */
  String queryParameter(String name) {
    if (query == null) {
      try {
        query = Request.extractQueryParameters(request);
      } catch (RuntimeException e) {
        throw ApiError.invalid("query string is not valid");
      }
    }
    List<String> values = query.getValues(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ApiError.invalid(name + ": given more than once");
    }
    return values.get(0);
  }

  void send(int status, JsonNode body) {
    send(status, body, false);
  }

  void send(int status, JsonNode body, boolean noStore) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (noStore) {
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      response.getHeaders().put(HttpHeader.PRAGMA, "no-cache");
    }
    Content.Sink.write(response, true, body.toString(), callback);
  }

  /**
   * Asks for the connection to be closed after this answer, so the client's next request opens a
   * new one (and reaches whatever now listens) instead of going to a server that is stopping.
   */
  void closeConnectionAfter() {
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
  }

  /** A non-JSON answer, e.g. the audit export as JSON lines. */
  void sendText(int status, String contentType, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, body, callback);
  }

  void sendError(ApiError error) {
    sendError(error, false);
  }

  void sendError(ApiError error, boolean noStore) {
    if (error.status() == 401) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
    }
    send(error.status(), ApiJson.error(error.type(), error.getMessage()), noStore);
  }

  void allow(String methods) {
    response.getHeaders().put(HttpHeader.ALLOW, methods);
  }
}
