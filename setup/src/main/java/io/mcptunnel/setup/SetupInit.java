package io.mcptunnel.setup;

import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPassphrase;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.setup.TunnelsApiClient.Tunnel;
import io.mcptunnel.setup.TunnelsApiClient.TunnelCertificate;
import io.mcptunnel.setup.TunnelsApiClient.TunnelToken;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code mcptunnel setup init} (SPEC §5) as a library: tunnel, CA, server certificate and token
 * into an {@link Output}. Idempotent: a re-run reuses the stored tunnel, CA and certificate and
 * rotates the token only when {@code tokenVersion} differs from the stored one.
 */
public final class SetupInit {
  /**
   * @param tunnelId attach to this tunnel; null reuses the stored one or creates a tunnel
   * @param tokenVersion null keeps the stored version and never rotates
   * @param severExisting a rotation also drops the live connections of older tokens on every edge
   *     (the breach runbook's "rotate and kill"); requires {@code tokenVersion}
   */
  /**
   * @param caKeyPassphrase encrypts ca.key at rest (null: plaintext); not closed here
   */
  public record Options(ApiEndpoint api, FederationCredentials credentials, Output output,
      String tunnelId, Duration certDuration, String tokenVersion, boolean severExisting,
      KeyPassphrase caKeyPassphrase) {
    public Options {
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(credentials, "credentials");
      Objects.requireNonNull(output, "output");
      certDuration = certDuration == null ? TunnelPki.DEFAULT_CERT_DURATION : certDuration;
      if (certDuration.isZero() || certDuration.isNegative()) {
        throw new SetupException("--cert-duration must be greater than zero");
      }
      if (severExisting && tokenVersion == null) {
        throw new SetupException("--sever-existing requires --token-version (severing happens with a rotation)");
      }
    }

    /** Without severing, with a plaintext ca.key. */
    public Options(ApiEndpoint api, FederationCredentials credentials, Output output, String tunnelId,
        Duration certDuration, String tokenVersion) {
      this(api, credentials, output, tunnelId, certDuration, tokenVersion, false, null);
    }
  }

  /** What the run did; holds no secret. */
  public record Result(String tunnelId, String domain, boolean tunnelCreated, boolean caCreated,
      String caCertificateId, String caFingerprint, boolean serverCertificateIssued,
      boolean tokenRotated, String output, int entries) {}

  private final Clock clock;
  private final Consumer<String> progress;

  public SetupInit(Clock clock, Consumer<String> progress) {
    this.clock = clock;
    this.progress = progress;
  }

  public Result run(Options options) {
    Output output = options.output();
    Map<String, String> stored = output.read();
    KeyPassphrase passphrase = options.caKeyPassphrase();
    TunnelPki.requirePassphraseIfEncrypted(stored, output.describe(), passphrase);
    String storedId = stored.get(OutputKeys.TUNNEL_ID);
    TunnelsApiClient api = TunnelsApiClient.connect(options.api(), options.credentials());
    Tunnel tunnel = tunnel(api, options.tunnelId(), storedId == null ? null : storedId.trim());
    boolean sameTunnel = tunnel.id().equals(storedId == null ? null : storedId.trim());
    boolean tunnelCreated = options.tunnelId() == null && storedId == null;
    if (tunnelCreated) {
      // Remember the tunnel before anything else can fail, so a retry reuses it instead of
      // creating a second one (tunnels are not idempotent to create).
      Map<String, String> claimed = new LinkedHashMap<>(stored);
      claimed.put(OutputKeys.TUNNEL_DOMAIN, tunnel.domain());
      claimed.put(OutputKeys.TUNNEL_ID, tunnel.id());
      output.write(claimed);
    }

    Map<String, String> entries = new LinkedHashMap<>();
    boolean caCreated = !sameTunnel || !stored.containsKey(OutputKeys.CA_CRT) || !stored.containsKey(OutputKeys.CA_KEY);
    IssuedCertificate ca;
    TunnelCertificate registered;
    if (caCreated) {
      ca = TunnelPki.newCa(tunnel.domain());
      registered = CaRegistration.register(api, tunnel.id(), ca.certificate());
      progress.accept("registered CA " + registered.id() + " (sha256 " + registered.fingerprint() + ")");
    } else {
      ca = TunnelPki.storedCa(stored, output.describe(), passphrase);
      registered = stillRegistered(api, tunnel.id(), ca);
      progress.accept("kept CA " + registered.id() + " (sha256 " + registered.fingerprint() + ")");
    }
    entries.put(OutputKeys.CA_CRT, caCreated ? PemFiles.toPem(ca.certificate()) : stored.get(OutputKeys.CA_CRT));
    entries.put(OutputKeys.CA_KEY, caKey(caCreated, ca, stored, output.describe(), passphrase));

    boolean issued = caCreated || !TunnelPki.serverCertificateUsable(stored, ca.certificate(), tunnel.domain(), clock.instant());
    if (issued) {
      entries.putAll(TunnelPki.serverCertificate(ca, tunnel.domain(), options.certDuration()));
      progress.accept("issued server certificate for " + tunnel.domain() + " and *." + tunnel.domain());
    } else {
      entries.put(OutputKeys.TLS_CRT, stored.get(OutputKeys.TLS_CRT));
      entries.put(OutputKeys.TLS_KEY, stored.get(OutputKeys.TLS_KEY));
    }

    String storedVersion = sameTunnel ? stored.getOrDefault(OutputKeys.TOKEN_VERSION, "").trim() : "";
    String version = options.tokenVersion() != null ? options.tokenVersion().trim() : storedVersion;
    boolean rotate = sameTunnel && options.tokenVersion() != null && !version.equals(storedVersion);
    TunnelToken token;
    try {
      token = token(api, tunnel.id(), rotate, options.severExisting(), storedVersion, version);
    } catch (RuntimeException e) {
      if (caCreated) {
        releaseSlot(api, tunnel.id(), registered, e);
      }
      throw e;
    }
    entries.put(OutputKeys.TUNNEL_TOKEN, token.value());
    entries.put(OutputKeys.TUNNEL_DOMAIN, tunnel.domain());
    entries.put(OutputKeys.TOKEN_VERSION, version);
    entries.put(OutputKeys.TUNNEL_ID, tunnel.id());
    output.write(entries);
    progress.accept("wrote " + output.describe() + " (" + entries.size() + " files)");
    return new Result(tunnel.id(), tunnel.domain(), tunnelCreated, caCreated, registered.id(),
        registered.fingerprint(), issued, rotate, output.describe(), entries.size());
  }

  /**
   * The stored ca.key unchanged (a re-run rewrites nothing), except that a plaintext one is
   * encrypted when a passphrase is given: the operator asked for the key to be protected.
   */
  private String caKey(boolean caCreated, IssuedCertificate ca, Map<String, String> stored, String where,
      KeyPassphrase passphrase) {
    if (caCreated) {
      return TunnelPki.caKeyPem(ca, passphrase);
    }
    if (passphrase != null && !TunnelPki.caKeyEncrypted(stored, where)) {
      progress.accept("encrypting the stored plaintext ca.key with the given passphrase");
      return TunnelPki.caKeyPem(ca, passphrase);
    }
    return stored.get(OutputKeys.CA_KEY);
  }

  private TunnelToken token(TunnelsApiClient api, String tunnelId, boolean rotate, boolean sever, String from,
      String to) {
    if (!rotate) {
      if (sever) {
        // Said, not failed: a re-run of the same command must stay idempotent.
        progress.accept("token not rotated (token-version " + to + " is the stored one for this tunnel),"
            + " so --sever-existing severed no connections; pass a new --token-version to rotate and sever");
      }
      return api.revealToken(tunnelId);
    }
    String change = from.isEmpty() ? "token-version set to " + to + " (was unset)"
        : "token-version changed from " + from + " to " + to;
    TunnelToken token = api.rotateToken(tunnelId, "mcptunnel setup init: " + change, sever);
    progress.accept("rotated token (" + change + ")"
        + (sever ? "; edges drop the connections made with older tokens" : ""));
    return token;
  }

  /** The new CA was never stored: free its slot so a retry does not find both taken. */
  private void releaseSlot(TunnelsApiClient api, String tunnelId, TunnelCertificate ca, RuntimeException cause) {
    try {
      api.archiveCertificate(tunnelId, ca.id());
      progress.accept("archived CA " + ca.id() + " again: it was registered but could not be stored");
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private Tunnel tunnel(TunnelsApiClient api, String requested, String storedId) {
    Tunnel tunnel;
    if (requested != null) {
      tunnel = api.getTunnel(requested);
      progress.accept((requested.equals(storedId) ? "using tunnel " : "attached to tunnel ")
          + tunnel.id() + " (domain " + tunnel.domain() + ")");
    } else if (storedId != null) {
      tunnel = api.getTunnel(storedId);
      progress.accept("using tunnel " + tunnel.id() + " (domain " + tunnel.domain() + ")");
    } else {
      tunnel = api.createTunnel(null);
      progress.accept("created tunnel " + tunnel.id() + " (domain " + tunnel.domain() + ")");
    }
    if (tunnel.archived()) {
      throw new SetupException("tunnel " + tunnel.id() + " is archived; pass another --tunnel-id"
          + " or use an empty output to create a new tunnel");
    }
    return tunnel;
  }

  /** The stored CA must still hold a slot; a revoked CA is not silently registered again. */
  private static TunnelCertificate stillRegistered(TunnelsApiClient api, String tunnelId, IssuedCertificate ca) {
    String fingerprint = CaRegistration.fingerprint(ca.certificate());
    return CaRegistration.active(api, tunnelId).stream()
        .filter(c -> c.fingerprint().equalsIgnoreCase(fingerprint)).findFirst()
        .orElseThrow(() -> new SetupException("the stored CA (sha256 " + fingerprint
            + ") is not an active certificate of tunnel " + tunnelId
            + " (revoked?); run mcptunnel setup rotate-ca to register a new one"));
  }
}
