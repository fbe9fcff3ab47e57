package io.mcptunnel.ops.incident;

import io.mcptunnel.setup.DirectoryOutput;
import io.mcptunnel.setup.Output;
import io.mcptunnel.setup.TunnelsApiClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code mcptunnel teardown}: stop the stack ({@code docker compose down}), archive the tunnel,
 * delete the stored credentials: a {@code dir:} output's secret files (the folder with
 * {@code all}), a {@code k8s-secret:} output's Secret, and with a release the Secrets
 * {@code <release>}, {@code mcp-tunnel-token} and {@code mcp-tunnel-cert} (missing ones ignored).
 */
public final class Teardown {
  public static final List<String> EXTERNAL_SECRETS = List.of("mcp-tunnel-token", "mcp-tunnel-cert");

  public record Options(StackSteps stack, Output output, Supplier<TunnelsApiClient> api, boolean all) {}

  private final Consumer<String> out;

  public Teardown(Consumer<String> out) {
    this.out = out;
  }

  public int run(Options o) {
    StackSteps.Stored stored = StackSteps.Stored.read(o.output());
    List<Step> steps = new ArrayList<>(o.stack().stop("down"));
    steps.add(new ArchiveTunnel(o.api(), stored.tunnelId(), stored.problem()));
    if (o.output() instanceof DirectoryOutput dir) {
      steps.add(new DeleteOutputFiles(dir.directory(), o.all()));
    }
    Set<String> secrets = new LinkedHashSet<>(); // namespace/name
    String described = o.output().describe();
    if (described.startsWith("k8s-secret:")) {
      secrets.add(described.substring("k8s-secret:".length()));
    }
    if (o.stack().kubeRelease() != null) {
      String ns = o.stack().namespace();
      secrets.add(ns + "/" + o.stack().kubeRelease());
      EXTERNAL_SECRETS.forEach(name -> secrets.add(ns + "/" + name));
    }
    for (String ref : secrets) {
      int slash = ref.indexOf('/');
      steps.add(new DeleteSecret(o.stack().kubernetes().get(), ref.substring(0, slash), ref.substring(slash + 1)));
    }
    StepRunner runner = new StepRunner(out);
    boolean ok = runner.run(steps);
    out.accept(runner.summary("teardown"));
    return ok ? 0 : 1;
  }
}
