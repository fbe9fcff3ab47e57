package io.mcptunnel.edge.registry;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the edge knows about one tunnel. It holds the hash of the current token's secret, never the
 * token, so a leaked registry does not let anyone connect. {@code severedTokenIds} are retired
 * tokens whose live connections must be closed (a rotation with sever_existing). Immutable: collections are copied and
 * the domain lowercased, so two states compare equal exactly when nothing the edge acts on changed.
 */
public record TunnelState(
    String id,
    String domain,
    String organization,
    String currentTokenId,
    String currentTokenHash,
    Set<String> retiredTokenIds,
    Set<String> severedTokenIds,
    List<X509Certificate> activeCas,
    boolean archived) {

  public TunnelState {
    Objects.requireNonNull(id, "id");
    domain = Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT);
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(currentTokenId, "currentTokenId");
    Objects.requireNonNull(currentTokenHash, "currentTokenHash");
    retiredTokenIds = Set.copyOf(retiredTokenIds);
    severedTokenIds = Set.copyOf(severedTokenIds);
    activeCas = List.copyOf(activeCas);
  }

  /** A tunnel none of whose tokens was severed. */
  public TunnelState(String id, String domain, String organization, String currentTokenId,
      String currentTokenHash, Set<String> retiredTokenIds, List<X509Certificate> activeCas, boolean archived) {
    this(id, domain, organization, currentTokenId, currentTokenHash, retiredTokenIds, Set.of(), activeCas,
        archived);
  }

  /** Whether connections admitted with {@code tokenId} must go: the tunnel is archived or the token severed. */
  public boolean severs(String tokenId) {
    return archived || tokenId != null && severedTokenIds.contains(tokenId);
  }

  /** The edge routes no streams to a tunnel without a CA: callers could not verify the proxy. */
  public boolean hasActiveCa() {
    return !activeCas.isEmpty();
  }

  /** This state with the archived flag set; how a tunnel that disappeared is reported. */
  public TunnelState asArchived() {
    return archived ? this : new TunnelState(id, domain, organization, currentTokenId,
        currentTokenHash, retiredTokenIds, severedTokenIds, activeCas, true);
  }

  /** Leaves out the token hash (it is a credential verifier) and the certificates' bodies. */
  @Override
  public String toString() {
    return "TunnelState[id=" + id + ", domain=" + domain + ", organization=" + organization
        + ", currentTokenId=" + currentTokenId + ", retiredTokenIds=" + new TreeSet<>(retiredTokenIds)
        + ", severedTokenIds=" + new TreeSet<>(severedTokenIds)
        + ", activeCas=" + activeCas.stream().map(c -> c.getSubjectX500Principal().getName()).toList()
        + ", archived=" + archived + "]";
  }
}
