package io.mcptunnel.sample.oauth;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets an MCP request through only with a valid bearer token in the {@code Authorization} header
 * (the only method MCP allows). Refusals carry the exact challenge from {@link BearerChallenge} and
 * a small JSON body; the accepted subject is left in the request attribute {@link #SUBJECT}.
 */
public final class BearerAuthFilter implements Filter {
  public static final String SUBJECT = "io.mcptunnel.sample.oauth.subject";
  private static final Logger LOG = LoggerFactory.getLogger(BearerAuthFilter.class);

  private final OAuthResourceConfig config;
  private final AccessTokenVerifier verifier;

  public BearerAuthFilter(OAuthResourceConfig config, AccessTokenVerifier verifier) {
    this.config = config;
    this.verifier = verifier;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) resp;
    String token = bearerToken(request.getHeader("Authorization"));
    if (token == null) {
      LOG.info("oauth request refused reason=no_token method={}", request.getMethod());
      refuse(response, 401, BearerChallenge.missingToken(config), "unauthorized", "a bearer token is required");
      return;
    }
    TokenVerdict verdict = verifier.verify(token);
    if (verdict instanceof TokenVerdict.Accepted ok) {
      request.setAttribute(SUBJECT, ok.subject());
      chain.doFilter(req, resp);
    } else if (verdict instanceof TokenVerdict.Rejected r) {
      LOG.info("oauth request refused reason={}", r.reason().key());
      refuse(response, 401, BearerChallenge.invalidToken(config, r.reason()), "invalid_token",
          r.reason().description());
    } else if (verdict instanceof TokenVerdict.InsufficientScope s) {
      LOG.info("oauth request refused reason=insufficient_scope sub={} missing={}", s.subject(), s.missing());
      refuse(response, 403, BearerChallenge.insufficientScope(config), "insufficient_scope",
          "the token lacks a required scope");
    } else {
      LOG.warn("oauth request refused reason=keys_unavailable jwks_url={}", config.jwksUrl());
      refuse(response, 503, null, "temporarily_unavailable", "the authorization server's keys cannot be fetched");
    }
  }

  /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), else null. */
  static String bearerToken(String header) {
    if (header == null || header.length() < 7 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  private static void refuse(HttpServletResponse response, int status, String challenge, String error,
      String description) throws IOException {
    response.setStatus(status);
    if (challenge != null) {
      response.setHeader("WWW-Authenticate", challenge);
    }
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    byte[] body = ("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
