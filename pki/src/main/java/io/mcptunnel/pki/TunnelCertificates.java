package io.mcptunnel.pki;

import io.mcptunnel.common.GoDuration;
import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that makes a tunnel's CA and server certificate the way SPEC §5 wants them, checks
 * them against the SPEC §4.1 rules before anyone sees them, and writes them to disk. Used by {@code
 * mcptunnel pki} (manual flow) and by setup (ECDSA P-256 CA for 5 years, RSA-4096 server
 * certificate for 90 days: the defaults below).
 *
 * <pre>{@code
 * IssuedCertificate ca = TunnelCertificates.newCa("tunnel CA", KeyType.ECDSA_P256, CA_VALIDITY);
 * IssuedCertificate tls = TunnelCertificates.newServerCertificate(
 *     ca, "abc12345.tunnels.example", List.of(), KeyType.RSA_4096, SERVER_VALIDITY);
 * TunnelCertificates.write(tls, dir.resolve("tls.crt"), dir.resolve("tls.key"), false);
 * }</pre>
 */
public final class TunnelCertificates {
  /** SPEC §5: the CA setup generates. */
  public static final KeyType CA_KEY_TYPE = KeyType.ECDSA_P256;

  /** SPEC §5: five years ({@code 43800h}). */
  public static final Duration CA_VALIDITY = Duration.ofHours(43800);

  /** SPEC §5: the server key setup generates. */
  public static final KeyType SERVER_KEY_TYPE = KeyType.RSA_4096;

  /** SPEC §5: 90 days ({@code 2160h}), the default of {@code --cert-duration}. */
  public static final Duration SERVER_VALIDITY = Duration.ofHours(2160);

  // A DNS name in presentation form: letters, digits, hyphens; labels of 1..63; no edge hyphens.
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private TunnelCertificates() {}

  /**
   * A new self-signed CA meeting every SPEC §4.1 CA rule: critical BasicConstraints CA:TRUE
   * (pathLen 0), SubjectKeyIdentifier, critical KeyUsage keyCertSign + cRLSign (+
   * digitalSignature), SHA-256 signature.
   */
  public static IssuedCertificate newCa(String commonName, KeyType keyType, Duration validity) {
    Objects.requireNonNull(keyType, "keyType");
    if (commonName == null || commonName.isBlank()) {
      throw new PkiException("common name: must not be empty");
    }
    requirePositive(validity);
    IssuedCertificate ca = CertificateIssuer.createCa(commonName, validity, keyType.generate());
    ValidationResult check = CaCertificateValidator.validatePem(PemFiles.toPem(ca.certificate()),
        Instant.now());
    if (!check.valid()) {
      throw new PkiException("issued CA certificate breaks a rule: " + check.failure());
    }
    return ca;
  }

  /**
   * A new server certificate signed directly by {@code ca}, with SAN {@code <domain>}, {@code
   * *.<domain>} and {@code extraNames}, checked with {@link ServerCertificateValidator} before it is
   * returned.
   *
   * @throws PkiException when the CA's key does not match its certificate, the CA itself breaks a
   *     SPEC §4.1 rule, a name is not a DNS name, or the certificate would outlive the CA
   */
  public static IssuedCertificate newServerCertificate(
      IssuedCertificate ca,
      String domain,
      List<String> extraNames,
      KeyType keyType,
      Duration validity) {
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(keyType, "keyType");
    requirePositive(validity);
    checkCa(ca);
    List<String> names = serverNames(domain, extraNames);
    Instant notAfter = Instant.now().plus(validity);
    Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
    if (notAfter.isAfter(caNotAfter)) {
      throw new PkiException(
          "duration: "
              + GoDuration.format(validity)
              + " would outlive the CA (expires "
              + caNotAfter
              + "); use a shorter duration or a new CA");
    }
    var keys = keyType.generate();
    X509Certificate server =
        CertificateIssuer.issueServer(ca, keys.getPublic(), names, validity);
    ValidationResult check =
        ServerCertificateValidator.validate(
            server, List.of(ca.certificate()), names.get(0), Instant.now());
    if (!check.valid()) {
      throw new PkiException("issued server certificate breaks a rule: " + check.failure());
    }
    return new IssuedCertificate(server, keys.getPrivate());
  }

  /**
   * The SAN list of a tunnel's server certificate: {@code domain}, {@code *.domain}, then the extra
   * names, lower-cased and without duplicates.
   *
   * @throws PkiException naming the first name that is not a DNS name
   */
  public static List<String> serverNames(String domain, List<String> extraNames) {
    String base = dnsName(domain, "domain", false);
    Set<String> names = new LinkedHashSet<>();
    names.add(base);
    names.add("*." + base);
    for (String extra : extraNames == null ? List.<String>of() : extraNames) {
      names.add(dnsName(extra, "san", true));
    }
    return new ArrayList<>(names);
  }

  /**
   * Reads a CA certificate and its key, refusing a key that is not the certificate's and a
   * certificate that breaks a SPEC §4.1 CA rule.
   */
  public static IssuedCertificate loadCa(Path certFile, Path keyFile) {
    return loadCa(certFile, keyFile, null);
  }

  /**
   * {@link #loadCa(Path, Path)} for a key that may be encrypted under {@code passphrase} (null: the
   * key must be plaintext).
   *
   * @throws KeyPassphraseException when the key is encrypted and the passphrase is missing or wrong
   */
  public static IssuedCertificate loadCa(Path certFile, Path keyFile, KeyPassphrase passphrase) {
    List<X509Certificate> certificates = PemFiles.readCertificates(certFile);
    if (certificates.size() != 1) {
      throw new PkiException(
          certFile + ": exactly one CA certificate expected, found " + certificates.size());
    }
    var key = PemFiles.readPrivateKey(keyFile, passphrase);
    IssuedCertificate ca = new IssuedCertificate(certificates.get(0), key);
    if (!PemFiles.keyMatchesCertificate(key, ca.certificate())) {
      throw new PkiException(keyFile + ": CA key does not match the CA certificate " + certFile);
    }
    ValidationResult check =
        CaCertificateValidator.validatePem(PemFiles.toPem(ca.certificate()), Instant.now());
    if (!check.valid()) {
      throw new PkiException(certFile + ": not a usable CA: " + check.failure());
    }
    return ca;
  }

  /**
   * Writes the certificate (mode 0644) and its key (mode 0600), each atomically. Without {@code
   * replace} an existing file is never touched: the call fails naming it, and a key this call
   * created is removed again if the certificate cannot be written.
   */
  public static void write(IssuedCertificate issued, Path certFile, Path keyFile, boolean replace) {
    write(issued, certFile, keyFile, replace, null);
  }

  /**
   * {@link #write(IssuedCertificate, Path, Path, boolean)}, the key encrypted under {@code
   * passphrase} ({@link PemFiles#toEncryptedPem}) unless it is null.
   */
  public static void write(IssuedCertificate issued, Path certFile, Path keyFile, boolean replace,
      KeyPassphrase passphrase) {
    if (certFile.toAbsolutePath().normalize().equals(keyFile.toAbsolutePath().normalize())) {
      throw new PkiException(certFile + ": certificate and key must go to different files");
    }
    if (!replace) {
      for (Path file : List.of(keyFile, certFile)) {
        if (Files.exists(file)) {
          throw new PkiException(file + ": already exists, refusing to overwrite it");
        }
      }
    }
    byte[] key = PemFiles.toPem(issued.privateKey(), passphrase).getBytes(StandardCharsets.UTF_8);
    byte[] cert = PemFiles.toPem(issued.certificate()).getBytes(StandardCharsets.UTF_8);
    try {
      if (replace) {
        SecureFiles.write(keyFile, key, SecureFiles.SECRET);
        SecureFiles.write(certFile, cert, SecureFiles.PUBLIC);
        return;
      }
      if (!SecureFiles.createOnce(keyFile, key, SecureFiles.SECRET)) {
        throw new PkiException(keyFile + ": already exists, refusing to overwrite it");
      }
      try {
        if (!SecureFiles.createOnce(certFile, cert, SecureFiles.PUBLIC)) {
          throw new PkiException(certFile + ": already exists, refusing to overwrite it");
        }
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(keyFile);
        throw e;
      }
    } catch (IOException e) {
      throw new PkiException("cannot write " + certFile + " / " + keyFile + ": " + e, e);
    }
  }

  private static void checkCa(IssuedCertificate ca) {
    if (!PemFiles.keyMatchesCertificate(ca.privateKey(), ca.certificate())) {
      throw new PkiException("CA key does not match the CA certificate");
    }
    ValidationResult check =
        CaCertificateValidator.validatePem(PemFiles.toPem(ca.certificate()), Instant.now());
    if (!check.valid()) {
      throw new PkiException("not a usable CA: " + check.failure());
    }
  }

  private static void requirePositive(Duration validity) {
    if (validity == null || validity.isZero() || validity.isNegative()) {
      throw new PkiException("duration: " + validity + " (expected: greater than zero)");
    }
  }

  private static String dnsName(String text, String field, boolean wildcardAllowed) {
    String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    String rest = wildcardAllowed && name.startsWith("*.") ? name.substring(2) : name;
    String[] labels = rest.split("\\.", -1);
    boolean ok = !rest.isEmpty() && rest.length() <= 253 && labels.length >= 2;
    for (String label : labels) {
      ok &= LABEL.matcher(label).matches();
    }
    if (!ok) {
      throw new PkiException(
          field
              + ": \""
              + text
              + "\" (expected: a DNS name such as abc12345.tunnels.example"
              + (wildcardAllowed ? " or *.abc12345.tunnels.example" : "")
              + ")");
    }
    return name;
  }
}
