package io.mcptunnel.setup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What setup exchanges for an access token (SPEC §4.2), from the compatible environment variables:
 * {@code ANTHROPIC_FEDERATION_RULE_ID}, {@code ANTHROPIC_ORGANIZATION_ID}, optional
 * {@code ANTHROPIC_WORKSPACE_ID}, and exactly one of {@code ANTHROPIC_IDENTITY_TOKEN_FILE} /
 * {@code ANTHROPIC_IDENTITY_TOKEN}.
 */
public record FederationCredentials(
    String federationRuleId, String organizationId, String workspaceId, String identityToken) {
  public static final String RULE_ID = "ANTHROPIC_FEDERATION_RULE_ID";
  public static final String ORGANIZATION_ID = "ANTHROPIC_ORGANIZATION_ID";
  public static final String WORKSPACE_ID = "ANTHROPIC_WORKSPACE_ID";
  public static final String TOKEN_FILE = "ANTHROPIC_IDENTITY_TOKEN_FILE";
  public static final String TOKEN = "ANTHROPIC_IDENTITY_TOKEN";

  /** Reads and checks the variables; the token file is read now (the JWT is never printed). */
  public static FederationCredentials fromEnvironment(Function<String, String> env) {
    String rule = required(env, RULE_ID);
    String org = required(env, ORGANIZATION_ID);
    String file = blankToNull(env.apply(TOKEN_FILE));
    String inline = blankToNull(env.apply(TOKEN));
    if (file != null && inline != null) {
      throw new SetupException("set exactly one of " + TOKEN_FILE + " and " + TOKEN + ", not both");
    }
    if (file == null && inline == null) {
      throw new SetupException("set exactly one of " + TOKEN_FILE + " (a file holding the workload's"
          + " identity token) and " + TOKEN + " (the token itself); neither is set");
    }
    String token = inline != null ? inline.trim() : readToken(Path.of(file));
    return new FederationCredentials(rule, org, blankToNull(env.apply(WORKSPACE_ID)), token);
  }

  private static String readToken(Path file) {
    try {
      String token = Files.readString(file).trim();
      if (token.isEmpty()) {
        throw new SetupException(TOKEN_FILE + ": " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new SetupException(TOKEN_FILE + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String required(Function<String, String> env, String name) {
    String value = blankToNull(env.apply(name));
    if (value == null) {
      throw new SetupException(name + " is not set (needed for the token exchange)");
    }
    return value.trim();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Never shows the identity token. */
  @Override
  public String toString() {
    return "FederationCredentials[rule=" + federationRuleId + ", organization=" + organizationId
        + ", workspace=" + workspaceId + ", identityToken=<redacted>]";
  }
}
