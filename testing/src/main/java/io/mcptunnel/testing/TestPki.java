package io.mcptunnel.testing;

import io.mcptunnel.pki.CertificateIssuer;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPairs;
import io.mcptunnel.pki.PemFiles;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;

/** A throwaway CA and server certificates made at test time, never committed. */
public final class TestPki {
  private final IssuedCertificate ca;

  private TestPki(IssuedCertificate ca) {
    this.ca = ca;
  }

  public static TestPki create(String name) {
    return new TestPki(CertificateIssuer.createCa(name, Duration.ofDays(30), KeyPairs.ecP256()));
  }

  public IssuedCertificate ca() {
    return ca;
  }

  /** A server certificate for the names, with an EC key (fast to make). */
  public IssuedCertificate server(String... dnsNames) {
    KeyPair keys = KeyPairs.ecP256();
    X509Certificate cert = CertificateIssuer.issueServer(ca, keys.getPublic(), List.of(dnsNames), Duration.ofDays(7));
    return new IssuedCertificate(cert, keys.getPrivate());
  }

  /** Writes a certificate and key as {@code tls.crt} / {@code tls.key} in {@code dir}. */
  public static void write(IssuedCertificate issued, Path cert, Path key) {
    try {
      Files.writeString(cert, PemFiles.toPem(issued.certificate()));
      Files.writeString(key, PemFiles.toPem(issued.privateKey()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path writeCa(Path file) {
    try {
      return Files.writeString(file, PemFiles.toPem(ca.certificate()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TLS client context that trusts only this CA and checks the host name. */
  public SslContext clientContext() {
    try {
      return SslContextBuilder.forClient()
          .trustManager(ca.certificate())
          .protocols("TLSv1.3", "TLSv1.2")
          .endpointIdentificationAlgorithm("HTTPS")
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }
}
