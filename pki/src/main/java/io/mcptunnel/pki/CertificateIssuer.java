package io.mcptunnel.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the tunnel CA and the proxy's server certificate (SPEC §5). {@link Spec} is the
 * lower-level entry point: it can also make certificates that break the SPEC §4.1 rules, which the
 * validators' tests need.
 */
public final class CertificateIssuer {
  /** ExtendedKeyUsage id-kp-serverAuth. */
  public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  /** ExtendedKeyUsage id-kp-clientAuth. */
  public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  /** Tolerates callers whose clocks run a little behind ours. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  // A private instance rather than Security.addProvider: signing weak test algorithms and odd
  // curves must not change what the rest of the JVM accepts.
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final SecureRandom RANDOM = new SecureRandom();

  private CertificateIssuer() {}

  /** The KeyUsage bits this project uses. */
  public enum Usage {
    DIGITAL_SIGNATURE(KeyUsage.digitalSignature),
    KEY_ENCIPHERMENT(KeyUsage.keyEncipherment),
    KEY_CERT_SIGN(KeyUsage.keyCertSign),
    CRL_SIGN(KeyUsage.cRLSign);

    private final int bit;

    Usage(int bit) {
      this.bit = bit;
    }
  }

  /** A self-signed CA that may sign end-entity certificates only (pathLen 0). */
  public static IssuedCertificate createCa(String commonName, Duration validity, KeyPair keys) {
    Instant now = Instant.now();
    X509Certificate certificate =
        Spec.forKey(keys.getPublic(), commonName)
            .validity(now.minus(CLOCK_SKEW), now.plus(validity))
            .basicConstraints(true, true)
            .keyUsage(Usage.KEY_CERT_SIGN, Usage.CRL_SIGN, Usage.DIGITAL_SIGNATURE)
            .selfSigned(keys.getPrivate());
    return new IssuedCertificate(certificate, keys.getPrivate());
  }

  /**
   * A TLS server certificate for {@code dnsNames} (the first is also the subject CN): EKU
   * serverAuth, KeyUsage digitalSignature, plus keyEncipherment for an RSA key (RFC 5480 forbids it
   * for EC keys), AuthorityKeyIdentifier = the CA's SubjectKeyIdentifier.
   */
  public static X509Certificate issueServer(
      IssuedCertificate ca, PublicKey serverKey, List<String> dnsNames, Duration validity) {
    if (dnsNames.isEmpty()) {
      throw new PkiException("a server certificate needs at least one DNS name");
    }
    Instant now = Instant.now();
    return Spec.forKey(serverKey, dnsNames.get(0))
        .validity(now.minus(CLOCK_SKEW), now.plus(validity))
        .basicConstraints(false, false)
        .keyUsage(
            "RSA".equals(serverKey.getAlgorithm())
                ? new Usage[] {Usage.DIGITAL_SIGNATURE, Usage.KEY_ENCIPHERMENT}
                : new Usage[] {Usage.DIGITAL_SIGNATURE})
        .extendedKeyUsage(SERVER_AUTH)
        .dnsNames(dnsNames)
        .signedBy(ca.certificate(), ca.privateKey());
  }

  /**
   * Every choice of one certificate, defaulting to a one-day end entity with a SubjectKeyIdentifier
   * and no other extensions.
   */
  public static final class Spec {
    private final PublicKey subjectKey;
    private final String commonName;
    private Instant notBefore;
    private Instant notAfter;
    private boolean basicConstraints;
    private boolean basicConstraintsCa;
    private boolean basicConstraintsCritical;
    private Usage[] keyUsages = {};
    private String[] extendedKeyUsages = {};
    private List<String> dnsNames = List.of();
    private boolean subjectKeyIdentifier = true;
    private byte[] authorityKeyIdentifier;
    private boolean authorityKeyIdentifierSet;
    private String signatureAlgorithm;

    private Spec(PublicKey subjectKey, String commonName) {
      this.subjectKey = Objects.requireNonNull(subjectKey, "subjectKey");
      this.commonName = Objects.requireNonNull(commonName, "commonName");
      Instant now = Instant.now();
      this.notBefore = now.minus(CLOCK_SKEW);
      this.notAfter = now.plus(Duration.ofDays(1));
    }

    public static Spec forKey(PublicKey subjectKey, String commonName) {
      return new Spec(subjectKey, commonName);
    }

    public Spec validity(Instant notBefore, Instant notAfter) {
      this.notBefore = notBefore;
      this.notAfter = notAfter;
      return this;
    }

    /** Adds BasicConstraints; a CA gets pathLen 0 because the rules allow no intermediates. */
    public Spec basicConstraints(boolean ca, boolean critical) {
      this.basicConstraints = true;
      this.basicConstraintsCa = ca;
      this.basicConstraintsCritical = critical;
      return this;
    }

    /** Critical KeyUsage with these bits; none leaves the extension out. */
    public Spec keyUsage(Usage... usages) {
      this.keyUsages = usages.clone();
      return this;
    }

    /** ExtendedKeyUsage with these OIDs; none leaves the extension out. */
    public Spec extendedKeyUsage(String... oids) {
      this.extendedKeyUsages = oids.clone();
      return this;
    }

    /** SubjectAlternativeName dNSName entries; none leaves the extension out. */
    public Spec dnsNames(List<String> names) {
      this.dnsNames = List.copyOf(names);
      return this;
    }

    public Spec subjectKeyIdentifier(boolean include) {
      this.subjectKeyIdentifier = include;
      return this;
    }

    /** Overrides the issuer's SubjectKeyIdentifier as AuthorityKeyIdentifier; null omits it. */
    public Spec authorityKeyIdentifier(byte[] keyIdentifier) {
      this.authorityKeyIdentifier = keyIdentifier == null ? null : keyIdentifier.clone();
      this.authorityKeyIdentifierSet = true;
      return this;
    }

    /** A JCA name such as "SHA1withRSA"; by default SHA-256 with the issuer key's algorithm. */
    public Spec signatureAlgorithm(String algorithm) {
      this.signatureAlgorithm = algorithm;
      return this;
    }

    public X509Certificate selfSigned(PrivateKey key) {
      byte[] ownKeyId = keyIdentifier(subjectKey);
      return sign(name(commonName), ownKeyId, key);
    }

    public X509Certificate signedBy(X509Certificate issuer, PrivateKey issuerKey) {
      X500Name issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
      return sign(issuerName, CertificateExtensions.subjectKeyIdentifier(issuer), issuerKey);
    }

    private X509Certificate sign(X500Name issuer, byte[] issuerKeyId, PrivateKey signingKey) {
      try {
        X509v3CertificateBuilder builder =
            new JcaX509v3CertificateBuilder(
                issuer,
                serial(),
                Date.from(notBefore),
                Date.from(notAfter),
                name(commonName),
                subjectKey);
        addExtensions(builder, authorityKeyIdentifierSet ? authorityKeyIdentifier : issuerKeyId);
        var signer =
            new JcaContentSignerBuilder(algorithmFor(signingKey)).setProvider(BC).build(signingKey);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
      } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
        throw new PkiException(
            "cannot issue certificate for " + commonName + ": " + e.getMessage(), e);
      }
    }

    private void addExtensions(X509v3CertificateBuilder builder, byte[] authorityKeyId)
        throws CertIOException {
      if (basicConstraints) {
        BasicConstraints constraints =
            basicConstraintsCa ? new BasicConstraints(0) : new BasicConstraints(false);
        builder.addExtension(Extension.basicConstraints, basicConstraintsCritical, constraints);
      }
      if (keyUsages.length > 0) {
        int bits = Arrays.stream(keyUsages).mapToInt(u -> u.bit).reduce(0, (a, b) -> a | b);
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(bits));
      }
      if (extendedKeyUsages.length > 0) {
        KeyPurposeId[] purposes =
            Arrays.stream(extendedKeyUsages)
                .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
                .toArray(KeyPurposeId[]::new);
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
      }
      if (!dnsNames.isEmpty()) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      if (subjectKeyIdentifier) {
        builder.addExtension(
            Extension.subjectKeyIdentifier,
            false,
            new SubjectKeyIdentifier(keyIdentifier(subjectKey)));
      }
      if (authorityKeyId != null) {
        builder.addExtension(
            Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
      }
    }

    private String algorithmFor(PrivateKey signingKey) {
      if (signatureAlgorithm != null) {
        return signatureAlgorithm;
      }
      return switch (signingKey.getAlgorithm()) {
        case "EC", "ECDSA" -> "SHA256withECDSA";
        case "RSA" -> "SHA256withRSA";
        default ->
            throw new PkiException(
                "cannot sign with a " + signingKey.getAlgorithm() + " key (RSA or EC required)");
      };
    }
  }

  /** RFC 5280 §4.2.1.2 method 1 (SHA-1 of the key bits), the identifier Go and openssl use. */
  private static byte[] keyIdentifier(PublicKey key) {
    try {
      return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key).getKeyIdentifier();
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot compute key identifier: " + e.getMessage(), e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  /** Positive and unpredictable, as CAs are required to make serials (CA/B BR 7.1). */
  private static BigInteger serial() {
    BigInteger serial;
    do {
      serial = new BigInteger(128, RANDOM);
    } while (serial.signum() == 0);
    return serial;
  }
}
