package io.mcptunnel.cli;

import io.mcptunnel.caller.CallerSettings;
import io.mcptunnel.caller.CallerTls;
import io.mcptunnel.caller.ControlPlaneTunnelCas;
import io.mcptunnel.caller.StaticTunnelCas;
import io.mcptunnel.caller.TunnelCas;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.pki.PemFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * How a caller command reaches tunnels, shared by {@code caller gateway} and {@code call}. The caller
 * key is read from {@value #KEY_ENV} or a file, never from the command line (it would show in
 * {@code ps}); it is never printed.
 */
public final class CallerOptions {
  static final String KEY_ENV = "MCPTUNNEL_CALLER_KEY";
  /** Where {@value #KEY_ENV} is looked up; a seam so tests need not touch the real environment. */
  static Function<String, String> environment = System::getenv;

  @Option(names = "--edge", required = true, paramLabel = "HOST:PORT",
      description = "An edge's caller address; repeat for several edges (tried in turn).")
  List<String> edges;

  @Option(names = "--edge-ca", paramLabel = "FILE",
      description = "PEM CA certificate(s) trusted for the edge's certificate (default: the system CAs).")
  Path edgeCa;

  @Option(names = "--caller-key-file", paramLabel = "FILE",
      description = "File holding the caller key. Alternative to " + KEY_ENV + "; not needed with --client-cert "
          + "when the edge authenticates this caller by its certificate.")
  Path callerKeyFile;

  @Option(names = "--client-cert", paramLabel = "FILE",
      description = "PEM client certificate (chain) for edges that use mutual TLS; needs --client-key.")
  Path clientCert;

  @Option(names = "--client-key", paramLabel = "FILE", description = "PEM private key of --client-cert.")
  Path clientKey;

  @Option(names = "--tunnel", paramLabel = "DOMAIN=CA_FILE",
      description = "A tunnel domain and the PEM file of its active CA certificate(s), which the proxy's "
          + "certificate must be signed by; repeat for several tunnels. Alternative to --control-plane-url.")
  List<String> tunnels;

  @Option(names = "--control-plane-url", paramLabel = "URL",
      description = "Ask the control plane for tunnels' active CA certificates (cached for seconds). https; http "
          + "only to localhost or a loopback address. Needs --control-plane-credential-file. Alternative to --tunnel.")
  String controlPlaneUrl;

  @Option(names = "--control-plane-credential-file", paramLabel = "FILE",
      description = "File holding this caller's internal client credential (role caller) for --control-plane-url.")
  Path controlPlaneCredentialFile;

  @Option(names = "--control-plane-ca-file", paramLabel = "FILE",
      description = "PEM CA certificate(s) trusted for the control plane's certificate (default: the system CAs).")
  Path controlPlaneCaFile;

  @Option(names = "--threads", paramLabel = "N",
      description = "Event loop threads (default: the number of CPU cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  /** Everything is checked before a socket opens; each error names the flag. */
  CallerSettings settings() {
    List<HostPort> edgeAddresses = edges.stream().map(CallerOptions::edge).toList();
    TunnelCas cas = tunnelCasSource();
    for (Path f : new Path[] {edgeCa, clientCert, clientKey, callerKeyFile}) {
      if (f != null && !Files.isReadable(f)) {
        throw new McptunnelException(f + ": cannot read the file");
      }
    }
    if (threads < 1) {
      throw new McptunnelException("--threads must be at least 1");
    }
    String key = callerKey();
    if (key == null && clientCert == null) {
      throw new McptunnelException("no caller credentials: set " + KEY_ENV + ", pass --caller-key-file FILE, "
          + "or pass --client-cert and --client-key");
    }
    return new CallerSettings(edgeAddresses,
        CallerTls.edgeClient(Optional.ofNullable(edgeCa), Optional.ofNullable(clientCert),
            Optional.ofNullable(clientKey)),
        key, cas, threads);
  }

  private static HostPort edge(String value) {
    try {
      HostPort hp = HostPort.parse(value);
      if (hp.anyInterface() || hp.port() == 0) {
        throw new IllegalArgumentException("a host and a port are needed");
      }
      return hp;
    } catch (IllegalArgumentException e) {
      throw new McptunnelException("--edge " + value + ": " + e.getMessage());
    }
  }

  private String callerKey() {
    String fromEnv = environment.apply(KEY_ENV);
    boolean env = fromEnv != null && !fromEnv.isBlank();
    if (env && callerKeyFile != null) {
      throw new McptunnelException("the caller key is given twice: set " + KEY_ENV + " or pass --caller-key-file, "
          + "not both");
    }
    if (env) {
      return fromEnv.strip();
    }
    if (callerKeyFile == null) {
      return null;
    }
    try {
      String key = Files.readString(callerKeyFile).strip();
      if (key.isEmpty()) {
        throw new McptunnelException("--caller-key-file " + callerKeyFile + " is empty");
      }
      return key;
    } catch (IOException e) {
      // Never quote the file's content.
      throw new McptunnelException("--caller-key-file " + callerKeyFile + ": cannot read ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** Exactly one source of tunnel CAs: {@code --tunnel} options or the control plane. */
  private TunnelCas tunnelCasSource() {
    boolean staticCas = tunnels != null && !tunnels.isEmpty();
    boolean controlPlane = controlPlaneUrl != null;
    if (staticCas && controlPlane) {
      throw new McptunnelException("--tunnel and --control-plane-url are alternatives: tunnel CA certificates come "
          + "from one source, pass one of them");
    }
    if (!controlPlane) {
      if (controlPlaneCredentialFile != null || controlPlaneCaFile != null) {
        throw new McptunnelException("--control-plane-credential-file and --control-plane-ca-file need "
            + "--control-plane-url");
      }
      if (!staticCas) {
        throw new McptunnelException("no source of tunnel CA certificates: pass --tunnel DOMAIN=CA_FILE (repeatable) "
            + "or --control-plane-url URL with --control-plane-credential-file FILE");
      }
      return new StaticTunnelCas(tunnelCas());
    }
    if (controlPlaneCredentialFile == null) {
      throw new McptunnelException("--control-plane-url needs --control-plane-credential-file FILE");
    }
    URI url;
    try {
      url = new URI(controlPlaneUrl);
    } catch (URISyntaxException e) {
      throw new McptunnelException("--control-plane-url " + controlPlaneUrl + ": not a URL");
    }
    Optional<List<X509Certificate>> trusted = Optional.empty();
    if (controlPlaneCaFile != null) {
      try {
        trusted = Optional.of(PemFiles.readCertificates(controlPlaneCaFile));
      } catch (McptunnelException e) {
        throw new McptunnelException("--control-plane-ca-file " + controlPlaneCaFile + ": " + e.getMessage());
      }
      if (trusted.get().isEmpty()) {
        throw new McptunnelException("--control-plane-ca-file " + controlPlaneCaFile + ": no CERTIFICATE in it");
      }
    }
    String credential = controlPlaneCredential();
    try {
      return ControlPlaneTunnelCas.create(url, credential, trusted, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      // The library's messages never hold the credential.
      throw new McptunnelException("--control-plane-url " + controlPlaneUrl + ": " + e.getMessage()
          .replace(url + ": ", ""));
    }
  }

  private String controlPlaneCredential() {
    Path f = controlPlaneCredentialFile;
    String credential;
    try {
      credential = Files.readString(f).strip();
    } catch (IOException e) {
      // Never quote the file's content.
      throw new McptunnelException("--control-plane-credential-file " + f + ": cannot read ("
          + e.getClass().getSimpleName() + ")");
    }
    if (credential.isEmpty()) {
      throw new McptunnelException("--control-plane-credential-file " + f + " is empty");
    }
    if (credential.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw new McptunnelException("--control-plane-credential-file " + f + ": the credential holds whitespace or "
          + "control characters; the file must hold only the credential (mcpti1.…)");
    }
    return credential;
  }

  private Map<String, List<X509Certificate>> tunnelCas() {
    Map<String, List<X509Certificate>> byDomain = new LinkedHashMap<>();
    for (String t : tunnels) {
      int eq = t.indexOf('=');
      if (eq <= 0 || eq == t.length() - 1) {
        throw new McptunnelException("--tunnel " + t + ": expected DOMAIN=CA_FILE");
      }
      String domain = t.substring(0, eq).toLowerCase(Locale.ROOT);
      Path file = Path.of(t.substring(eq + 1));
      if (!Files.isReadable(file)) {
        throw new McptunnelException("--tunnel " + t + ": cannot read " + file);
      }
      List<X509Certificate> cas;
      try {
        cas = PemFiles.readCertificates(file);
      } catch (McptunnelException e) {
        throw new McptunnelException("--tunnel " + t + ": " + e.getMessage());
      }
      if (cas.isEmpty() || cas.size() > 2) {
        throw new McptunnelException("--tunnel " + t + ": " + file + " must hold one or two CA certificates, found "
            + cas.size());
      }
      if (byDomain.put(domain, cas) != null) {
        throw new McptunnelException("--tunnel: domain " + domain + " is given twice");
      }
    }
    return byDomain;
  }
}
