package io.mcptunnel.ops.audit;

import io.mcptunnel.pki.ServerCertificateValidator;
import io.mcptunnel.pki.ValidationResult;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy's server certificate: validity left (renew-cert should keep it above {@code --cert-warn})
 * and the SPEC §4.1 rules against the tunnel's CA, for every name callers dial.
 */
final class CertificateCheck {
  static final String EXPIRED = "cert-expired";
  static final String EXPIRING = "cert-expiring";
  static final String INVALID = "cert-invalid";
  static final String UNREADABLE = "cert-unreadable";

  private CertificateCheck() {}

  /**
   * @param cas the tunnel's CA certificates; empty skips the rules check (no ca.crt given)
   * @param hosts the public names the certificate must cover
   */
  static List<Finding> findings(String file, X509Certificate cert, List<X509Certificate> cas, List<String> hosts,
      Instant now, Duration warn) {
    Instant notAfter = cert.getNotAfter().toInstant();
    Duration left = Duration.between(now, notAfter);
    if (left.isNegative() || left.isZero()) {
      return List.of(new Finding(EXPIRED, Severity.CRITICAL, file,
          "expired " + left.negated().toDays() + " days ago (not after " + notAfter + ")",
          "mcptunnel setup renew-cert (schedule it daily: the Helm CronJob or a timer)"));
    }
    List<Finding> out = new ArrayList<>();
    if (left.compareTo(warn) < 0) {
      out.add(new Finding(EXPIRING, Severity.MEDIUM, file,
          left.toDays() + " days of validity left (not after " + notAfter + "), less than " + warn.toHours()
              + "h: renew-cert should have run",
          "mcptunnel setup renew-cert (schedule it daily: the Helm CronJob or a timer)"));
    }
    if (!cas.isEmpty()) {
      for (String host : hosts.isEmpty() ? java.util.Collections.<String>singletonList(null) : hosts) {
        ValidationResult v = ServerCertificateValidator.validate(cert, cas, host, now);
        if (!v.valid()) {
          out.add(new Finding(INVALID, Severity.HIGH, file,
              "fails the server-certificate rule: " + v.failure() + (host == null ? "" : " (checked for " + host + ")"),
              "issue a new server certificate from the tunnel's CA: mcptunnel setup renew-cert"));
          break;
        }
      }
    }
    return out;
  }
}
