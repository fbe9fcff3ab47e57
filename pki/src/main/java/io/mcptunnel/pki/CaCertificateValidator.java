package io.mcptunnel.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The CA-certificate rules of SPEC §4.1, applied to the {@code ca_certificate_pem} of a
 * registration request. Rules are checked in the order the spec lists them and the first failure is
 * reported, so a 400 names exactly one thing to fix.
 */
public final class CaCertificateValidator {
  static final int MAX_PEM_BYTES = 8192;

  // Matched on the raw text rather than on known block types so that every key format counts
  // (PKCS#8, PKCS#1, SEC1, encrypted, OpenSSH): a registered CA must never carry its key.
  private static final Pattern PRIVATE_KEY_BLOCK = Pattern.compile("-----BEGIN [^-]*PRIVATE KEY");

  private CaCertificateValidator() {}

  public static ValidationResult validatePem(String pem, Instant now) {
    List<PemObject> blocks;
    try {
      blocks = pem == null ? List.of() : PemFiles.blocks(pem);
    } catch (IOException | RuntimeException e) {
      blocks = List.of(); // broken armour or base64: not PEM as far as the rules go
    }
    if (blocks.isEmpty()) {
      return ValidationResult.failed("certificate must be PEM-encoded");
    }
    List<PemObject> certificates =
        blocks.stream().filter(b -> "CERTIFICATE".equals(b.getType())).toList();
    if (certificates.size() != 1) {
      return ValidationResult.failed(
          "exactly one certificate expected, found " + certificates.size());
    }
    if (PRIVATE_KEY_BLOCK.matcher(pem).find()) {
      return ValidationResult.failed("PEM must not contain private key material");
    }
    if (pem.getBytes(StandardCharsets.UTF_8).length > MAX_PEM_BYTES) {
      return ValidationResult.failed("certificate PEM exceeds " + MAX_PEM_BYTES + " bytes");
    }
    X509Certificate certificate;
    try {
      certificate = PemFiles.parseDer(certificates.get(0).getContent(), "certificate");
    } catch (PkiException e) {
      return ValidationResult.failed(
          "CERTIFICATE block is not a valid X.509 certificate: " + PemFiles.reason(e.getCause()));
    }
    return firstFailure(certificate, now)
        .map(ValidationResult::failed)
        .orElseGet(() -> ValidationResult.ok(certificate));
  }

  private static Optional<String> firstFailure(X509Certificate certificate, Instant now) {
    boolean basicConstraintsCritical =
        certificate.getCriticalExtensionOIDs() != null
            && certificate.getCriticalExtensionOIDs().contains(Extension.basicConstraints.getId());
    // getBasicConstraints() is -1 both when the extension is absent and when CA is FALSE.
    if (!basicConstraintsCritical || certificate.getBasicConstraints() < 0) {
      return Optional.of("basicConstraints must be critical with CA:TRUE");
    }
    if (CertificateExtensions.subjectKeyIdentifier(certificate) == null) {
      return Optional.of("subjectKeyIdentifier extension is required");
    }
    boolean[] keyUsage = certificate.getKeyUsage();
    if (keyUsage == null || keyUsage.length <= 5 || !keyUsage[5]) {
      return Optional.of("keyUsage must include keyCertSign");
    }
    return CommonRules.validity(certificate, now)
        .or(() -> CommonRules.keyStrength(certificate))
        .or(() -> CommonRules.signatureStrength(certificate));
  }
}
