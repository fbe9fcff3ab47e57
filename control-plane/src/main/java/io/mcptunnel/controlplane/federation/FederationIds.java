package io.mcptunnel.controlplane.federation;

import java.util.regex.Pattern;

/**
 * Syntax of federation rule ids: {@code fdrl_} then 1–64 ASCII letters or digits. A request whose
 * rule id does not have this shape is malformed (400) rather than an authentication failure.
 */
public final class FederationIds {
  public static final String RULE_PREFIX = "fdrl_";
  private static final Pattern RULE_ID = Pattern.compile("fdrl_[A-Za-z0-9]{1,64}");

  private FederationIds() {}

  public static boolean isRuleId(String id) {
    return id != null && RULE_ID.matcher(id).matches();
  }
}
