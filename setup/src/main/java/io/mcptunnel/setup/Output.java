package io.mcptunnel.setup;

import java.util.Map;

/**
 * Where setup keeps a tunnel's material ({@link OutputKeys}): a directory or a Kubernetes Secret.
 * Implementations read what is there and replace the whole set at once.
 */
public interface Output {
  /** The entries present now (absent ones left out); empty when the output does not exist yet. */
  Map<String, String> read();

  /** Replaces the output's content with exactly {@code entries}. */
  void write(Map<String, String> entries);

  /** How the operator named it, e.g. {@code dir:/data} or {@code k8s-secret:ns/name}. */
  String describe();
}
