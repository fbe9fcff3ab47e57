package io.mcptunnel.setup;

import io.mcptunnel.common.GoDuration;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPassphrase;
import io.mcptunnel.pki.PemFiles;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code mcptunnel setup renew-cert}: a new server certificate signed by the stored CA for the
 * stored domain, without any API call. Nothing happens while more than {@code renewBefore} of the
 * current certificate's validity remains.
 */
public final class RenewCert {
  public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofHours(720);

  /** @param caKeyPassphrase opens an encrypted ca.key (null: ca.key must be plaintext); not closed here */
  public record Options(Output output, Duration certDuration, Duration renewBefore, KeyPassphrase caKeyPassphrase) {
    public Options(Output output, Duration certDuration, Duration renewBefore) {
      this(output, certDuration, renewBefore, null);
    }

    public Options {
      certDuration = certDuration == null ? TunnelPki.DEFAULT_CERT_DURATION : certDuration;
      renewBefore = renewBefore == null ? DEFAULT_RENEW_BEFORE : renewBefore;
    }
  }

  /** {@code notAfter} of the certificate now in the output; {@code remaining} before renewal. */
  public record Result(boolean renewed, Instant notAfter, Duration remaining) {}

  private final Clock clock;
  private final Consumer<String> progress;

  public RenewCert(Clock clock, Consumer<String> progress) {
    this.clock = clock;
    this.progress = progress;
  }

  public Result run(Options options) {
    Output output = options.output();
    Map<String, String> stored = output.read();
    for (String key : new String[] {OutputKeys.TUNNEL_DOMAIN, OutputKeys.CA_CRT, OutputKeys.CA_KEY}) {
      if (!stored.containsKey(key)) {
        throw new SetupException(output.describe() + " has no " + key + "; run mcptunnel setup init first");
      }
    }
    String domain = stored.get(OutputKeys.TUNNEL_DOMAIN).trim();
    IssuedCertificate ca = TunnelPki.storedCa(stored, output.describe(), options.caKeyPassphrase());
    Instant now = clock.instant();
    if (TunnelPki.serverCertificateUsable(stored, ca.certificate(), domain, now)) {
      Instant notAfter = PemFiles.parseCertificates(stored.get(OutputKeys.TLS_CRT), "tls.crt").get(0)
          .getNotAfter().toInstant();
      Duration remaining = Duration.between(now, notAfter);
      if (remaining.compareTo(options.renewBefore()) > 0) {
        progress.accept("tls.crt is valid for " + GoDuration.format(remaining.withNanos(0))
            + " more (until " + notAfter + "), more than --renew-before "
            + GoDuration.format(options.renewBefore()) + "; nothing to do");
        return new Result(false, notAfter, remaining);
      }
    }
    Map<String, String> entries = new LinkedHashMap<>(stored);
    entries.putAll(TunnelPki.serverCertificate(ca, domain, options.certDuration()));
    output.write(entries);
    Instant notAfter = PemFiles.parseCertificates(entries.get(OutputKeys.TLS_CRT), "tls.crt").get(0)
        .getNotAfter().toInstant();
    progress.accept("renewed server certificate for " + domain + " and *." + domain + ", valid until "
        + notAfter + "; wrote tls.crt and tls.key to " + output.describe());
    return new Result(true, notAfter, Duration.between(now, notAfter));
  }
}
