package io.mcptunnel.ops.audit;

import io.mcptunnel.common.SecureFiles;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.PkiException;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Credentials at rest: modes, owners, and whether the CA key is encrypted. */
final class SecretFilesCheck {
  static final String MODE = "secret-file-mode";
  static final String OWNER = "secret-file-owner";
  static final String DIR_MODE = "data-dir-mode";
  static final String CA_KEY_PLAIN = "ca-key-unencrypted";

  private SecretFilesCheck() {}

  /** What is known of one secret file (no content). */
  record SecretFile(String path, Set<PosixFilePermission> mode, String owner, String uid) {}

  static List<Finding> file(SecretFile f, String currentUser) {
    List<Finding> out = new ArrayList<>();
    if (SecureFiles.grantsGroupOrOthers(f.mode())) {
      out.add(new Finding(MODE, Severity.HIGH, f.path(),
          "mode " + SecureFiles.octal(f.mode()) + " (" + PosixFilePermissions.toString(f.mode()) + ") lets group or others access a secret",
          "chmod 600 " + f.path()));
    }
    if (!f.owner().equals(currentUser)) {
      out.add(new Finding(OWNER, Severity.MEDIUM, f.path(),
          "owned by " + f.owner() + (f.uid() == null ? "" : " (uid " + f.uid() + ")") + ", not by " + currentUser
              + " who runs the stack",
          "chown " + currentUser + " " + f.path() + " (or run the audit as the stack's user)"));
    }
    return out;
  }

  static List<Finding> dataDir(String path, Set<PosixFilePermission> mode) {
    if (!SecureFiles.grantsGroupOrOthers(mode)) {
      return List.of();
    }
    return List.of(new Finding(DIR_MODE, Severity.MEDIUM, path,
        "folder mode " + SecureFiles.octal(mode) + " (" + PosixFilePermissions.toString(mode) + ") lets group or others in",
        "chmod 700 " + path));
  }

  /**
   * Whether the key is encrypted is decided by pki, as everywhere else (PKCS#8 or legacy OpenSSL
   * encryption); the key itself never goes into a finding. A file that holds no key is left to the
   * certificate checks.
   */
  static List<Finding> caKey(String path, String pem) {
    try {
      if (PemFiles.isEncrypted(pem) || PemFiles.parsePrivateKey(pem, path) == null) {
        return List.of();
      }
    } catch (PkiException e) {
      return List.of();
    }
    return List.of(new Finding(CA_KEY_PLAIN, Severity.LOW, path,
        "the CA private key is stored unencrypted",
        "encrypt it in place: mcptunnel setup init --output dir:<folder> --ca-key-passphrase-file FILE (or MCPTUNNEL_CA_KEY_PASSPHRASE), or keep it offline"));
  }
}
