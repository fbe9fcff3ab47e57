package io.mcptunnel.controlplane.federation;

/**
 * The form fields of {@code POST /v1/oauth/token}, unvalidated. {@code workspaceId} may be null.
 * {@link #toString()} leaves the assertion out so a logged request never carries a credential.
 */
public record ExchangeRequest(
    String grantType, String assertion, String federationRuleId, String organizationId, String workspaceId) {

  public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  @Override
  public String toString() {
    return "ExchangeRequest[grantType=" + grantType + ", assertion=<"
        + (assertion == null ? "absent" : assertion.length() + " chars") + ">, federationRuleId="
        + federationRuleId + ", organizationId=" + organizationId + ", workspaceId=" + workspaceId + "]";
  }
}
