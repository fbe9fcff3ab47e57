package io.mcptunnel.setup;

import io.mcptunnel.common.GoDuration;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPassphrase;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.ServerCertificateValidator;
import io.mcptunnel.pki.ValidationResult;
import io.mcptunnel.setup.TunnelsApiClient.TunnelCertificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code mcptunnel setup rotate-ca}: replaces the tunnel CA without downtime, using the two slots.
 *
 * <p>The order matters. (1) Register the new CA while the old one is still registered. (2) Wait
 * {@code trustWait}: callers cache a tunnel's CA list (up to 5 s, edges 1 s), and a caller whose
 * list still holds only the old CA would refuse a proxy already serving the new certificate.
 * (3) Issue a server certificate from the new CA and write it with the new CA to the output; the
 * proxy hot-reloads its certificate, and whichever certificate it serves during the switch,
 * callers accept it because both CAs are registered and known. (4) Confirm: the written
 * certificate validates against the new CA and the new CA is active on the API. (5) Wait
 * {@code switchWait}: a proxy picks the new files up only when it next polls them (every 5 s by
 * default), and a Kubernetes Secret volume is updated a minute or more after the Secret; until
 * then it serves the old certificate, which must stay trusted. (6) Only then archive the old CA
 * (found by fingerprint), so no moment exists in which the served certificate is signed by a CA
 * callers do not trust. With {@code keepOld} steps 5 and 6 are left to the operator, e.g. once
 * every proxy replica has picked up the new certificate.
 */
public final class RotateCa {
  /** Callers refresh their CA lists within 5 s, edges within 1 s; the default leaves a margin. */
  public static final Duration DEFAULT_TRUST_WAIT = Duration.ofSeconds(15);
  /** Proxies poll their certificate files every 5 s; Kubernetes Secret volumes can take a minute or more. */
  public static final Duration DEFAULT_SWITCH_WAIT = Duration.ofMinutes(2);

  /** How the waits pass; tests substitute one that does not really sleep. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * @param trustWait after registering the new CA, before switching the server certificate (null:
   *     {@link #DEFAULT_TRUST_WAIT})
   * @param switchWait after writing the new server certificate, before archiving the old CA (null:
   *     {@link #DEFAULT_SWITCH_WAIT})
   * @param caKeyPassphrase must open the stored ca.key when it is encrypted; the new CA key is
   *     written encrypted under it (null: plaintext, refused when the stored key is encrypted)
   */
  public record Options(ApiEndpoint api, FederationCredentials credentials, Output output,
      Duration certDuration, boolean keepOld, Duration trustWait, Duration switchWait,
      KeyPassphrase caKeyPassphrase) {
    public Options(ApiEndpoint api, FederationCredentials credentials, Output output,
        Duration certDuration, boolean keepOld, Duration trustWait, Duration switchWait) {
      this(api, credentials, output, certDuration, keepOld, trustWait, switchWait, null);
    }

    public Options {
      certDuration = certDuration == null ? TunnelPki.DEFAULT_CERT_DURATION : certDuration;
      trustWait = trustWait == null ? DEFAULT_TRUST_WAIT : trustWait;
      switchWait = switchWait == null ? DEFAULT_SWITCH_WAIT : switchWait;
      if (trustWait.isNegative() || switchWait.isNegative()) {
        throw new IllegalArgumentException("the trust and switch waits cannot be negative");
      }
    }

    /** The default waits. */
    public Options(ApiEndpoint api, FederationCredentials credentials, Output output, Duration certDuration,
        boolean keepOld) {
      this(api, credentials, output, certDuration, keepOld, null, null);
    }
  }

  /** {@code archivedCertificateId} is null when the old CA was kept or was not registered. */
  public record Result(String tunnelId, String newCertificateId, String newFingerprint,
      String archivedCertificateId) {}

  private final Clock clock;
  private final Consumer<String> progress;
  private final Sleeper sleeper;

  public RotateCa(Clock clock, Consumer<String> progress) {
    this(clock, progress, Sleeper.REAL);
  }

  public RotateCa(Clock clock, Consumer<String> progress, Sleeper sleeper) {
    this.clock = clock;
    this.progress = progress;
    this.sleeper = sleeper;
  }

  public Result run(Options options) {
    Output output = options.output();
    Map<String, String> stored = output.read();
    for (String key : new String[] {OutputKeys.TUNNEL_ID, OutputKeys.TUNNEL_DOMAIN, OutputKeys.CA_CRT, OutputKeys.CA_KEY}) {
      if (!stored.containsKey(key)) {
        throw new SetupException(output.describe() + " has no " + key + "; run mcptunnel setup init first");
      }
    }
    String tunnelId = stored.get(OutputKeys.TUNNEL_ID).trim();
    String domain = stored.get(OutputKeys.TUNNEL_DOMAIN).trim();
    // Opening the old key proves the passphrase is the one the CA key is kept under, so the new
    // key is written under the same one and never in plaintext after an encrypted one.
    String oldFingerprint = CaRegistration.fingerprint(
        TunnelPki.storedCa(stored, output.describe(), options.caKeyPassphrase()).certificate());
    TunnelsApiClient api = TunnelsApiClient.connect(options.api(), options.credentials());
    Optional<TunnelCertificate> old = CaRegistration.active(api, tunnelId).stream()
        .filter(c -> c.fingerprint().equalsIgnoreCase(oldFingerprint)).findFirst();

    IssuedCertificate ca = TunnelPki.newCa(domain);
    TunnelCertificate registered = CaRegistration.register(api, tunnelId, ca.certificate());
    progress.accept("registered new CA " + registered.id() + " (sha256 " + registered.fingerprint()
        + "); callers trust the old and the new CA once their CA lists refresh");
    await(options.trustWait(), "waiting " + GoDuration.format(options.trustWait())
        + " for callers to trust the new CA", "the new CA " + registered.id() + " is registered, nothing was written");

    Map<String, String> entries = new LinkedHashMap<>(stored);
    entries.put(OutputKeys.CA_CRT, PemFiles.toPem(ca.certificate()));
    entries.put(OutputKeys.CA_KEY, TunnelPki.caKeyPem(ca, options.caKeyPassphrase()));
    entries.putAll(TunnelPki.serverCertificate(ca, domain, options.certDuration()));
    output.write(entries);
    progress.accept("wrote new ca.crt, ca.key, tls.crt, tls.key to " + output.describe()
        + " (the proxy reloads its certificate)");

    confirm(api, tunnelId, domain, output, ca.certificate(), registered);
    progress.accept("confirmed: tls.crt validates against the new CA, which is active");

    if (old.isEmpty()) {
      progress.accept("the old CA (sha256 " + oldFingerprint + ") was not active; nothing to archive");
      return new Result(tunnelId, registered.id(), registered.fingerprint(), null);
    }
    if (!options.keepOld()) {
      await(options.switchWait(), "waiting " + GoDuration.format(options.switchWait())
          + " for proxies to serve the new certificate before archiving the old CA",
          "the new certificate is written; the old CA " + old.get().id() + " stays registered");
    }
    if (options.keepOld()) {
      progress.accept("kept old CA " + old.get().id() + "; archive it once every proxy serves the new"
          + " certificate: POST /v1/tunnels/" + tunnelId + "/certificates/" + old.get().id() + "/archive");
      return new Result(tunnelId, registered.id(), registered.fingerprint(), null);
    }
    api.archiveCertificate(tunnelId, old.get().id());
    progress.accept("archived old CA " + old.get().id() + " (sha256 " + oldFingerprint + ")");
    return new Result(tunnelId, registered.id(), registered.fingerprint(), old.get().id());
  }

  private void await(Duration wait, String step, String state) {
    if (wait.isZero()) {
      return;
    }
    progress.accept(step);
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SetupException("interrupted while " + step + "; " + state);
    }
  }

  private void confirm(TunnelsApiClient api, String tunnelId, String domain, Output output,
      X509Certificate ca, TunnelCertificate registered) {
    Map<String, String> written = output.read();
    X509Certificate server = PemFiles.parseCertificates(written.get(OutputKeys.TLS_CRT), "tls.crt").get(0);
    ValidationResult result = ServerCertificateValidator.validate(server, List.of(ca), domain, clock.instant());
    if (!result.valid()) {
      throw new SetupException("the new server certificate does not validate against the new CA ("
          + result.failure() + "); the old CA stays registered");
    }
    boolean active = CaRegistration.active(api, tunnelId).stream().anyMatch(c -> c.id().equals(registered.id()));
    if (!active) {
      throw new SetupException("the new CA " + registered.id() + " is no longer active on tunnel "
          + tunnelId + "; the old CA stays registered");
    }
  }
}
