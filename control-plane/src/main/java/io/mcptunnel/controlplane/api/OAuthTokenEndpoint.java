package io.mcptunnel.controlplane.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.controlplane.federation.AccessTokenIssuer;
import io.mcptunnel.controlplane.federation.ExchangeRequest;
import io.mcptunnel.controlplane.federation.ExchangeResult;
import io.mcptunnel.controlplane.federation.IssuedAccessToken;
import io.mcptunnel.controlplane.federation.TokenExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code POST /v1/oauth/token} (SPEC §4.2): the RFC 7523 {@code jwt-bearer} grant, form-encoded as
 * RFC 6749 asks, or the same fields as a JSON object. Every answer is {@code no-store}: it either
 * carries a credential or says why one was refused.
 */
final class OAuthTokenEndpoint {
  static final String PATH = "/v1/oauth/token";
  static final Set<String> FIELDS =
      Set.of("grant_type", "assertion", "federation_rule_id", "organization_id", "workspace_id");

  private final TokenExchange exchange;
  private final AccessTokenIssuer issuer;

  OAuthTokenEndpoint(TokenExchange exchange, AccessTokenIssuer issuer) {
    this.exchange = exchange;
    this.issuer = issuer;
  }

  void handle(HttpCall call) {
    if (!call.method().equals("POST")) {
      call.allow("POST");
      throw new ApiError(405, ApiError.INVALID_REQUEST, call.method() + " not allowed on this path (expected: POST)");
    }
    Map<String, String> fields = fields(call);
    ExchangeResult result = exchange.exchange(new ExchangeRequest(fields.get("grant_type"),
        fields.get("assertion"), fields.get("federation_rule_id"), fields.get("organization_id"),
        fields.get("workspace_id")));
    if (result instanceof ExchangeResult.Failure failure) {
      call.sendError(new ApiError(failure.httpStatus(), failure.errorType(), failure.publicMessage()), true);
      return;
    }
    IssuedAccessToken token = issuer.issue(((ExchangeResult.Success) result).grant());
    ObjectNode body = ApiJson.MAPPER.createObjectNode();
    body.put("access_token", token.token());
    body.put("token_type", "Bearer");
    body.put("expires_in", Duration.between(token.claims().issuedAt(), token.claims().expiresAt()).toSeconds());
    body.put("scope", token.claims().scope());
    call.send(200, body, true);
  }

  private static Map<String, String> fields(HttpCall call) {
    String type = call.header(HttpHeader.CONTENT_TYPE);
    if (type != null && type.toLowerCase().startsWith("application/json")) {
      ObjectNode body = call.jsonObject(FIELDS);
      Map<String, String> out = new HashMap<>();
      FIELDS.forEach(f -> out.put(f, HttpCall.optionalString(body, f)));
      return out;
    }
    if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      throw ApiError.invalid("Content-Type: expected application/x-www-form-urlencoded or application/json");
    }
    return form(call.body());
  }

  /** RFC 6749 §3.2: parameters sent more than once are an error; unknown ones are ignored. */
  static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    if (body.isEmpty()) {
      return out;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
      if (out.put(name, value) != null) {
        throw ApiError.invalid(name + ": given more than once");
      }
    }
    FIELDS.forEach(f -> out.computeIfPresent(f, (k, v) -> v.isEmpty() ? null : v));
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("request body is not valid form encoding");
    }
  }
}
