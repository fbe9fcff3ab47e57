package io.mcptunnel.setup;

import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPassphrase;
import io.mcptunnel.pki.KeyPassphraseException;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.ServerCertificateValidator;
import io.mcptunnel.pki.TunnelCertificates;
import io.mcptunnel.pki.ValidationResult;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The tunnel's certificates (SPEC §5): an ECDSA P-256 CA and RSA-4096 server certificates. */
public final class TunnelPki {
  public static final Duration CA_VALIDITY = TunnelCertificates.CA_VALIDITY;
  public static final Duration DEFAULT_CERT_DURATION = TunnelCertificates.SERVER_VALIDITY;

  private TunnelPki() {}

  /** Issued and checked by pki's {@link TunnelCertificates}, the same code as {@code mcptunnel pki}. */
  public static IssuedCertificate newCa(String domain) {
    return TunnelCertificates.newCa("mcptunnel CA " + domain, TunnelCertificates.CA_KEY_TYPE, CA_VALIDITY);
  }

  /** A server certificate for {@code domain} and {@code *.domain}, as PEM entries tls.crt/tls.key. */
  public static Map<String, String> serverCertificate(IssuedCertificate ca, String domain, Duration validity) {
    IssuedCertificate tls = TunnelCertificates.newServerCertificate(ca, domain, List.of(),
        TunnelCertificates.SERVER_KEY_TYPE, validity);
    return Map.of(OutputKeys.TLS_CRT, PemFiles.toPem(tls.certificate()),
        OutputKeys.TLS_KEY, PemFiles.toPem(tls.privateKey()));
  }

  /** The CA stored in {@code entries} (ca.crt + a plaintext ca.key), checked to belong together. */
  public static IssuedCertificate storedCa(Map<String, String> entries, String where) {
    return storedCa(entries, where, null);
  }

  /**
   * The CA stored in {@code entries}, its ca.key decrypted with {@code passphrase} when encrypted
   * (null: ca.key must be plaintext).
   *
   * @throws KeyPassphraseException when ca.key is encrypted and the passphrase is missing or wrong
   */
  public static IssuedCertificate storedCa(Map<String, String> entries, String where, KeyPassphrase passphrase) {
    X509Certificate cert = PemFiles.parseCertificates(entries.get(OutputKeys.CA_CRT), where + " ca.crt").get(0);
    var key = PemFiles.parsePrivateKey(entries.get(OutputKeys.CA_KEY), where + " ca.key", passphrase);
    if (!PemFiles.keyMatchesCertificate(key, cert)) {
      throw new SetupException(where + ": ca.key does not match ca.crt");
    }
    return new IssuedCertificate(cert, key);
  }

  /**
   * Refuses to go on without a passphrase when the stored ca.key is encrypted, before anything is
   * written: a CA key the operator chose to encrypt is never replaced by a plaintext one.
   */
  public static void requirePassphraseIfEncrypted(Map<String, String> entries, String where, KeyPassphrase passphrase) {
    String key = entries.get(OutputKeys.CA_KEY);
    if (passphrase == null && key != null && encrypted(key, where)) {
      throw KeyPassphraseException.missing(where + " ca.key");
    }
  }

  /** ca.key as stored: encrypted under {@code passphrase} when one is given, else plaintext PKCS#8. */
  public static String caKeyPem(IssuedCertificate ca, KeyPassphrase passphrase) {
    return PemFiles.toPem(ca.privateKey(), passphrase);
  }

  /** Whether the stored ca.key is encrypted. */
  public static boolean caKeyEncrypted(Map<String, String> entries, String where) {
    String key = entries.get(OutputKeys.CA_KEY);
    return key != null && encrypted(key, where);
  }

  private static boolean encrypted(String pem, String where) {
    try {
      return PemFiles.isEncrypted(pem);
    } catch (RuntimeException e) {
      // Unreadable: the step that reads the key says what is wrong with it.
      return false;
    }
  }

  /** Whether the stored tls.crt/tls.key are a usable pair signed by {@code ca} for the domain. */
  public static boolean serverCertificateUsable(Map<String, String> entries, X509Certificate ca,
      String domain, Instant now) {
    String crt = entries.get(OutputKeys.TLS_CRT);
    String key = entries.get(OutputKeys.TLS_KEY);
    if (crt == null || key == null) {
      return false;
    }
    try {
      X509Certificate server = PemFiles.parseCertificates(crt, "tls.crt").get(0);
      ValidationResult result = ServerCertificateValidator.validate(server, List.of(ca), domain, now);
      return result.valid() && PemFiles.keyMatchesCertificate(PemFiles.parsePrivateKey(key, "tls.key"), server);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
