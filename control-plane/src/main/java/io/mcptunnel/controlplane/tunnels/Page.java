package io.mcptunnel.controlplane.tunnels;

import java.util.List;
import java.util.Optional;

/** One page of a list, newest first; {@code nextPage} is the opaque cursor for the next one. */
public record Page<T>(List<T> data, Optional<String> nextPage) {
  public Page {
    data = List.copyOf(data);
  }
}
