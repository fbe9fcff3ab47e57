package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.mcptunnel.setup.ApiEndpoint;
import io.mcptunnel.setup.FederationCredentials;
import io.mcptunnel.setup.KubernetesSecretOutput;
import io.mcptunnel.setup.SetupInit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code mcptunnel teardown} against a real control plane; Kubernetes is fabric8's mock API server. */
@EnableKubernetesMockClient(crud = true)
class TeardownIT extends SetupItSupport {
  static KubernetesClient client;

  CliRun teardown(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "teardown";
    System.arraycopy(args, 0, full, 1, args.length);
    CliRun run = CliRun.of(full);
    assertNoSecrets(run);
    return run;
  }

  boolean archived(String id) {
    return !cp.api("GET", "/v1/tunnels/" + id, tenant, null).get("archived_at").isNull();
  }

  @Test
  void aDirectoryOutputKeepsNoSecretFileAndAllRemovesTheFolder() throws Exception {
    assertThat(setup("init", "--output", out()).exit()).isZero();
    String id = files().get("tunnel-id").trim();
    Path out = dir.resolve("out");

    CliRun run = teardown("--output", out(), "--yes");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(
        "[1/2] archive tunnel " + id + ": archived (its token is invalid; edges sever its connections)\n"
        + "[2/2] delete credentials in " + out + ": deleted tunnel-token, ca.key, tls.key, tls.crt, ca.crt (kept"
        + " tunnel-id, tunnel-domain, token-version and other config; --all removes the folder)\n"
        + "teardown: 2 steps: 2 done, 0 already done, 0 skipped, 0 failed\n");
    assertThat(archived(id)).isTrue();
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tunnel-id", "tunnel-domain",
          "token-version");
    }

    CliRun again = teardown("--output", out(), "--yes");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).isEqualTo("[1/2] archive tunnel " + id + ": already archived\n"
        + "[2/2] delete credentials in " + out + ": no credential file left (non-secret config kept)\n"
        + "teardown: 2 steps: 0 done, 2 already done, 0 skipped, 0 failed\n");

    CliRun all = teardown("--output", out(), "--yes", "--all");
    assertThat(all.exit()).isZero();
    assertThat(all.out()).contains("[2/2] delete output folder " + out + ": removed the folder and its 3 entries\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void withoutYesNothingHappens() throws Exception {
    assertThat(setup("init", "--output", out()).exit()).isZero();
    CliRun run = teardown("--output", out());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("teardown archives the tunnel and deletes its credentials for good: pass --yes"
        + " to confirm\n");
    assertThat(archived(files().get("tunnel-id").trim())).isFalse();
    assertThat(dir.resolve("out/tunnel-token")).exists();
  }

  @Test
  void aReleaseIsScaledDownAndItsSecretsDeletedMissingOnesIgnored() {
    SetupInit.Result init = new SetupInit(Clock.systemUTC(), line -> { }).run(new SetupInit.Options(
        new ApiEndpoint(cp.base, null), FederationCredentials.fromEnvironment(env::get),
        new KubernetesSecretOutput(client, "tunnels", "mcp-tunnel"), null, null, null));
    client.secrets().inNamespace("tunnels").resource(new SecretBuilder().withNewMetadata().withName("mcp-tunnel-token")
        .endMetadata().addToStringData("token", "x").build()).create();
    client.apps().deployments().inNamespace("tunnels").resource(new DeploymentBuilder().withNewMetadata()
        .withName("mcp-tunnel").addToLabels("app.kubernetes.io/instance", "mcp-tunnel").endMetadata()
        .withNewSpec().withReplicas(2).endSpec().build()).create();
    Map<String, String> props = Map.of("kubernetes.master", client.getMasterUrl().toString(),
        "kubernetes.trust.certificates", "true", "kubernetes.auth.tryKubeConfig", "false",
        "kubernetes.auth.tryServiceAccount", "false", "kubernetes.namespace", "tunnels");
    props.forEach(System::setProperty);
    try {
      CliRun run = teardown("--output", "k8s-secret:mcp-tunnel", "--kube-release", "mcp-tunnel", "--yes");

      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      assertThat(run.out().lines().toList()).containsExactly(
          "[1/5] scale down release tunnels/mcp-tunnel: scaled Deployment mcp-tunnel (was 2) to 0",
          "[2/5] archive tunnel " + init.tunnelId() + ": archived (its token is invalid; edges sever its connections)",
          "[3/5] delete Secret tunnels/mcp-tunnel: deleted",
          "[4/5] delete Secret tunnels/mcp-tunnel-token: deleted",
          "[5/5] delete Secret tunnels/mcp-tunnel-cert: not found (ignored)",
          "teardown: 5 steps: 4 done, 1 already done, 0 skipped, 0 failed");
      assertThat(client.secrets().inNamespace("tunnels").list().getItems()).isEmpty();
      assertThat(client.apps().deployments().inNamespace("tunnels").withName("mcp-tunnel").get().getSpec()
          .getReplicas()).isZero();
      assertThat(archived(init.tunnelId())).isTrue();

      CliRun again = teardown("--output", "k8s-secret:tunnels/mcp-tunnel", "--kube-release", "mcp-tunnel",
          "--namespace", "tunnels", "--yes");
      assertThat(again.exit()).as(again.out() + again.err()).isEqualTo(1);
      assertThat(again.out().lines().toList()).containsExactly(
          "[1/5] scale down release tunnels/mcp-tunnel: Deployment mcp-tunnel already scaled to 0",
          "[2/5] archive tunnel: FAILED: k8s-secret:tunnels/mcp-tunnel holds no tunnel-id; archive the tunnel in the"
              + " console or with POST /v1/tunnels/{id}/archive",
          "[3/5] delete Secret tunnels/mcp-tunnel: not found (ignored)",
          "[4/5] delete Secret tunnels/mcp-tunnel-token: not found (ignored)",
          "[5/5] delete Secret tunnels/mcp-tunnel-cert: not found (ignored)",
          "teardown: 5 steps: 0 done, 4 already done, 0 skipped, 1 failed");
    } finally {
      props.keySet().forEach(System::clearProperty);
    }
  }

  @Test
  void helpListsTheFlags() {
    CliRun help = CliRun.of("teardown", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--pid-file", "--kube-release", "--compose", "--all", "--yes");
    assertThat(List.of(CliRun.of("incident", "--help").out())).allMatch(s -> s.contains("--reprovision"));
  }
}
