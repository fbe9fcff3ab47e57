package io.mcptunnel.setup;

import io.mcptunnel.pki.IssuedCertificate;
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
 * <p>The order matters. (1) Register the new CA while the old one is still registered: callers
 * now trust both. (2) Issue a server certificate from the new CA and write it with the new CA to
 * the output; the proxy hot-reloads its certificate, and whichever certificate it serves during
 * the switch, callers accept it because both CAs are registered. (3) Confirm: the written
 * certificate validates against the new CA and the new CA is active on the API. (4) Only then
 * archive the old CA (found by fingerprint), so no moment exists in which the served certificate
 * is signed by an unregistered CA. With {@code keepOld} step 4 is left to the operator, e.g. once
 * every proxy replica has picked up the new certificate.
 */
public final class RotateCa {
  public record Options(ApiEndpoint api, FederationCredentials credentials, Output output,
      Duration certDuration, boolean keepOld) {
    public Options {
      certDuration = certDuration == null ? TunnelPki.DEFAULT_CERT_DURATION : certDuration;
    }
  }

  /** {@code archivedCertificateId} is null when the old CA was kept or was not registered. */
  public record Result(String tunnelId, String newCertificateId, String newFingerprint,
      String archivedCertificateId) {}

  private final Clock clock;
  private final Consumer<String> progress;

  public RotateCa(Clock clock, Consumer<String> progress) {
    this.clock = clock;
    this.progress = progress;
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
    String oldFingerprint = CaRegistration.fingerprint(TunnelPki.storedCa(stored, output.describe()).certificate());
    TunnelsApiClient api = TunnelsApiClient.connect(options.api(), options.credentials());
    Optional<TunnelCertificate> old = CaRegistration.active(api, tunnelId).stream()
        .filter(c -> c.fingerprint().equalsIgnoreCase(oldFingerprint)).findFirst();

    IssuedCertificate ca = TunnelPki.newCa(domain);
    TunnelCertificate registered = CaRegistration.register(api, tunnelId, ca.certificate());
    progress.accept("registered new CA " + registered.id() + " (sha256 " + registered.fingerprint()
        + "); callers now trust the old and the new CA");

    Map<String, String> entries = new LinkedHashMap<>(stored);
    entries.put(OutputKeys.CA_CRT, PemFiles.toPem(ca.certificate()));
    entries.put(OutputKeys.CA_KEY, PemFiles.toPem(ca.privateKey()));
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
    if (options.keepOld()) {
      progress.accept("kept old CA " + old.get().id() + "; archive it once every proxy serves the new"
          + " certificate: POST /v1/tunnels/" + tunnelId + "/certificates/" + old.get().id() + "/archive");
      return new Result(tunnelId, registered.id(), registered.fingerprint(), null);
    }
    api.archiveCertificate(tunnelId, old.get().id());
    progress.accept("archived old CA " + old.get().id() + " (sha256 " + oldFingerprint + ")");
    return new Result(tunnelId, registered.id(), registered.fingerprint(), old.get().id());
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
