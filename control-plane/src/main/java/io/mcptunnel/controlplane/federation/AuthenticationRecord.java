package io.mcptunnel.controlplane.federation;

import java.time.Instant;

/**
 * One token-exchange attempt as an organization's admins see it. {@code issuer} and
 * {@code subject} are the token's {@code iss} and {@code sub} when it could be parsed (unverified
 * if the failure came before the signature check), bounded in length. {@code cause} is null for a
 * success. Never holds the assertion or any other credential.
 */
public record AuthenticationRecord(
    String organizationId, Instant time, String ruleId, String issuer, String subject,
    FailureCause cause, String detail) {

  public boolean succeeded() {
    return cause == null;
  }
}
