package io.mcptunnel.sample.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the sample server needs to act as an OAuth resource server.
 *
 * @param resource the PUBLIC URL of the MCP endpoint (behind a tunnel: {@code https://<route>.<tunnel-domain>/mcp});
 *     tokens must name it in {@code aud} and the metadata document publishes it
 * @param issuers the authorization servers whose tokens are accepted ({@code iss}); the first is advertised first
 * @param jwksUrl where the issuers' signing keys are fetched (cached)
 * @param requiredScopes every one of them must be granted, else 403 insufficient_scope
 * @param algorithms accepted JWS algorithms, asymmetric only
 * @param clockSkew tolerance for {@code exp} and {@code nbf}
 */
public record OAuthResourceConfig(URI resource, List<String> issuers, URI jwksUrl, List<String> requiredScopes,
    Set<JWSAlgorithm> algorithms, Duration clockSkew) {
  public static final List<String> DEFAULT_SCOPES = List.of("mcp:tools");
  public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.EdDSA);
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  public OAuthResourceConfig {
    issuers = List.copyOf(issuers);
    requiredScopes = List.copyOf(requiredScopes);
    algorithms = Set.copyOf(algorithms);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where the metadata for {@link #resource} lives (RFC 9728 §3.1): the well-known segment before the path. */
  public URI metadataUrl() {
    return URI.create(origin(resource) + ProtectedResourceMetadata.WELL_KNOWN + pathOf(resource));
  }

  /** The metadata path this server answers for its resource, e.g. {@code /.well-known/oauth-protected-resource/mcp}. */
  public String metadataPath() {
    return ProtectedResourceMetadata.WELL_KNOWN + pathOf(resource);
  }

  private static String origin(URI u) {
    return u.getScheme() + "://" + u.getRawAuthority();
  }

  private static String pathOf(URI u) {
    String p = u.getRawPath();
    return p == null || p.equals("/") ? "" : p;
  }

  /** Collects the settings; {@link #build()} validates them all in one place. */
  public static final class Builder {
    private String resource;
    private final List<String> issuers = new ArrayList<>();
    private String jwksUrl;
    private final List<String> scopes = new ArrayList<>();
    private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;

    private Builder() {}

    public Builder resource(String url) {
      this.resource = url;
      return this;
    }

    public Builder issuer(String url) {
      issuers.add(url);
      return this;
    }

    public Builder jwksUrl(String url) {
      this.jwksUrl = url;
      return this;
    }

    public Builder requiredScope(String scope) {
      scopes.add(scope);
      return this;
    }

    public Builder algorithms(Set<JWSAlgorithm> algs) {
      this.algorithms = algs;
      return this;
    }

    public Builder clockSkew(Duration skew) {
      this.clockSkew = skew;
      return this;
    }

    /** @throws IllegalArgumentException naming the setting and the expected form */
    public OAuthResourceConfig build() {
      URI res = httpUrl("resource", resource);
      if (res.getRawQuery() != null) {
        throw new IllegalArgumentException("resource: " + resource + " (expected: no query part, RFC 8707 §2)");
      }
      if (issuers.isEmpty()) {
        throw new IllegalArgumentException("issuer: none (expected: at least one authorization server URL)");
      }
      for (String iss : issuers) {
        httpUrl("issuer", iss);
      }
      URI jwks = httpUrl("jwks_url", jwksUrl);
      List<String> required = scopes.isEmpty() ? DEFAULT_SCOPES : scopes;
      for (String s : required) {
        if (s == null || !s.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
          throw new IllegalArgumentException("scope: " + s + " (expected: a scope token, RFC 6749 §3.3)");
        }
      }
      if (algorithms.isEmpty()) {
        throw new IllegalArgumentException("algorithms: none (expected: at least one asymmetric JWS algorithm)");
      }
      for (JWSAlgorithm alg : algorithms) {
        if (!isAsymmetric(alg)) {
          throw new IllegalArgumentException("algorithms: " + alg
              + " (expected: an asymmetric JWS algorithm such as RS256, PS256, ES256, EdDSA)");
        }
      }
      if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
        throw new IllegalArgumentException("clock_skew: " + clockSkew + " (expected: 0 to 5 minutes)");
      }
      return new OAuthResourceConfig(res, List.copyOf(new LinkedHashSet<>(issuers)), jwks,
          List.copyOf(new LinkedHashSet<>(required)), algorithms, clockSkew);
    }

    static boolean isAsymmetric(JWSAlgorithm alg) {
      return JWSAlgorithm.Family.RSA.contains(alg) || JWSAlgorithm.Family.EC.contains(alg)
          || JWSAlgorithm.Family.ED.contains(alg);
    }

    private static URI httpUrl(String name, String value) {
      String expected = " (expected: an absolute http or https URL without fragment)";
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + ": missing" + expected);
      }
      URI u;
      try {
        u = new URI(value);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(name + ": " + value + expected);
      }
      String scheme = u.getScheme();
      if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || u.getRawAuthority() == null
          || u.getHost() == null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
        throw new IllegalArgumentException(name + ": " + value + expected);
      }
      return u;
    }
  }
}
