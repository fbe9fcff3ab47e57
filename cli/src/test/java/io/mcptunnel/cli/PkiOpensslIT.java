package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.mcptunnel.pki.CaCertificateValidator;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.ServerCertificateValidator;
import io.mcptunnel.pki.ValidationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real {@code openssl} (OpenSSL 3) against our rules, both ways: the manual recipe of
 * docs/operations.md must pass our validators, a recipe that drops a rule must be refused naming
 * it, and openssl must accept what {@code mcptunnel pki} writes. Missing openssl fails the test.
 */
class PkiOpensslIT {
  static final String DOMAIN = "abc12345.tunnels.example";
  static final Path OPERATIONS_MD = Path.of(System.getProperty("user.dir")).resolve("../docs/operations.md");

  private static final String CA_EXTENSIONS_OK = "basicConstraints=critical,CA:TRUE,pathlen:0|"
      + "keyUsage=critical,keyCertSign,cRLSign|subjectKeyIdentifier=hash";
  private static final String SERVER_EXTENSIONS_OK = "basicConstraints=CA:FALSE|"
      + "subjectAltName=DNS:" + DOMAIN + ",DNS:*." + DOMAIN + "|authorityKeyIdentifier=keyid|"
      + "extendedKeyUsage=serverAuth|keyUsage=critical,digitalSignature,keyEncipherment";

  @TempDir
  Path dir;

  // --- finding openssl ----------------------------------------------------------------------

  static Path openssl() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/usr/bin/openssl"));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(":")) {
        if (!entry.isEmpty()) {
          candidates.add(Path.of(entry, "openssl"));
        }
      }
    }
    return locate(candidates);
  }

  static Path locate(List<Path> candidates) {
    return candidates.stream().filter(Files::isExecutable).findFirst().orElseGet(() -> fail(
        "the openssl binary is needed by this test and was not found (looked in " + candidates
            + "); install the Debian package `openssl` (apt-get install openssl)"));
  }

  @Test
  void aMissingOpensslFailsNamingTheDebianPackage() {
    assertThatThrownBy(() -> locate(List.of(dir.resolve("no-openssl-here"))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("install the Debian package `openssl`");
  }

  @Test
  void theOpensslOnThisMachineIsOpenssl3() throws Exception {
    assertThat(run(dir, openssl().toString(), "version")).startsWith("OpenSSL 3.");
  }

  // --- (a) the openssl recipe against our validators ---------------------------------------

  /** The openssl block of docs/operations.md, run as written, makes certificates we accept. */
  @Test
  void theDocumentedOpensslRecipeIsAccepted() throws Exception {
    String script = documentedOpensslRecipe();
    run(dir, "bash", "-euo", "pipefail", "-c", "PATH=" + openssl().getParent() + ":$PATH\n" + script);

    X509Certificate ca = assertCaValid(dir.resolve("ca.crt"));
    X509Certificate server = PemFiles.readCertificates(dir.resolve("tls.crt")).get(0);
    for (String host : List.of(DOMAIN, "mcp." + DOMAIN, "other-route." + DOMAIN)) {
      assertThat(ServerCertificateValidator.validate(server, List.of(ca), host, Instant.now()))
          .as(host).hasToString("valid");
    }
    // Compared as a set: the set's iteration order (and so its toString) differs from run to run.
    assertThat(Files.getPosixFilePermissions(dir.resolve("tls.key")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(dir.resolve("tls.csr")).doesNotExist();

    // Our verify agrees, and our issuer can sign with the CA key openssl wrote.
    CliRun verify = CliRun.of("pki", "verify", "--ca", dir.resolve("ca.crt").toString(),
        "--cert", dir.resolve("tls.crt").toString(), "--host", "mcp." + DOMAIN);
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    CliRun issue = CliRun.of("pki", "issue-server-cert", "--ca-cert", dir.resolve("ca.crt").toString(),
        "--ca-key", dir.resolve("ca.key").toString(), "--domain", DOMAIN, "--key-type", "ecdsa-p256",
        "--cert-out", dir.resolve("ours.crt").toString(), "--key-out", dir.resolve("ours.key").toString());
    assertThat(issue.exit()).as(issue.err()).isZero();
    assertThat(run(dir, openssl().toString(), "verify", "-CAfile", "ca.crt", "ours.crt")).contains("ours.crt: OK");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = ';', value = {
      // Non-critical BasicConstraints: what a hurried -addext gives.
      "basicConstraints=CA:TRUE|keyUsage=critical,keyCertSign,cRLSign|subjectKeyIdentifier=hash;"
          + "basicConstraints must be critical with CA:TRUE",
      "basicConstraints=critical,CA:TRUE|keyUsage=critical,keyCertSign,cRLSign|subjectKeyIdentifier=none;"
          + "subjectKeyIdentifier extension is required",
      "basicConstraints=critical,CA:TRUE|keyUsage=critical,digitalSignature,cRLSign|subjectKeyIdentifier=hash;"
          + "keyUsage must include keyCertSign",
      "basicConstraints=critical,CA:FALSE|keyUsage=critical,keyCertSign|subjectKeyIdentifier=hash;"
          + "basicConstraints must be critical with CA:TRUE"})
  void aCaRecipeMissingARuleIsRefusedNamingIt(String extensions, String rule) throws Exception {
    Path ca = opensslCa("ca", extensions);

    ValidationResult result = CaCertificateValidator.validatePem(Files.readString(ca), Instant.now());
    assertThat(result.failure()).isEqualTo(rule);
    CliRun verify = CliRun.of("pki", "verify", "--ca", ca.toString(), "--cert", ca.toString(), "--host", DOMAIN);
    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.err()).startsWith("mcptunnel: CA rules failed for " + ca + ": " + rule);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = ';', value = {
      "subjectAltName=DNS:" + DOMAIN + "|authorityKeyIdentifier=keyid|extendedKeyUsage=serverAuth;"
          + "SAN does not cover mcp." + DOMAIN,
      "subjectAltName=DNS:*." + DOMAIN + "|authorityKeyIdentifier=keyid|extendedKeyUsage=clientAuth;"
          + "extendedKeyUsage lacks serverAuth",
      "subjectAltName=DNS:*." + DOMAIN + "|authorityKeyIdentifier=none|extendedKeyUsage=serverAuth;"
          + "authorityKeyIdentifier extension is required"})
  void aServerRecipeMissingARuleIsRefusedNamingIt(String extensions, String rule) throws Exception {
    Path ca = opensslCa("ca", CA_EXTENSIONS_OK);
    Path server = opensslServer("tls", extensions);

    ValidationResult result = ServerCertificateValidator.validate(PemFiles.readCertificates(server).get(0),
        PemFiles.readCertificates(ca), "mcp." + DOMAIN, Instant.now());
    assertThat(result.failure()).isEqualTo(rule);
    CliRun verify = CliRun.of("pki", "verify", "--ca", ca.toString(), "--cert", server.toString(),
        "--host", "mcp." + DOMAIN);
    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.err()).startsWith("mcptunnel: server rules failed for " + server + " for mcp."
        + DOMAIN + ": " + rule);
  }

  @Test
  void aServerCertificateFromAnotherCaIsRefused() throws Exception {
    opensslCa("ca", CA_EXTENSIONS_OK);
    Path server = opensslServer("tls", SERVER_EXTENSIONS_OK);
    Path other = opensslCa("other", CA_EXTENSIONS_OK);

    assertThat(ServerCertificateValidator.validate(PemFiles.readCertificates(server).get(0),
        PemFiles.readCertificates(other), DOMAIN, Instant.now()).failure())
        .isEqualTo("not signed by any registered CA");
  }

  // --- (b) openssl against what mcptunnel pki writes ---------------------------------------

  @Test
  void opensslAcceptsWhatThePkiCommandsWrite() throws Exception {
    CliRun ca = CliRun.of("pki", "create-ca", "--cert-out", dir.resolve("ca.crt").toString(),
        "--key-out", dir.resolve("ca.key").toString(), "--common-name", "my tunnel CA");
    assertThat(ca.exit()).as(ca.err()).isZero();
    CliRun issue = CliRun.of("pki", "issue-server-cert", "--ca-cert", dir.resolve("ca.crt").toString(),
        "--ca-key", dir.resolve("ca.key").toString(), "--domain", DOMAIN,
        "--cert-out", dir.resolve("tls.crt").toString(), "--key-out", dir.resolve("tls.key").toString());
    assertThat(issue.exit()).as(issue.err()).isZero();
    String openssl = openssl().toString();

    assertThat(run(dir, openssl, "verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", "ca.crt",
        "tls.crt")).contains("tls.crt: OK");
    assertThat(run(dir, openssl, "x509", "-in", "tls.crt", "-noout", "-checkhost", "mcp." + DOMAIN))
        .contains("does match certificate");

    String caText = run(dir, openssl, "x509", "-in", "ca.crt", "-noout", "-text");
    assertThat(caText).contains("Signature Algorithm: ecdsa-with-SHA256")
        .contains("ASN1 OID: prime256v1")
        .containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE, pathlen:0")
        .containsPattern("X509v3 Key Usage: critical\\s+Digital Signature, Certificate Sign, CRL Sign")
        .contains("X509v3 Subject Key Identifier");
    String caSki = extension(caText, "X509v3 Subject Key Identifier");

    String serverText = run(dir, openssl, "x509", "-in", "tls.crt", "-noout", "-text");
    assertThat(serverText).contains("Public-Key: (4096 bit)")
        .contains("Signature Algorithm: ecdsa-with-SHA256")
        .containsPattern("X509v3 Subject Alternative Name: \\s+DNS:" + Pattern.quote(DOMAIN)
            + ", DNS:\\*\\." + Pattern.quote(DOMAIN))
        .containsPattern("X509v3 Extended Key Usage: \\s+TLS Web Server Authentication")
        .containsPattern("X509v3 Key Usage: critical\\s+Digital Signature, Key Encipherment")
        .containsPattern("X509v3 Basic Constraints: \\s+CA:FALSE");
    assertThat(extension(serverText, "X509v3 Authority Key Identifier")).isEqualTo(caSki);

    // openssl reads our keys, and each is the private half of its certificate.
    for (String name : List.of("ca", "tls")) {
      assertThat(run(dir, openssl, "pkey", "-in", name + ".key", "-pubout"))
          .isEqualTo(run(dir, openssl, "x509", "-in", name + ".crt", "-noout", "-pubkey"));
    }
    assertThat(run(dir, openssl, "pkey", "-in", "tls.key", "-noout", "-check")).contains("Key is valid");
  }

  // --- helpers -----------------------------------------------------------------------------

  private X509Certificate assertCaValid(Path file) throws IOException {
    ValidationResult result = CaCertificateValidator.validatePem(Files.readString(file), Instant.now());
    assertThat(result).hasToString("valid");
    return result.certificate().orElseThrow();
  }

  /** A self-signed P-256 CA with exactly these {@code -addext} values ('|'-separated). */
  private Path opensslCa(String name, String extensions) throws Exception {
    List<String> command = new ArrayList<>(List.of(openssl().toString(), "req", "-x509", "-new",
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-sha256",
        "-keyout", name + ".key", "-out", name + ".crt", "-days", "30", "-subj", "/CN=" + name + " CA"));
    for (String extension : extensions.split("\\|")) {
      command.add("-addext");
      command.add(extension);
    }
    run(dir, command.toArray(String[]::new));
    return dir.resolve(name + ".crt");
  }

  /** A P-256 server certificate signed by {@code ca.crt} with this extfile ('|' = new line). */
  private Path opensslServer(String name, String extensions) throws Exception {
    String openssl = openssl().toString();
    run(dir, openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + DOMAIN);
    Files.writeString(dir.resolve(name + ".ext"), extensions.replace('|', '\n') + "\n");
    run(dir, openssl, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-sha256", "-days", "7", "-extfile", name + ".ext", "-out", name + ".crt");
    return dir.resolve(name + ".crt");
  }

  static String documentedOpensslRecipe() throws IOException {
    assertThat(OPERATIONS_MD).as("docs/operations.md").exists();
    String doc = Files.readString(OPERATIONS_MD);
    int section = doc.indexOf("## Manual certificates");
    assertThat(section).as("a \"Manual certificates\" section").isNotNegative();
    Matcher block = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(doc.substring(section));
    while (block.find()) {
      if (block.group(1).contains("openssl req -x509")) {
        return block.group(1);
      }
    }
    return fail("no ```sh block with the openssl recipe under \"Manual certificates\" in " + OPERATIONS_MD);
  }

  /** The hex key id printed on the line after {@code heading} in openssl's text form. */
  private static String extension(String text, String heading) {
    Matcher m = Pattern.compile(Pattern.quote(heading) + ":\\s*\\n\\s*(?:keyid:)?([0-9A-F:]+)").matcher(text);
    assertThat(m.find()).as(heading + " in\n" + text).isTrue();
    return HexFormat.of().formatHex(HexFormat.ofDelimiter(":").parseHex(m.group(1)));
  }

  /** Runs a command in {@code dir}; a non-zero exit fails the test with its output. */
  static String run(Path dir, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + ": timed out");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      fail(String.join(" ", command) + ": exit " + process.exitValue() + "\n" + text);
    }
    return text;
  }
}
