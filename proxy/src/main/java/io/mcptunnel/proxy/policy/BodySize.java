package io.mcptunnel.proxy.policy;

import java.util.OptionalLong;

/** {@code max_request_bytes} and the cap on bodies read whole for inspection. */
public final class BodySize {
  /** The most the proxy reads into memory to inspect a body when max_request_bytes is not set. */
  public static final long DEFAULT_INSPECTION_CAP = 4L << 20;

  private BodySize() {}

  /** Whether a declared (Content-Length) or counted body size is over the route's limit. */
  public static boolean tooLarge(long size, OptionalLong maxRequestBytes) {
    return maxRequestBytes.isPresent() && size > maxRequestBytes.getAsLong();
  }

  /** The most bytes of a body read whole for inspection: max_request_bytes, else 4 MiB. */
  public static long inspectionCap(OptionalLong maxRequestBytes) {
    return maxRequestBytes.orElse(DEFAULT_INSPECTION_CAP);
  }
}
