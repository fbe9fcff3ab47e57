package io.mcptunnel.controlplane.api;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself (unparseable requests, oversized headers, bad URIs) in the same
 * envelope as ours, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 ? response.getStatus() : 500;
    Object attribute = request.getAttribute(ERROR_STATUS);
    if (attribute instanceof Integer s) {
      status = s;
    }
    String type = status == 404 ? ApiError.NOT_FOUND : status >= 500 ? ApiError.API_ERROR : ApiError.INVALID_REQUEST;
    String reason = HttpStatus.getMessage(status);
    new HttpCall(request, response, callback).sendError(new ApiError(status, type, reason == null ? "error" : reason));
    return true;
  }
}
