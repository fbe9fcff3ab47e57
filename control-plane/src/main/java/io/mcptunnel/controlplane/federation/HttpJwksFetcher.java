package io.mcptunnel.controlplane.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;

/**
 * Fetches JWKS over HTTP: via OIDC discovery ({@code jwks_uri} of
 * {@code /.well-known/openid-configuration}), from an explicit URL, or parses the inline document.
 * Every URL passes {@link IssuerUrlPolicy}; redirects are not followed (a redirect could lead past
 * the policy); bodies are capped; only public keys are kept.
 */
public final class HttpJwksFetcher implements JwksFetcher {
  static final int MAX_BODY_BYTES = 256 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final IssuerUrlPolicy policy;
  private final HttpClient http;

  public HttpJwksFetcher(IssuerUrlPolicy policy) {
    this.policy = policy;
    this.http = HttpClient.newBuilder()
        .connectTimeout(TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public JWKSet fetch(FederationIssuer issuer) {
    JwksSource source = issuer.jwks();
    if (source instanceof JwksSource.Inline inline) {
      return parseJwks(inline.jwksJson(), "inline jwks");
    }
    URI jwksUri = source instanceof JwksSource.ExplicitUrl explicit ? explicit.url() : discover(issuer);
    return parseJwks(get(jwksUri), "jwks from " + jwksUri);
  }

  private URI discover(FederationIssuer issuer) {
    String base = issuer.issuer().endsWith("/")
        ? issuer.issuer().substring(0, issuer.issuer().length() - 1) : issuer.issuer();
    URI discovery = URI.create(base + "/.well-known/openid-configuration");
    JsonNode doc;
    try {
      doc = JSON.readTree(get(discovery));
    } catch (IOException e) {
      throw new JwksUnavailableException("discovery document at " + discovery + " is not JSON");
    }
    // OIDC Discovery §4.3: the document must name exactly the issuer we asked for.
    if (!issuer.issuer().equals(doc.path("issuer").asText(null))) {
      throw new JwksUnavailableException("discovery document at " + discovery + " names issuer "
          + Details.quote(doc.path("issuer").asText(null)) + ", not " + Details.quote(issuer.issuer()));
    }
    String jwksUri = doc.path("jwks_uri").asText(null);
    if (jwksUri == null) {
      throw new JwksUnavailableException("discovery document at " + discovery + " has no jwks_uri");
    }
    try {
      return new URI(jwksUri);
    } catch (java.net.URISyntaxException e) {
      throw new JwksUnavailableException("jwks_uri " + Details.quote(jwksUri) + " is not a URI");
    }
  }

  private String get(URI url) {
    policy.refusal(url).ifPresent(why -> {
      throw new JwksUnavailableException(why);
    });
    HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
        .header("Accept", "application/json").GET().build();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new JwksUnavailableException("GET " + url + " answered " + response.statusCode());
        }
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
          throw new JwksUnavailableException("GET " + url + " answered more than " + MAX_BODY_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new JwksUnavailableException("GET " + url + " failed: " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JwksUnavailableException("GET " + url + " interrupted", e);
    }
  }

  private static JWKSet parseJwks(String json, String what) {
    try {
      // toPublicJWKSet drops private parts and symmetric keys an admin may have pasted by mistake.
      return JWKSet.parse(json).toPublicJWKSet();
    } catch (ParseException e) {
      throw new JwksUnavailableException(what + " is not a JWKS document");
    }
  }
}
