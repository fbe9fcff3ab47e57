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
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;

/** A throwaway CA and server and client certificates made at test time, never committed. */
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

  /**
   * A TLS client certificate (clientAuth, digitalSignature) for {@code commonName}, with an EC key;
   * {@code extendedKeyUsages} overrides the clientAuth usage, e.g. to make a server-only one.
   */
  public IssuedCertificate client(String commonName, String... extendedKeyUsages) {
    KeyPair keys = KeyPairs.ecP256();
    X509Certificate cert = CertificateIssuer.Spec.forKey(keys.getPublic(), commonName)
        .basicConstraints(false, false)
        .keyUsage(CertificateIssuer.Usage.DIGITAL_SIGNATURE)
        .extendedKeyUsage(extendedKeyUsages.length == 0 ? new String[] {CertificateIssuer.CLIENT_AUTH} : extendedKeyUsages)
        .signedBy(ca.certificate(), ca.privateKey());
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
    return clientContext(clientBuilder());
  }

  /**
   * As {@link #clientContext()}, presenting {@code clientCertificate} whenever the server asks for
   * one, even when it names other CAs: tests need the server, not the client, to refuse a stranger.
   */
  public SslContext clientContext(IssuedCertificate clientCertificate) {
    return clientContext(clientBuilder().keyManager(new AlwaysPresent(clientCertificate)));
  }

  private SslContextBuilder clientBuilder() {
    return SslContextBuilder.forClient()
        .trustManager(ca.certificate())
        .protocols("TLSv1.3", "TLSv1.2")
        .endpointIdentificationAlgorithm("HTTPS");
  }

  private static SslContext clientContext(SslContextBuilder builder) {
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key manager with one certificate that it offers for every request. */
  private static final class AlwaysPresent extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final IssuedCertificate certificate;

    AlwaysPresent(IssuedCertificate certificate) {
      this.certificate = certificate;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[] {certificate.certificate()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return certificate.privateKey();
    }
  }
}
