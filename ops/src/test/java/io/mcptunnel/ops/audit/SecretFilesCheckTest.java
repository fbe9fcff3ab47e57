package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.pki.KeyPairs;
import io.mcptunnel.pki.KeyPassphrase;
import io.mcptunnel.pki.PemFiles;
import java.io.StringWriter;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptor;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretFilesCheckTest {
  @ParameterizedTest
  @CsvSource({
      "rw-------, 0600, false",
      "r--------, 0400, false",
      "rw-r--r--, 0644, true",
      "rw-r-----, 0640, true",
      "rw-----w-, 0602, true",
      "rwx---r-x, 0705, true",
  })
  void groupOrOtherAccessIsHigh(String mode, String octal, boolean finding) {
    var f = new SecretFilesCheck.SecretFile("data/tls.key", PosixFilePermissions.fromString(mode), "alice", "1000");
    List<Finding> found = SecretFilesCheck.file(f, "alice");
    assertThat(io.mcptunnel.common.SecureFiles.octal(PosixFilePermissions.fromString(mode))).isEqualTo(octal);
    if (!finding) {
      assertThat(found).isEmpty();
      return;
    }
    assertThat(found).singleElement().satisfies(x -> {
      assertThat(x.check()).isEqualTo("secret-file-mode");
      assertThat(x.severity()).isEqualTo(Severity.HIGH);
      assertThat(x.evidence()).isEqualTo("mode " + octal + " (" + mode + ") lets group or others access a secret");
      assertThat(x.fix()).isEqualTo("chmod 600 data/tls.key");
    });
  }

  @Test
  void anotherOwnerIsNamed() {
    var f = new SecretFilesCheck.SecretFile("data/ca.key", PosixFilePermissions.fromString("rw-------"), "root", "0");
    assertThat(SecretFilesCheck.file(f, "alice")).singleElement().satisfies(x -> {
      assertThat(x.check()).isEqualTo("secret-file-owner");
      assertThat(x.evidence()).isEqualTo("owned by root (uid 0), not by alice who runs the stack");
    });
  }

  @ParameterizedTest
  @CsvSource({"rwx------, false", "rwxr-xr-x, true", "rwx--x---, true"})
  void dataFolderMustBePrivate(String mode, boolean finding) {
    assertThat(SecretFilesCheck.dataDir("data", PosixFilePermissions.fromString(mode))).hasSize(finding ? 1 : 0);
  }

  @Test
  void unencryptedCaKeyIsLow() throws Exception {
    // Real keys, made here: PKCS#8 and the legacy OpenSSL (PKCS#1) form, each plain and encrypted.
    PrivateKey key = KeyPairs.ecP256().getPrivate();
    char[] secret = "correct horse battery".toCharArray();
    String pkcs8 = PemFiles.toPem(key);
    String pkcs8Encrypted = PemFiles.toEncryptedPem(key, KeyPassphrase.of(secret.clone(), "test"));
    KeyPair pair = KeyPairs.rsa(2048);
    String legacy = legacyPem(pair, null);
    String legacyEncrypted = legacyPem(pair, new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(new BouncyCastleProvider()).build(secret));

    assertThat(SecretFilesCheck.caKey("data/ca.key", pkcs8Encrypted)).isEmpty();
    assertThat(SecretFilesCheck.caKey("data/ca.key", legacyEncrypted)).isEmpty();
    assertThat(SecretFilesCheck.caKey("data/ca.key", "not a key")).as("left to the certificate checks").isEmpty();
    for (String plain : List.of(pkcs8, legacy)) {
      assertThat(SecretFilesCheck.caKey("data/ca.key", plain)).singleElement().satisfies(f -> {
        assertThat(f.severity()).isEqualTo(Severity.LOW);
        assertThat(f.evidence()).isEqualTo("the CA private key is stored unencrypted");
        assertThat(f.fix()).isEqualTo("encrypt it in place: mcptunnel setup init --output dir:<folder> --ca-key-passphrase-file FILE (or MCPTUNNEL_CA_KEY_PASSPHRASE), or keep it offline");
      });
    }
  }

  private static String legacyPem(KeyPair pair, PEMEncryptor encryptor) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(new JcaMiscPEMGenerator(pair, encryptor));
    }
    return out.toString();
  }

}
