package io.mcptunnel.setup;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Parses {@code --output}: {@code dir:/path} or {@code k8s-secret:[NAMESPACE/]NAME}. */
public final class Outputs {
  private Outputs() {}

  /** {@code kubernetes} is asked for a client only when the output is a Secret. */
  public static Output parse(String spec, Supplier<KubernetesClient> kubernetes) {
    if (spec == null || spec.isBlank()) {
      throw invalid(spec);
    }
    if (spec.startsWith("dir:") && spec.length() > 4) {
      return new DirectoryOutput(Path.of(spec.substring(4)));
    }
    if (spec.startsWith("k8s-secret:")) {
      String ref = spec.substring("k8s-secret:".length());
      String[] parts = ref.split("/", -1);
      boolean valid = parts.length <= 2;
      for (String part : parts) {
        valid &= part.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
      }
      if (!valid) {
        throw invalid(spec);
      }
      return parts.length == 2
          ? new KubernetesSecretOutput(kubernetes.get(), parts[0], parts[1])
          : new KubernetesSecretOutput(kubernetes.get(), null, parts[0]);
    }
    throw invalid(spec);
  }

  private static SetupException invalid(String spec) {
    return new SetupException("--output: \"" + spec
        + "\" (expected dir:/path or k8s-secret:NAME or k8s-secret:NAMESPACE/NAME)");
  }
}
