package io.mcptunnel.ops.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Credential rotation: the tunnel token file's age. */
final class TokenAgeCheck {
  static final String ID = "token-old";

  private TokenAgeCheck() {}

  static List<Finding> findings(String file, Instant modified, Instant now, Duration maxAge) {
    Duration age = Duration.between(modified, now);
    if (age.compareTo(maxAge) <= 0) {
      return List.of();
    }
    return List.of(new Finding(ID, Severity.MEDIUM, file,
        "tunnel token is " + age.toDays() + " days old (written " + modified + "), older than " + maxAge.toHours() + "h",
        "rotate it: mcptunnel setup init --token-version <new version>"));
  }
}
