package io.mcptunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPassphrase;
import io.mcptunnel.pki.KeyPassphraseException;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.ServerCertificateValidator;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewCertTest {
  static final String DOMAIN = "abcd1234.tunnels.test";

  @TempDir
  Path tmp;

  DirectoryOutput output;
  IssuedCertificate ca;
  final List<String> lines = new ArrayList<>();

  @BeforeEach
  void provision() {
    output = new DirectoryOutput(tmp);
    ca = TunnelPki.newCa(DOMAIN);
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(OutputKeys.TUNNEL_ID, "tnl_x");
    entries.put(OutputKeys.TUNNEL_DOMAIN, DOMAIN);
    entries.put(OutputKeys.TUNNEL_TOKEN, "secret-token");
    entries.put(OutputKeys.CA_CRT, PemFiles.toPem(ca.certificate()));
    entries.put(OutputKeys.CA_KEY, PemFiles.toPem(ca.privateKey()));
    entries.putAll(TunnelPki.serverCertificate(ca, DOMAIN, Duration.ofDays(90)));
    entries.put(OutputKeys.TOKEN_VERSION, "");
    output.write(entries);
  }

  RenewCert.Result renew(Clock clock, Duration renewBefore) {
    return new RenewCert(clock, lines::add).run(new RenewCert.Options(output, null, renewBefore));
  }

  @Test
  void nothingToDoWhileMoreThanRenewBeforeRemains() {
    Map<String, String> before = output.read();
    RenewCert.Result result = renew(Clock.systemUTC(), null);
    assertThat(result.renewed()).isFalse();
    assertThat(result.remaining()).isBetween(Duration.ofDays(89), Duration.ofDays(90));
    assertThat(output.read()).isEqualTo(before);
    assertThat(lines).singleElement().asString().startsWith("tls.crt is valid for 215").endsWith("nothing to do");
  }

  @Test
  void renewsWhenTheClockReachesTheWindowKeepingTheCaAndSans() throws Exception {
    Map<String, String> before = output.read();
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(61));
    RenewCert.Result result = renew(later, null);

    assertThat(result.renewed()).isTrue();
    Map<String, String> after = output.read();
    assertThat(after.get(OutputKeys.TLS_CRT)).isNotEqualTo(before.get(OutputKeys.TLS_CRT));
    assertThat(after.get(OutputKeys.TLS_KEY)).isNotEqualTo(before.get(OutputKeys.TLS_KEY));
    after.remove(OutputKeys.TLS_CRT);
    after.remove(OutputKeys.TLS_KEY);
    before.remove(OutputKeys.TLS_CRT);
    before.remove(OutputKeys.TLS_KEY);
    assertThat(after).isEqualTo(before);
    X509Certificate server = PemFiles.readCertificates(tmp.resolve("tls.crt")).get(0);
    assertThat(ServerCertificateValidator.validate(server, List.of(ca.certificate()), "echo." + DOMAIN,
        Clock.systemUTC().instant()).valid()).isTrue();
    assertThat(server.getSubjectAlternativeNames().stream().map(l -> (Object) l.get(1))).containsExactly(DOMAIN, "*." + DOMAIN);
    assertThat(server.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(PemFiles.keyMatchesCertificate(PemFiles.readPrivateKey(tmp.resolve("tls.key")), server)).isTrue();
    assertThat(lines.toString()).doesNotContain("secret-token").contains("renewed server certificate");
  }

  @Test
  void aLargerRenewBeforeRenewsNow() {
    assertThat(renew(Clock.systemUTC(), Duration.ofDays(100)).renewed()).isTrue();
  }

  @Test
  void withoutAnInitialisedOutputItSaysWhatToRun() {
    DirectoryOutput empty = new DirectoryOutput(tmp.resolve("empty"));
    assertThatThrownBy(() -> new RenewCert(Clock.systemUTC(), lines::add)
        .run(new RenewCert.Options(empty, null, null)))
        .hasMessage("dir:" + tmp.resolve("empty") + " has no tunnel-domain; run mcptunnel setup init first");
  }

  static KeyPassphrase passphrase(String text) {
    return KeyPassphrase.of(text.toCharArray(), "test");
  }

  void encryptStoredCaKey(String passphrase) {
    Map<String, String> entries = output.read();
    entries.put(OutputKeys.CA_KEY, PemFiles.toEncryptedPem(ca.privateKey(), passphrase(passphrase)));
    output.write(entries);
  }

  @Test
  void anEncryptedCaKeyIsOpenedWithThePassphraseAndLeftAsItIs() {
    encryptStoredCaKey("correct horse");
    Map<String, String> before = output.read();

    RenewCert.Result result = new RenewCert(Clock.systemUTC(), lines::add)
        .run(new RenewCert.Options(output, null, Duration.ofDays(100), passphrase("correct horse")));

    assertThat(result.renewed()).isTrue();
    assertThat(output.read().get(OutputKeys.CA_KEY)).isEqualTo(before.get(OutputKeys.CA_KEY));
    X509Certificate server = PemFiles.readCertificates(tmp.resolve("tls.crt")).get(0);
    assertThat(ServerCertificateValidator.validate(server, List.of(ca.certificate()), "echo." + DOMAIN,
        Clock.systemUTC().instant()).valid()).isTrue();
    // tls.key stays plaintext: the proxy reads it unattended.
    assertThat(PemFiles.isEncrypted(output.read().get(OutputKeys.TLS_KEY))).isFalse();
  }

  @Test
  void anEncryptedCaKeyWithoutOrWithAWrongPassphraseChangesNothing() {
    encryptStoredCaKey("correct horse");
    Map<String, String> before = output.read();

    assertThatThrownBy(() -> new RenewCert(Clock.systemUTC(), lines::add)
        .run(new RenewCert.Options(output, null, Duration.ofDays(100), null)))
        .isInstanceOf(KeyPassphraseException.class)
        .hasMessage("dir:" + tmp + " ca.key is encrypted and no passphrase was given");
    assertThatThrownBy(() -> new RenewCert(Clock.systemUTC(), lines::add)
        .run(new RenewCert.Options(output, null, Duration.ofDays(100), passphrase("battery staple"))))
        .isInstanceOf(KeyPassphraseException.class)
        .hasMessage("wrong passphrase for dir:" + tmp + " ca.key");
    assertThat(output.read()).isEqualTo(before);
  }
}
