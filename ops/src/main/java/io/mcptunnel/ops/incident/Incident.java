package io.mcptunnel.ops.incident;

import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.setup.Output;
import io.mcptunnel.setup.SetupInit;
import io.mcptunnel.setup.TunnelsApiClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code mcptunnel incident}: the seed's breach runbook. Stop the local stack, archive the tunnel,
 * collect the window's logs and audit events into a hashed evidence bundle, list what to rotate
 * downstream, and optionally provision a new tunnel into a fresh output.
 */
public final class Incident {
  /**
   * @param evidence null for {@code ./incident-<tunnel-id>-<timestamp>}
   * @param proxyConfig null when no {@code --config} was given (no rotation list)
   * @param newOutput null unless {@code --reprovision}
   */
  public record Options(StackSteps stack, Output output, Supplier<TunnelsApiClient> api, TimeWindow window,
      Path evidence, Map<String, Path> logs, URI adminUrl, Path adminTokenFile, String organizationId,
      ProxyConfig proxyConfig, Output newOutput, Function<Output, SetupInit.Result> setupInit) {
    public Options {
      logs = new LinkedHashMap<>(logs);
    }
  }

  private final Clock clock;
  private final Consumer<String> out;

  public Incident(Clock clock, Consumer<String> out) {
    this.clock = clock;
    this.out = out;
  }

  /** Runs every step; returns the exit status (0 when each step succeeded or was done before). */
  public int run(Options o) {
    StackSteps.Stored stored = StackSteps.Stored.read(o.output());
    // Checked before anything is stopped: a refused folder must not leave a half-run runbook.
    EvidenceBundle bundle = EvidenceBundle.create(o.evidence() != null ? o.evidence()
        : EvidenceBundle.defaultFolder(stored.tunnelId(), clock.instant()), stored.directory());
    List<DownstreamRotation.Item> rotation = o.proxyConfig() == null ? List.of()
        : DownstreamRotation.of(o.proxyConfig(), stored.domain());

    List<Step> steps = new ArrayList<>(o.stack().stop("stop"));
    steps.add(new ArchiveTunnel(o.api(), stored.tunnelId(), stored.problem()));
    o.logs().forEach((name, file) -> steps.add(new CollectLog(bundle, name, file, o.window(), stored.directory())));
    steps.add(new CollectAudit(bundle, o.adminUrl(), o.adminTokenFile(), o.organizationId(), o.window()));
    if (o.newOutput() != null) {
      steps.add(new Reprovision(o.output(), stored.tunnelId(), o.newOutput(), o.setupInit()));
    }
    StepRunner runner = new StepRunner(out);
    steps.add(new SealBundle(bundle, new SealBundle.Facts("incident", stored.tunnelId(), o.output().describe(),
        o.window(), rotation), runner::outcomes));
    boolean ok = runner.run(steps);

    out.accept("");
    if (rotation.isEmpty()) {
      out.accept("Rotate downstream: pass --config PROXY_CONFIG to list each route; revoke/rotate the OAuth tokens"
          + " every MCP server behind this tunnel issued, and their client secrets.");
    } else {
      out.accept("Rotate downstream (" + rotation.size() + " routes):");
      rotation.forEach(i -> out.accept("  " + i.line()));
    }
    out.accept("Evidence: " + bundle.directory());
    out.accept(runner.summary("incident"));
    return ok ? 0 : 1;
  }
}
