package io.mcptunnel.setup;

import io.mcptunnel.pki.CertificateIssuer;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPairs;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.ServerCertificateValidator;
import io.mcptunnel.pki.ValidationResult;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The tunnel's certificates (SPEC §5): an ECDSA P-256 CA and RSA-4096 server certificates. */
public final class TunnelPki {
  /** Five years, counting the leap day. */
  public static final Duration CA_VALIDITY = Duration.ofDays(5 * 365 + 1);
  public static final Duration DEFAULT_CERT_DURATION = Duration.ofHours(2160);
  static final int SERVER_KEY_BITS = 4096;

  private TunnelPki() {}

  public static IssuedCertificate newCa(String domain) {
    return CertificateIssuer.createCa("mcptunnel CA " + domain, CA_VALIDITY, KeyPairs.ecP256());
  }

  /** A server certificate for {@code domain} and {@code *.domain}, as PEM entries tls.crt/tls.key. */
  public static Map<String, String> serverCertificate(IssuedCertificate ca, String domain, Duration validity) {
    KeyPair keys = KeyPairs.rsa(SERVER_KEY_BITS);
    X509Certificate cert = CertificateIssuer.issueServer(ca, keys.getPublic(),
        List.of(domain, "*." + domain), validity);
    return Map.of(OutputKeys.TLS_CRT, PemFiles.toPem(cert), OutputKeys.TLS_KEY, PemFiles.toPem(keys.getPrivate()));
  }

  /** The CA stored in {@code entries} (ca.crt + ca.key), checked to belong together. */
  public static IssuedCertificate storedCa(Map<String, String> entries, String where) {
    X509Certificate cert = PemFiles.parseCertificates(entries.get(OutputKeys.CA_CRT), where + " ca.crt").get(0);
    var key = PemFiles.parsePrivateKey(entries.get(OutputKeys.CA_KEY), where + " ca.key");
    if (!PemFiles.keyMatchesCertificate(key, cert)) {
      throw new SetupException(where + ": ca.key does not match ca.crt");
    }
    return new IssuedCertificate(cert, key);
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
