package io.mcptunnel.setup;

import java.util.List;
import java.util.Set;

/** The entries setup keeps: file names in a directory, keys in a Kubernetes Secret. */
public final class OutputKeys {
  public static final String TUNNEL_ID = "tunnel-id";
  public static final String TUNNEL_DOMAIN = "tunnel-domain";
  public static final String TUNNEL_TOKEN = "tunnel-token";
  public static final String CA_CRT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String TLS_CRT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
  public static final String TOKEN_VERSION = "token-version";

  /** Every entry, in the order they are written (identity last, so a crash leaves it stale). */
  public static final List<String> ALL = List.of(TUNNEL_TOKEN, CA_CRT, CA_KEY, TLS_CRT, TLS_KEY,
      TUNNEL_DOMAIN, TOKEN_VERSION, TUNNEL_ID);

  /** Entries only the owner may read. */
  public static final Set<String> SECRETS = Set.of(TUNNEL_TOKEN, CA_KEY, TLS_KEY);

  private OutputKeys() {}
}
