package io.mcptunnel.cli;

import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.pki.CaCertificateValidator;
import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.PkiException;
import io.mcptunnel.pki.ServerCertificateValidator;
import io.mcptunnel.pki.ValidationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mcptunnel pki verify}: the CA rules and the server-certificate rules of SPEC 4.1, the
 * same validators the control plane and the caller use. Both always run and both are printed; the
 * exit status is 1 when either fails, naming the first failed rule.
 */
@Command(name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Check a CA certificate and a server certificate against the SPEC 4.1 rules",
        "(as the control plane and the caller do). Exit 1 names the first rule that fails."})
public final class PkiVerifyCommand implements Callable<Integer> {
  static final String CA_RULES = "PEM, exactly one certificate, no private key, at most 8 KB, "
      + "basicConstraints critical CA:TRUE, subjectKeyIdentifier, keyUsage keyCertSign, validity, "
      + "RSA >= 2048 or ECDSA >= P-256, signature SHA-256 or stronger";
  static final String SERVER_RULES = "signed directly by the CA, authorityKeyIdentifier = CA "
      + "subjectKeyIdentifier, SAN covers the host, extendedKeyUsage serverAuth (if present), "
      + "validity, key size, signature SHA-256 or stronger";

  @Spec
  CommandSpec spec;

  @Option(names = "--ca", required = true, paramLabel = "FILE", description = "The CA certificate (PEM).")
  Path caFile;

  @Option(names = "--cert", required = true, paramLabel = "FILE",
      description = "The server certificate (PEM; the first certificate is the one checked).")
  Path certFile;

  @Option(names = "--host", required = true, paramLabel = "HOST",
      description = "A name callers dial, e.g. mcp.<tunnel domain>.")
  String host;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    PrintWriter out = spec.commandLine().getOut();
    List<String> failures = new ArrayList<>();

    String caPem = read(caFile);
    ValidationResult ca = CaCertificateValidator.validatePem(caPem, now);
    report(out, "CA rules", caFile.toString(), ca, CA_RULES, failures);

    List<X509Certificate> server = PemFiles.readCertificates(certFile);
    if (server.isEmpty()) {
      throw new McptunnelException(certFile + ": no certificate found");
    }
    List<X509Certificate> cas = parsedCas(caPem);
    ValidationResult leaf = ServerCertificateValidator.validate(server.get(0), cas, host, now);
    report(out, "server rules", certFile + " for " + host, leaf, SERVER_RULES, failures);
    out.flush();
    if (!failures.isEmpty()) {
      throw new McptunnelException(failures.get(0));
    }
    out.println("OK: the proxy can present " + certFile + " for " + host);
    return 0;
  }

  private static void report(PrintWriter out, String what, String subject, ValidationResult result,
      String rules, List<String> failures) {
    if (result.valid()) {
      out.printf("ok    %s, %s%n", what, subject);
      out.printf("        checked: %s%n", rules);
      result.certificate().ifPresent(c -> out.printf("        SHA-256 fingerprint %s, expires %s%n",
          Fingerprints.sha256Hex(c), c.getNotAfter().toInstant()));
    } else {
      out.printf("FAIL  %s, %s: %s%n", what, subject, result.failure());
      failures.add(what + " failed for " + subject + ": " + result.failure());
    }
  }

  /** The CA as the server check sees it; unparseable text leaves no CA to be signed by. */
  private static List<X509Certificate> parsedCas(String pem) {
    try {
      return PemFiles.parseCertificates(pem, "CA");
    } catch (PkiException e) {
      return List.of();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new McptunnelException("open " + file + ": no such file or directory", e);
    } catch (IOException e) {
      throw new McptunnelException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
