package io.mcptunnel.controlplane.api;

import io.mcptunnel.controlplane.tunnels.TunnelApiException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's one handler: dispatches by path prefix and turns every failure into the
 * SPEC §4.1 error envelope. An unexpected exception is logged here with its stack and answered
 * with a plain 500, so no stack trace reaches a caller. {@code anthropic-version} and
 * {@code anthropic-beta} are accepted and ignored simply by never being read.
 */
final class ApiHandler extends Handler.Abstract {
  static final String HEALTH = "/healthz";
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private final TunnelRoutes tunnels;
  private final OAuthTokenEndpoint oauth;
  private final AdminRoutes admin;
  private final InternalRoutes internal;

  /** {@code admin} null: no admin API (a server whose federation directory is not in its database). */
  ApiHandler(TunnelRoutes tunnels, OAuthTokenEndpoint oauth, AdminRoutes admin, InternalRoutes internal) {
    this.internal = internal;
    this.tunnels = tunnels;
    this.oauth = oauth;
    this.admin = admin;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    HttpCall call = new HttpCall(request, response, callback);
    String path = call.path();
    boolean internalPath = path.equals(InternalRoutes.PREFIX) || path.startsWith(InternalRoutes.PREFIX + "/");
    // Token responses and everything internal (credentials, tunnel state) must never be cached.
    boolean noStore = path.equals(OAuthTokenEndpoint.PATH) || internalPath
        || path.startsWith(AdminRoutes.PREFIX + "/internal_clients");
    try {
      if (path.equals(HEALTH)) {
        health(call);
      } else if (internalPath) {
        internal.handle(call);
      } else if (path.equals(OAuthTokenEndpoint.PATH)) {
        oauth.handle(call);
      } else if (path.equals(TunnelRoutes.PREFIX) || path.startsWith(TunnelRoutes.PREFIX + "/")) {
        tunnels.handle(call);
      } else if (admin != null && (path.equals(AdminRoutes.PREFIX) || path.startsWith(AdminRoutes.PREFIX + "/"))) {
        admin.handle(call);
      } else {
        throw ApiError.notFound("no such path: " + path);
      }
    } catch (ApiError e) {
      call.sendError(e, noStore);
    } catch (TunnelApiException e) {
      call.sendError(ApiError.of(e), noStore);
    } catch (RuntimeException e) {
      LOG.error("request failed method={} path={}", request.getMethod(), path, e);
      call.sendError(new ApiError(500, ApiError.API_ERROR, "internal server error"), noStore);
    }
    return true;
  }

  private static void health(HttpCall call) {
    if (!call.method().equals("GET")) {
      call.allow("GET");
      throw new ApiError(405, ApiError.INVALID_REQUEST, call.method() + " not allowed on this path (expected: GET)");
    }
    call.send(200, ApiJson.MAPPER.createObjectNode().put("status", "ok"));
  }
}
