package io.mcptunnel.pki;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of a certificate rule check: either valid (with the parsed certificate when the check
 * started from text) or the first rule that failed, phrased for an API error or a log line.
 */
public record ValidationResult(
    boolean valid, String failure, Optional<X509Certificate> certificate) {

  public ValidationResult {
    Objects.requireNonNull(certificate, "certificate");
    if (valid != (failure == null)) {
      throw new IllegalArgumentException("a result is valid exactly when it names no failure");
    }
  }

  public ValidationResult(boolean valid, String failure) {
    this(valid, failure, Optional.empty());
  }

  public static ValidationResult ok() {
    return new ValidationResult(true, null);
  }

  public static ValidationResult ok(X509Certificate certificate) {
    return new ValidationResult(true, null, Optional.of(certificate));
  }

  public static ValidationResult failed(String failure) {
    return new ValidationResult(false, Objects.requireNonNull(failure, "failure"));
  }

  /** Short form; the certificate's own toString is a page long. */
  @Override
  public String toString() {
    return valid ? "valid" : "invalid: " + failure;
  }
}
