package io.mcptunnel.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.controlplane.tunnels.Actor;
import io.mcptunnel.controlplane.tunnels.Page;
import io.mcptunnel.controlplane.tunnels.Tunnel;
import io.mcptunnel.controlplane.tunnels.TunnelService;
import org.eclipse.jetty.http.HttpHeader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Tunnels API paths of SPEC §4.1 mapped onto {@link TunnelService}. A route is chosen by path
 * shape first (404), then by method (405), and only then is the caller authenticated, so an
 * unknown path says nothing about credentials.
 */
final class TunnelRoutes {
  static final String PREFIX = "/v1/tunnels";

  private final TunnelService service;
  private final BearerAuthenticator authenticator;

  /** One action: the authenticated actor, the call, and the path's id segments. */
  private interface Action {
    JsonNode run(Actor actor, HttpCall call, List<String> ids);
  }

  TunnelRoutes(TunnelService service, BearerAuthenticator authenticator) {
    this.service = service;
    this.authenticator = authenticator;
  }

  /** Handles a path under {@link #PREFIX}; sends the answer or throws an {@link ApiError}. */
  void handle(HttpCall call) {
    String[] parts = call.path().substring(PREFIX.length()).split("/", -1);
    // parts[0] is "" for both "/v1/tunnels" and "/v1/tunnels/…"
    List<String> rest = List.of(parts).subList(1, parts.length);
    Map<String, Action> byMethod = routes(rest);
    if (byMethod.isEmpty() || rest.stream().anyMatch(String::isEmpty)) {
      throw ApiError.notFound("no such path: " + call.path());
    }
    Action action = byMethod.get(call.method());
    if (action == null) {
      call.allow(String.join(", ", byMethod.keySet()));
      throw new ApiError(405, ApiError.INVALID_REQUEST,
          call.method() + " not allowed on this path (expected: " + String.join(" or ", byMethod.keySet()) + ")");
    }
    Actor actor = authenticator.authenticate(call.header(HttpHeader.AUTHORIZATION), call.sourceAddress());
    // The tunnel id, then the certificate id when the path has one.
    List<String> ids = rest.size() >= 3 ? List.of(rest.get(0), rest.get(2)) : rest.stream().limit(1).toList();
    JsonNode result = action.run(actor, call, ids);
    call.send(200, result);
  }

  /** The methods allowed on a path shape (the segments after {@code /v1/tunnels}). */
  private Map<String, Action> routes(List<String> rest) {
    return switch (rest.size()) {
      case 0 -> Map.of("GET", this::list, "POST", this::create);
      case 1 -> Map.of("GET", (a, c, ids) -> ApiJson.tunnel(service.get(a, ids.get(0))));
      case 2 -> switch (rest.get(1)) {
        case "archive" -> Map.of("POST", (a, c, ids) -> ApiJson.tunnel(service.archive(a, ids.get(0))));
        case "reveal_token" -> Map.of("POST", (a, c, ids) -> ApiJson.token(service.revealToken(a, ids.get(0))));
        case "rotate_token" -> Map.of("POST", this::rotate);
        case "certificates" -> Map.of("GET", this::listCertificates, "POST", this::registerCertificate);
        default -> Map.of();
      };
      case 3 -> rest.get(1).equals("certificates")
          ? Map.of("GET", (a, c, ids) -> ApiJson.certificate(service.getCertificate(a, ids.get(0), ids.get(1))))
          : Map.of();
      case 4 -> rest.get(1).equals("certificates") && rest.get(3).equals("archive")
          ? Map.of("POST", (a, c, ids) -> ApiJson.certificate(service.archiveCertificate(a, ids.get(0), ids.get(1))))
          : Map.of();
      default -> Map.of();
    };
  }

  private JsonNode create(Actor actor, HttpCall call, List<String> ids) {
    ObjectNode body = call.jsonObject(Set.of("display_name"));
    return ApiJson.tunnel(service.create(actor, HttpCall.optionalString(body, "display_name")));
  }

  private JsonNode list(Actor actor, HttpCall call, List<String> ids) {
    boolean includeArchived = bool(call.queryParameter("include_archived"), "include_archived");
    Integer limit = integer(call.queryParameter("limit"), "limit");
    Page<Tunnel> page = service.list(actor, includeArchived, limit, call.queryParameter("page"));
    return ApiJson.list(page.data(), page.nextPage(), ApiJson::tunnel);
  }

  private JsonNode rotate(Actor actor, HttpCall call, List<String> ids) {
    ObjectNode body = call.jsonObject(Set.of("reason", "sever_existing"));
    String reason = HttpCall.optionalString(body, "reason");
    boolean sever = HttpCall.optionalBoolean(body, "sever_existing");
    return ApiJson.token(service.rotateToken(actor, ids.get(0), reason, sever));
  }

  private JsonNode registerCertificate(Actor actor, HttpCall call, List<String> ids) {
    ObjectNode body = call.jsonObject(Set.of("ca_certificate_pem"));
    String pem = HttpCall.requiredString(body, "ca_certificate_pem");
    return ApiJson.certificate(service.registerCertificate(actor, ids.get(0), pem));
  }

  private JsonNode listCertificates(Actor actor, HttpCall call, List<String> ids) {
    return ApiJson.list(service.listCertificates(actor, ids.get(0)), Optional.empty(), ApiJson::certificate);
  }

  private static boolean bool(String value, String name) {
    if (value == null) {
      return false;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiError.invalid(name + ": " + value + " (expected: true or false)");
    };
  }

  private static Integer integer(String value, String name) {
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw ApiError.invalid(name + ": not an integer (expected: 1 to 1000)");
    }
  }
}
