package io.mcptunnel.controlplane.admin;

import io.mcptunnel.controlplane.federation.FederationIds;
import java.security.SecureRandom;

/** Random ids with the type prefixes of the admin objects. */
final class AdminIds {
  static final String ORGANIZATION = "org_";
  static final String WORKSPACE = "wrkspc_";
  static final String SERVICE_ACCOUNT = "svac_";
  static final String ISSUER = "fdis_";
  static final String RULE = FederationIds.RULE_PREFIX;

  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private AdminIds() {}

  static String newId(String prefix) {
    StringBuilder out = new StringBuilder(prefix);
    for (int i = 0; i < 24; i++) {
      out.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    return out.toString();
  }
}
