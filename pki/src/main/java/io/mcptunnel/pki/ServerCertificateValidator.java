package io.mcptunnel.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The server-certificate rules of SPEC §4.1, shared by setup, {@code mcptunnel audit} and the
 * caller's handshake check so all three agree on what a usable proxy certificate is.
 */
public final class ServerCertificateValidator {
  private static final int SAN_DNS_NAME = 2;
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  /** The failure when no registered CA issued the certificate (e.g. it comes from a CA registered since). */
  public static final String NOT_SIGNED_BY_REGISTERED_CA = "not signed by any registered CA";

  private ServerCertificateValidator() {}

  /**
   * @param requiredHost the name the caller dials, e.g. {@code echo.abc.example}; null skips the
   *     host rule (setup checks a certificate before any route exists)
   */
  public static ValidationResult validate(
      X509Certificate server,
      List<X509Certificate> registeredCas,
      String requiredHost,
      Instant now) {
    Optional<X509Certificate> issuer = directIssuer(server, registeredCas);
    if (issuer.isEmpty()) {
      return ValidationResult.failed(NOT_SIGNED_BY_REGISTERED_CA);
    }
    return firstFailure(server, issuer.get(), requiredHost, now)
        .map(ValidationResult::failed)
        .orElseGet(() -> ValidationResult.ok(server));
  }

  /** No chain building: the issuer must be a registered CA itself, by name and by signature. */
  private static Optional<X509Certificate> directIssuer(
      X509Certificate server, List<X509Certificate> registeredCas) {
    return registeredCas.stream()
        .filter(ca -> ca.getSubjectX500Principal().equals(server.getIssuerX500Principal()))
        .filter(ca -> verifies(server, ca))
        .findFirst();
  }

  private static boolean verifies(X509Certificate server, X509Certificate ca) {
    try {
      server.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static Optional<String> firstFailure(
      X509Certificate server, X509Certificate ca, String requiredHost, Instant now) {
    byte[] authorityKeyId = CertificateExtensions.authorityKeyIdentifier(server);
    if (authorityKeyId == null) {
      return Optional.of("authorityKeyIdentifier extension is required");
    }
    if (!Arrays.equals(authorityKeyId, CertificateExtensions.subjectKeyIdentifier(ca))) {
      return Optional.of("authorityKeyIdentifier does not match the CA's subjectKeyIdentifier");
    }
    if (requiredHost != null && !sanCovers(server, requiredHost)) {
      return Optional.of("SAN does not cover " + requiredHost);
    }
    if (!allowsServerAuth(server)) {
      return Optional.of("extendedKeyUsage lacks serverAuth");
    }
    return CommonRules.validity(server, now)
        .or(() -> CommonRules.keyStrength(server))
        .or(() -> CommonRules.signatureStrength(server));
  }

  private static boolean sanCovers(X509Certificate server, String host) {
    Collection<List<?>> names;
    try {
      names = server.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (names == null) {
      return false;
    }
    return names.stream()
        .filter(entry -> Integer.valueOf(SAN_DNS_NAME).equals(entry.get(0)))
        .anyMatch(entry -> HostNames.covers((String) entry.get(1), host));
  }

  /** Absent EKU means unrestricted; anyExtendedKeyUsage counts too, as in Go's verifier. */
  private static boolean allowsServerAuth(X509Certificate server) {
    List<String> usages;
    try {
      usages = server.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return false;
    }
    return usages == null
        || usages.contains(CertificateIssuer.SERVER_AUTH)
        || usages.contains(ANY_EXTENDED_KEY_USAGE);
  }
}
