package io.mcptunnel.sample.oauth;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Serves {@link ProtectedResourceMetadata} for GET; open to anyone, as RFC 9728 intends. */
public final class ProtectedResourceMetadataServlet extends HttpServlet {
  private final byte[] document;

  public ProtectedResourceMetadataServlet(OAuthResourceConfig config) {
    this.document = ProtectedResourceMetadata.json(config).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setStatus(200);
    resp.setContentType("application/json");
    // Browser-based MCP clients fetch this cross-origin; it holds nothing secret.
    resp.setHeader("Access-Control-Allow-Origin", "*");
    resp.setContentLength(document.length);
    resp.getOutputStream().write(document);
  }
}
