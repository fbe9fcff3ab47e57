package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.pki.CaCertificateValidator;
import io.mcptunnel.pki.CertificateIssuer;
import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.KeyPairs;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.ServerCertificateValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PkiCommandTest {
  static final String DOMAIN = "abc12345.tunnels.example";

  @TempDir
  Path dir;

  Path caCrt;
  Path caKey;
  Path tlsCrt;
  Path tlsKey;

  @BeforeEach
  void paths() {
    caCrt = dir.resolve("ca.crt");
    caKey = dir.resolve("ca.key");
    tlsCrt = dir.resolve("tls.crt");
    tlsKey = dir.resolve("tls.key");
  }

  private CliRun createCa(String... extra) {
    return CliRun.of(concat(new String[] {"pki", "create-ca", "--cert-out", caCrt.toString(),
        "--key-out", caKey.toString()}, extra));
  }

  private CliRun issue(String... extra) {
    return CliRun.of(concat(new String[] {"pki", "issue-server-cert", "--ca-cert", caCrt.toString(),
        "--ca-key", caKey.toString(), "--domain", DOMAIN, "--cert-out", tlsCrt.toString(),
        "--key-out", tlsKey.toString()}, extra));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** Neither the PEM armour nor any line of the key's base64 may reach the terminal. */
  private static void assertNoKeyMaterial(CliRun run, Path key) throws Exception {
    String output = run.out() + run.err();
    assertThat(output).doesNotContain("PRIVATE KEY");
    Files.readAllLines(key).stream().filter(l -> !l.startsWith("-----"))
        .forEach(line -> assertThat(output).doesNotContain(line));
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static void assertOneLineError(CliRun run, String start) {
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: " + start).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void createCaWritesAValidCaAnOwnerOnlyKeyAndPrintsFingerprintAndExpiry() throws Exception {
    CliRun run = createCa("--common-name", "acme tunnel CA", "--duration", "24h");

    assertThat(run.exit()).as(run.err()).isZero();
    X509Certificate ca = PemFiles.readCertificates(caCrt).get(0);
    assertThat(CaCertificateValidator.validatePem(Files.readString(caCrt), Instant.now()).valid()).isTrue();
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=acme tunnel CA");
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getNotAfter().toInstant()).isBefore(Instant.now().plusSeconds(24 * 3600 + 5));
    assertThat(mode(caKey)).isEqualTo("rw-------");
    assertThat(mode(caCrt)).isEqualTo("rw-r--r--");
    assertThat(PemFiles.keyMatchesCertificate(PemFiles.readPrivateKey(caKey), ca)).isTrue();
    assertThat(run.out()).contains("SHA-256 fingerprint: " + Fingerprints.sha256Hex(ca))
        .contains("expires:             " + ca.getNotAfter().toInstant())
        .contains(caCrt.toString()).contains(caKey.toString());
    assertThat(run.err()).isEmpty();
    assertNoKeyMaterial(run, caKey);
    assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void existingFilesAreNeverOverwrittenWithoutForce() throws Exception {
    assertThat(createCa().exit()).isZero();
    String cert = Files.readString(caCrt);
    String key = Files.readString(caKey);

    CliRun again = createCa();

    assertOneLineError(again, caCrt + ": already exists; pass --force to replace it");
    assertThat(Files.readString(caCrt)).isEqualTo(cert);
    assertThat(Files.readString(caKey)).isEqualTo(key);

    Files.delete(caCrt); // only the key left behind: still refused, the key is precious
    assertOneLineError(createCa(), caKey + ": already exists");
    assertThat(caCrt).doesNotExist();

    CliRun forced = createCa("--force");
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(Files.readString(caKey)).isNotEqualTo(key);
    assertThat(mode(caKey)).isEqualTo("rw-------");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--key-type|rsa-1024|Invalid value for option '--key-type': \"rsa-1024\" (expected: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096)",
      "--duration|5 years|Invalid value for option '--duration'",
      "--duration|-1h|Invalid value for option '--duration'",
      "--duration|0s|Invalid value for option '--duration'"})
  void badOptionsAreUsageErrorsAndWriteNothing(String option, String value, String message) {
    CliRun run = createCa(option, value);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith(message);
    assertThat(caCrt).doesNotExist();
    assertThat(caKey).doesNotExist();
  }

  @Test
  void keyTypesAreSelectable() throws Exception {
    assertThat(createCa("--key-type", "ECDSA-P384").exit()).isZero();
    assertThat(PemFiles.readCertificates(caCrt).get(0).getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(PemFiles.readPrivateKey(caKey).getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void issueServerCertWritesACertificateTheValidatorAcceptsForAnyRoute() throws Exception {
    createCa();
    CliRun run = issue("--key-type", "rsa-2048", "--duration", "48h", "--san", "other.example");

    assertThat(run.exit()).as(run.err()).isZero();
    X509Certificate ca = PemFiles.readCertificates(caCrt).get(0);
    X509Certificate server = PemFiles.readCertificates(tlsCrt).get(0);
    for (String host : List.of(DOMAIN, "mcp." + DOMAIN, "other.example")) {
      assertThat(ServerCertificateValidator.validate(server, List.of(ca), host, Instant.now()).valid())
          .as(host).isTrue();
    }
    assertThat(server.getSubjectAlternativeNames()).hasSize(3);
    assertThat(((RSAPublicKey) server.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
    assertThat(server.getKeyUsage()[2]).as("keyEncipherment for RSA").isTrue();
    assertThat(mode(tlsKey)).isEqualTo("rw-------");
    assertThat(mode(tlsCrt)).isEqualTo("rw-r--r--");
    assertThat(run.out()).contains("SHA-256 fingerprint: " + Fingerprints.sha256Hex(server));
    assertNoKeyMaterial(run, tlsKey);
    assertNoKeyMaterial(run, caKey);
  }

  @Test
  void issueServerCertDefaultsToRsa4096ForNinetyDays() throws Exception {
    createCa();
    CliRun run = issue();

    assertThat(run.exit()).as(run.err()).isZero();
    X509Certificate server = PemFiles.readCertificates(tlsCrt).get(0);
    assertThat(((RSAPublicKey) server.getPublicKey()).getModulus().bitLength()).isEqualTo(4096);
    assertThat(server.getNotAfter().toInstant())
        .isBetween(Instant.now().plusSeconds(2160 * 3600 - 60), Instant.now().plusSeconds(2160 * 3600));
  }

  @Test
  void aCaKeyOfAnotherCaIsRefused() throws Exception {
    createCa();
    Files.writeString(caKey, PemFiles.toPem(KeyPairs.ecP256().getPrivate()));

    assertOneLineError(issue("--key-type", "ecdsa-p256"),
        caKey + ": CA key does not match the CA certificate " + caCrt);
    assertThat(tlsCrt).doesNotExist();
    assertThat(tlsKey).doesNotExist();
  }

  @Test
  void aCaThatBreaksARuleIsRefusedNamingTheRule() throws Exception {
    var keys = KeyPairs.ecP256();
    X509Certificate notCritical = CertificateIssuer.Spec.forKey(keys.getPublic(), "lax CA")
        .basicConstraints(true, false).keyUsage(CertificateIssuer.Usage.KEY_CERT_SIGN)
        .selfSigned(keys.getPrivate());
    Files.writeString(caCrt, PemFiles.toPem(notCritical));
    Files.writeString(caKey, PemFiles.toPem(keys.getPrivate()));

    assertOneLineError(issue("--key-type", "ecdsa-p256"),
        caCrt + ": not a usable CA: basicConstraints must be critical with CA:TRUE");
  }

  @Test
  void badInputsAreOneLineErrors() throws Exception {
    assertOneLineError(issue(), "open " + caCrt + ": no such file or directory");
    createCa("--duration", "1h");
    assertOneLineError(CliRun.of("pki", "issue-server-cert", "--ca-cert", caCrt.toString(),
        "--ca-key", caKey.toString(), "--domain", "*.bad", "--cert-out", tlsCrt.toString(),
        "--key-out", tlsKey.toString()), "domain: \"*.bad\" (expected: a DNS name");
    assertOneLineError(issue("--key-type", "ecdsa-p256"), "duration: 2160h0m0s would outlive the CA");
    assertOneLineError(issue("--san", "bad name"), "san: \"bad name\"");
    assertThat(tlsCrt).doesNotExist();
    assertThat(tlsKey).doesNotExist();
  }

  @Test
  void verifyPrintsEachCheckAndPasses() throws Exception {
    createCa();
    issue("--key-type", "ecdsa-p256");

    CliRun run = CliRun.of("pki", "verify", "--ca", caCrt.toString(), "--cert", tlsCrt.toString(),
        "--host", "mcp." + DOMAIN);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("ok    CA rules, " + caCrt)
        .contains("basicConstraints critical CA:TRUE")
        .contains("ok    server rules, " + tlsCrt + " for mcp." + DOMAIN)
        .contains("authorityKeyIdentifier")
        .contains("OK: the proxy can present");
  }

  @Test
  void verifyNamesTheFirstFailedRule() throws Exception {
    createCa();
    issue("--key-type", "ecdsa-p256");

    CliRun wrongHost = CliRun.of("pki", "verify", "--ca", caCrt.toString(), "--cert", tlsCrt.toString(),
        "--host", "mcp.other.example");
    assertOneLineError(wrongHost,
        "server rules failed for " + tlsCrt + " for mcp.other.example: SAN does not cover mcp.other.example");
    assertThat(wrongHost.out()).contains("ok    CA rules").contains("FAIL  server rules");

    Path otherCa = dir.resolve("other-ca.crt");
    CliRun.of("pki", "create-ca", "--cert-out", otherCa.toString(), "--key-out",
        dir.resolve("other-ca.key").toString());
    assertOneLineError(CliRun.of("pki", "verify", "--ca", otherCa.toString(), "--cert",
        tlsCrt.toString(), "--host", DOMAIN), "server rules failed for " + tlsCrt + " for " + DOMAIN
        + ": not signed by any registered CA");

    // A CA file carrying its key breaks a CA rule; the server check still runs and is printed.
    Path leaky = Files.writeString(dir.resolve("leaky.pem"), Files.readString(caCrt) + Files.readString(caKey));
    CliRun leak = CliRun.of("pki", "verify", "--ca", leaky.toString(), "--cert", tlsCrt.toString(),
        "--host", DOMAIN);
    assertOneLineError(leak, "CA rules failed for " + leaky + ": PEM must not contain private key material");
    assertThat(leak.out()).contains("ok    server rules");
    assertNoKeyMaterial(leak, caKey);
  }

  @Test
  void pkiAloneIsAUsageError() {
    CliRun run = CliRun.of("pki");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("Missing required subcommand").contains("create-ca")
        .contains("issue-server-cert").contains("verify");
  }

  @Test
  void requiredOptionsAreNamed() {
    CliRun run = CliRun.of("pki", "verify", "--ca", "x");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("Missing required options: '--cert=FILE', '--host=HOST'");
  }

  @Test
  void keyEncodingIsPlainPkcs8() throws Exception {
    createCa();
    String pem = Files.readString(caKey);
    // The body must be PKCS#8 DER, which every tool reads (a SEC1 EC key body would not parse so).
    String body = pem.replaceAll("-----[^-]+-----", "").replaceAll("\\s", "");
    assertThat(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body))))
        .isNotNull();
  }
}
