package io.mcptunnel.sample.oauth;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The RFC 9728 protected-resource metadata document this server publishes, unauthenticated. */
public final class ProtectedResourceMetadata {
  public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

  private ProtectedResourceMetadata() {}

  /**
   * {@code {"resource":…,"authorization_servers":[…],"scopes_supported":[…],"bearer_methods_supported":["header"]}},
   * in that order. Only the header method: MCP forbids tokens in the query string.
   */
  public static String json(OAuthResourceConfig config) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("resource", config.resource().toString());
    doc.put("authorization_servers", config.issuers());
    doc.put("scopes_supported", config.requiredScopes());
    doc.put("bearer_methods_supported", List.of("header"));
    return JSONObjectUtils.toJSONString(doc);
  }
}
