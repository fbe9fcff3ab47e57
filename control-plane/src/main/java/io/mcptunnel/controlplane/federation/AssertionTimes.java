package io.mcptunnel.controlplane.federation;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * {@code exp} (required), {@code nbf} and {@code iat} (checked when present) against the current
 * time, allowing {@link #SKEW} either way because the issuer's clock is not ours.
 */
final class AssertionTimes {
  static final Duration SKEW = Duration.ofSeconds(30);

  private AssertionTimes() {}

  static Optional<Rejection> check(Date exp, Date nbf, Date iat, Instant now) {
    if (exp == null) {
      return Optional.of(Rejection.of(FailureCause.MISSING_EXPIRY, "exp: absent"));
    }
    // RFC 7519: the current time must be before exp; with skew, before exp + 30 s.
    if (!now.isBefore(exp.toInstant().plus(SKEW))) {
      return Optional.of(Rejection.of(FailureCause.EXPIRED, "exp " + exp.toInstant() + " is "
          + Duration.between(exp.toInstant(), now).toSeconds() + " s before now " + now + " (skew 30 s)"));
    }
    if (nbf != null && now.plus(SKEW).isBefore(nbf.toInstant())) {
      return Optional.of(Rejection.of(FailureCause.NOT_YET_VALID,
          "nbf " + nbf.toInstant() + " is after now " + now + " (skew 30 s)"));
    }
    if (iat != null && now.plus(SKEW).isBefore(iat.toInstant())) {
      return Optional.of(Rejection.of(FailureCause.ISSUED_IN_FUTURE,
          "iat " + iat.toInstant() + " is after now " + now + " (skew 30 s)"));
    }
    return Optional.empty();
  }
}
