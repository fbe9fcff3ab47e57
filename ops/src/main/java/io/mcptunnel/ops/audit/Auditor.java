package io.mcptunnel.ops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.egress.EgressGuard;
import io.mcptunnel.egress.Verdict;
import io.mcptunnel.ops.allowedips.AllowedIpsSuggestion;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.Upstream;
import io.mcptunnel.setup.OutputKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/** Runs every check that the given options make possible and gathers the report. */
public final class Auditor {
  private final AuditOptions o;
  private final ProxyConfig config;
  private final List<Finding> findings = new ArrayList<>();
  private final List<RouteInventory> inventory = new ArrayList<>();

  private Auditor(AuditOptions options) {
    this.o = options;
    this.config = options.config();
  }

  /** @throws AuditInputException when a file named by the options cannot be read or parsed */
  public static Report run(AuditOptions options) {
    Auditor a = new Auditor(options);
    a.ipValidation();
    a.routes();
    a.certificates();
    a.tokenAge();
    a.secretFiles();
    options.compose().ifPresent(a::compose);
    options.helmValues().ifPresent(a::helmValues);
    a.sso();
    return new Report(a.findings, a.inventory);
  }

  private void ipValidation() {
    findings.addAll(IpValidationCheck.findings(AllowedIpsSuggestion.compute(config, o.resolver())));
    findings.addAll(RequireAuthorizationCheck.findings(config));
  }

  private void routes() {
    SSLContext tls = null;
    String tlsProblem = null;
    if (config.hasTlsUpstreams()) {
      try {
        tls = UpstreamTls.context(config);
      } catch (GeneralSecurityException | RuntimeException e) {
        tlsProblem = "upstream trust cannot be built: " + OAuthProbe.reason(e);
      }
    }
    EgressGuard guard = new EgressGuard(config.egressPolicy(), o.resolver());
    for (Map.Entry<String, Upstream> route : config.routes().entrySet()) {
      String name = route.getKey();
      Upstream up = route.getValue();
      String publicHost = RoutePublicUrl.host(name, config);
      EgressGuard.Resolution res = guard.check(up.host());
      OAuthProbeResult probe;
      InetAddress address = null;
      if (up.tls() && tls == null) {
        probe = OAuthProbeResult.unreachable(tlsProblem);
      } else if (!res.allowed()) {
        probe = res.refusal().reason() == Verdict.Reason.UNRESOLVED
            ? OAuthProbeResult.unreachable("upstream host " + up.host() + " does not resolve")
            : OAuthProbeResult.refused(res.refusal().message());
      } else {
        address = res.addresses().get(0);
        probe = OAuthProbe.run(OAuthProbe.connectTo(up, address, tls, o.timeout()), publicHost, o.probePath());
      }
      findings.addAll(OAuthCheck.findings(name, probe, RoutePublicUrl.resource(name, config, o.probePath())));
      Optional<List<String>> exposed = Optional.empty();
      String note;
      if (address == null || probe.unreachable() != null) {
        note = "not listed: upstream not reachable";
      } else if (probe.status() == 401 && o.bearerToken().isEmpty()) {
        note = "not listed: needs --bearer-token-file";
      } else {
        try {
          exposed = Optional.of(ToolLister.list(up, address, tls, o.probePath(), o.bearerToken(), o.timeout()));
          note = null;
        } catch (RuntimeException e) {
          note = "not listed: " + OAuthProbe.reason(e);
        }
      }
      exposed.ifPresent(t -> findings.addAll(ToolsCheck.findings(name, t, config.policy(name))));
      inventory.add(new RouteInventory(name, up.toString(), probe.describe(), exposed, Optional.ofNullable(note),
          config.policy(name).allowedTools().map(t -> t.stream().sorted().toList())));
    }
  }

  private void certificates() {
    Map<Path, Path> certs = new LinkedHashMap<>();
    o.dataDir().map(d -> d.resolve(OutputKeys.TLS_CRT)).filter(Files::isRegularFile).ifPresent(p -> certs.put(real(p), p));
    if (Files.isRegularFile(config.certFile())) {
      certs.putIfAbsent(real(config.certFile()), config.certFile());
    }
    List<X509Certificate> cas = o.dataDir().map(d -> d.resolve(OutputKeys.CA_CRT)).filter(Files::isRegularFile)
        .map(p -> {
          try {
            return PemFiles.readCertificates(p);
          } catch (RuntimeException e) {
            findings.add(new Finding(CertificateCheck.UNREADABLE, Severity.MEDIUM, p.toString(),
                "cannot be read as PEM certificates: " + e.getMessage(), "restore ca.crt from setup's output"));
            return List.<X509Certificate>of();
          }
        }).orElse(List.of());
    Optional<String> domain = o.dataDir().map(d -> d.resolve(OutputKeys.TUNNEL_DOMAIN)).filter(Files::isRegularFile)
        .map(Auditor::readTrimmed).or(config::tunnelDomain);
    List<String> hosts = config.routes().keySet().stream()
        .map(r -> r.contains(".") || domain.isEmpty() ? r : r + "." + domain.get()).toList();
    for (Path file : certs.values()) {
      X509Certificate cert;
      try {
        cert = PemFiles.readCertificates(file).get(0);
      } catch (RuntimeException e) {
        findings.add(new Finding(CertificateCheck.UNREADABLE, Severity.MEDIUM, file.toString(),
            "cannot be read as a PEM certificate: " + e.getMessage(), "mcptunnel setup renew-cert"));
        continue;
      }
      findings.addAll(CertificateCheck.findings(file.toString(), cert, cas, hosts, o.now(), o.certWarn()));
    }
  }

  private void tokenAge() {
    o.dataDir().map(d -> d.resolve(OutputKeys.TUNNEL_TOKEN)).filter(Files::isRegularFile).ifPresent(p -> {
      try {
        findings.addAll(TokenAgeCheck.findings(p.toString(), Files.getLastModifiedTime(p).toInstant(), o.now(),
            o.tokenMaxAge()));
      } catch (IOException e) {
        throw new AuditInputException(p + ": " + e.getMessage());
      }
    });
  }

  private void secretFiles() {
    Map<Path, Path> secrets = new LinkedHashMap<>();
    o.dataDir().ifPresent(d -> {
      if (Files.isDirectory(d)) {
        try {
          findings.addAll(SecretFilesCheck.dataDir(d.toString(), Files.getPosixFilePermissions(d)));
        } catch (IOException | UnsupportedOperationException e) {
          throw new AuditInputException(d + ": " + e.getMessage());
        }
      }
      Stream.of(OutputKeys.TLS_KEY, OutputKeys.CA_KEY, OutputKeys.TUNNEL_TOKEN).map(d::resolve)
          .filter(Files::isRegularFile).forEach(p -> secrets.putIfAbsent(real(p), p));
      try (Stream<Path> all = Files.list(d)) {
        all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
            .filter(p -> p.getFileName().toString().endsWith(".key") || p.getFileName().toString().contains("token"))
            .filter(p -> !p.getFileName().toString().equals(OutputKeys.TOKEN_VERSION))
            .sorted().forEach(p -> secrets.putIfAbsent(real(p), p));
      } catch (IOException e) {
        throw new AuditInputException(d + ": " + e.getMessage());
      }
    });
    if (Files.isRegularFile(config.keyFile())) {
      secrets.putIfAbsent(real(config.keyFile()), config.keyFile());
    }
    String me = System.getProperty("user.name");
    for (Path p : secrets.values()) {
      try {
        Object uid = Files.getAttribute(p, "unix:uid");
        findings.addAll(SecretFilesCheck.file(new SecretFilesCheck.SecretFile(p.toString(),
            Files.getPosixFilePermissions(p), Files.getOwner(p).getName(), String.valueOf(uid)), me));
      } catch (IOException | UnsupportedOperationException e) {
        throw new AuditInputException(p + ": " + e.getMessage());
      }
      if (p.getFileName().toString().equals(OutputKeys.CA_KEY)) {
        findings.addAll(SecretFilesCheck.caKey(p.toString(), read(p)));
      }
    }
  }

  private void compose(Path file) {
    JsonNode tree = YamlFiles.read(file);
    try {
      findings.addAll(ComposeCheck.findings(file.toString(), tree, ComposeInterpolation.forFile(file, o.environment())));
    } catch (IOException e) {
      throw new AuditInputException(file.toAbsolutePath().getParent().resolve(".env") + ": " + e.getMessage());
    }
  }

  private void helmValues(Path file) {
    findings.addAll(HelmValuesCheck.findings(file.toString(), YamlFiles.read(file)));
  }

  private void sso() {
    if (o.controlPlane().isEmpty() || o.adminToken().isEmpty()) {
      return;
    }
    try {
      findings.addAll(SsoCheck.findings(OrganizationsClient.list(o.controlPlane().get(), o.adminToken().get(), o.timeout())));
    } catch (OrganizationsClient.ListingException e) {
      findings.add(new Finding(SsoCheck.NOT_CHECKED, Severity.MEDIUM, "control plane " + o.controlPlane().get(),
          "could not list organizations: " + e.getMessage(),
          "check --control-plane and that --admin-token-file holds the operator's admin token"));
    }
  }


  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new AuditInputException(p + ": " + e.getMessage());
    }
  }


  private static String readTrimmed(Path p) {
    try {
      return Files.readString(p).trim();
    } catch (IOException e) {
      throw new AuditInputException(p + ": " + e.getMessage());
    }
  }

  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }
}
