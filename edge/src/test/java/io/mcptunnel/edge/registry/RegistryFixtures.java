package io.mcptunnel.edge.registry;

import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Test CAs, deterministic tokens and registry YAML written by hand. */
final class RegistryFixtures {
  static final TestPki PKI_A = TestPki.create("registry-ca-a");
  static final TestPki PKI_B = TestPki.create("registry-ca-b");
  static final X509Certificate CA_A = PKI_A.ca().certificate();
  static final X509Certificate CA_B = PKI_B.ca().certificate();

  private RegistryFixtures() {}

  /** A token whose secret is fixed by {@code seed}, so its hash can go in a file. */
  static TunnelToken token(String tunnelId, String tokenId, int seed) {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) seed);
    return TunnelToken.of(tunnelId, tokenId, secret);
  }

  static String pem(X509Certificate... certs) {
    return Arrays.stream(certs).map(PemFiles::toPem).collect(Collectors.joining());
  }

  /** One list entry; {@code extra} is more "key: value" lines, already indented by 4. */
  static String entry(String id, String domain, TunnelToken token, String extra) {
    return "  - id: " + id + "\n"
        + "    domain: " + domain + "\n"
        + "    organization: org_1\n"
        + "    token_id: " + token.tokenId() + "\n"
        + "    token_sha256: " + token.secretHash() + "\n"
        + extra;
  }

  /** A {@code ca_certificates: |} block of the PEM text, indented for a list entry. */
  static String caBlock(String pem) {
    return "    ca_certificates: |\n" + pem.lines().map(l -> "      " + l + "\n").collect(Collectors.joining());
  }

  static String registry(String... entries) {
    return entries.length == 0 ? "tunnels: []\n" : "tunnels:\n" + String.join("", entries);
  }

  /** Replaces the file by rename, as an operator should, so a poll never reads half of it. */
  static void writeAtomically(Path file, String text) {
    try {
      Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
