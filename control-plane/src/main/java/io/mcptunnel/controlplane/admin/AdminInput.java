package io.mcptunnel.controlplane.admin;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.mcptunnel.controlplane.federation.FederationConfigException;
import io.mcptunnel.controlplane.federation.FederationIssuer;
import io.mcptunnel.controlplane.federation.FederationRule;
import io.mcptunnel.controlplane.federation.JwksSource;
import io.mcptunnel.controlplane.tunnels.ErrorKind;
import io.mcptunnel.controlplane.tunnels.TunnelApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;

/**
 * Turns admin input into validated values. Issuers and rules are validated by their own records;
 * this only adapts the input and turns their {@link FederationConfigException} into a 400 that
 * names the field. Messages never echo a JWKS document (it could be pasted private key material).
 */
final class AdminInput {
  static final int MAX_DISPLAY_NAME = 256;
  static final int MAX_REASON = 1024;
  static final int MAX_TUNNEL_LIMIT = 100_000;
  static final int DEFAULT_HISTORY_LIMIT = 20;
  static final int MAX_HISTORY_LIMIT = 1000;

  private AdminInput() {}

  static TunnelApiException invalid(String message) {
    return new TunnelApiException(ErrorKind.INVALID_REQUEST, message);
  }

  static String displayName(String value) {
    if (value != null && (value.isBlank() || value.length() > MAX_DISPLAY_NAME)) {
      throw invalid("display_name: (expected: absent, or 1-" + MAX_DISPLAY_NAME + " characters, not blank)");
    }
    return value;
  }

  static String reason(String value) {
    if (value != null && value.length() > MAX_REASON) {
      throw invalid("reason: " + value.length() + " characters (expected: at most " + MAX_REASON + ")");
    }
    return value;
  }

  static Integer maxActiveTunnels(Integer value) {
    if (value != null && (value < 1 || value > MAX_TUNNEL_LIMIT)) {
      throw invalid("max_active_tunnels: " + value + " (expected: absent for the server default, or 1-"
          + MAX_TUNNEL_LIMIT + ")");
    }
    return value;
  }

  static int historyLimit(Integer value) {
    if (value == null) {
      return DEFAULT_HISTORY_LIMIT;
    }
    if (value < 1 || value > MAX_HISTORY_LIMIT) {
      throw invalid("limit: " + value + " (expected: 1-" + MAX_HISTORY_LIMIT + ")");
    }
    return value;
  }

  static FederationIssuer issuer(String id, String organizationId, IssuerInput in) {
    if (in == null) {
      throw invalid("issuer: missing");
    }
    try {
      return new FederationIssuer(id, organizationId, uri("issuer_url", in.issuerUrl()), jwks(in));
    } catch (FederationConfigException e) {
      throw invalid(e.getMessage());
    }
  }

  static FederationRule rule(String id, String organizationId, RuleInput in) {
    if (in == null) {
      throw invalid("rule: missing");
    }
    try {
      return FederationRule.of(id, organizationId, in.issuerId(),
          new FederationRule.Match(in.subjectPrefix(), in.audience(), in.claims()),
          in.serviceAccountId(), in.workspaceId(), in.scope(), in.tokenLifetimeSeconds());
    } catch (FederationConfigException e) {
      throw invalid(e.getMessage());
    }
  }

  private static JwksSource jwks(IssuerInput in) {
    String kind = in.jwksSource() == null ? "discovery" : in.jwksSource();
    boolean explicit = "explicit_url".equals(kind);
    boolean inline = "inline".equals(kind);
    if (!explicit && !inline && !"discovery".equals(kind)) {
      throw invalid("jwks_source: " + kind + " (expected: discovery, explicit_url or inline)");
    }
    // One source only: a stray field would suggest keys are taken from where they are not.
    if (!explicit && in.jwksUrl() != null) {
      throw invalid("jwks_url: only allowed with jwks_source explicit_url");
    }
    if (!inline && in.jwksJson() != null) {
      throw invalid("jwks: only allowed with jwks_source inline");
    }
    if (explicit) {
      return new JwksSource.ExplicitUrl(uri("jwks_url", in.jwksUrl()));
    }
    return inline ? new JwksSource.Inline(publicJwks(in.jwksJson())) : JwksSource.discovery();
  }

  /** An inline JWKS must parse and hold public keys only: a stored private key would be a leaked secret. */
  private static String publicJwks(String json) {
    if (json == null || json.isBlank()) {
      throw invalid("jwks: missing (expected: a JWKS JSON document)");
    }
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw invalid("jwks: not a JWKS document (expected: {\"keys\": [...]})");
    }
    if (set.getKeys().isEmpty()) {
      throw invalid("jwks: no keys (expected: at least one public key)");
    }
    for (JWK key : set.getKeys()) {
      if (key.isPrivate() || key.getKeyType().getValue().equals("oct")) {
        throw invalid("jwks: contains private or symmetric key material (expected: public keys only)");
      }
    }
    return json;
  }

  private static URI uri(String field, String value) {
    if (value == null) {
      return null; // the record names the missing field
    }
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw invalid(field + ": " + value + " (expected: an absolute https URL)");
    }
  }
}
