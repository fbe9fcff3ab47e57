package io.mcptunnel.controlplane.federation;

import java.net.URI;
import java.util.Objects;

/**
 * An identity provider an organization trusts. {@code issuerUrl} is compared character for
 * character with the {@code iss} claim, as OIDC requires. Whether plain http is acceptable is
 * decided at fetch time by {@link IssuerUrlPolicy}, not here.
 */
public record FederationIssuer(String id, String organizationId, URI issuerUrl, JwksSource jwks) {

  public FederationIssuer {
    FederationRule.requireText("id", id);
    FederationRule.requireText("organization_id", organizationId);
    requireHttpUrl("issuer_url", issuerUrl);
    Objects.requireNonNull(jwks, "jwks");
  }

  /** The exact string an {@code iss} claim must equal. */
  public String issuer() {
    return issuerUrl.toString();
  }

  static void requireHttpUrl(String field, URI url) {
    if (url == null) {
      throw new FederationConfigException(field + ": missing (expected: an absolute https URL)");
    }
    String scheme = url.getScheme();
    if (!url.isAbsolute()
        || !("https".equals(scheme) || "http".equals(scheme))
        || url.getHost() == null
        || url.getRawUserInfo() != null
        || url.getRawQuery() != null
        || url.getRawFragment() != null) {
      throw new FederationConfigException(
          field + ": " + url + " (expected: an absolute https URL without user info, query or fragment)");
    }
  }
}
