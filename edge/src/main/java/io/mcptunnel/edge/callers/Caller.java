package io.mcptunnel.edge.callers;

import io.mcptunnel.egress.Ipv4Cidr;
import java.util.List;

/**
 * A caller the edge knows: its organization (it may reach only that organization's tunnels), how
 * it proves who it is, and the source networks it may connect from (empty = any). It proves its
 * identity with a caller key, of which only the SHA-256 is kept ({@code keySha256}), or with a
 * client certificate chaining to the caller CAs, pinned by the SHA-256 of its DER encoding
 * ({@code certificateSha256}), or with either. A method it does not use is {@code null}.
 */
public record Caller(String name, String organization, String keySha256, String certificateSha256,
    List<Ipv4Cidr> allowedSources) {
  public Caller {
    if (keySha256 == null && certificateSha256 == null) {
      throw new IllegalArgumentException("caller " + name + " has neither a key nor a certificate");
    }
    allowedSources = List.copyOf(allowedSources);
  }

  /** A caller that proves its identity with a caller key only. */
  public Caller(String name, String organization, String keySha256, List<Ipv4Cidr> allowedSources) {
    this(name, organization, keySha256, null, allowedSources);
  }

  public boolean usesCertificate() {
    return certificateSha256 != null;
  }

  /** Leaves the key hash out; the certificate fingerprint is public and helps tell callers apart. */
  @Override
  public String toString() {
    return "Caller[name=" + name + ", organization=" + organization + ", key=" + (keySha256 != null)
        + ", certificateSha256=" + certificateSha256 + ", sources=" + allowedSources + "]";
  }
}
