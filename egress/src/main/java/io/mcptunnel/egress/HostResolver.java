package io.mcptunnel.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Name resolution behind an interface, so tests can answer as a rebinding DNS server would. */
@FunctionalInterface
public interface HostResolver {

  /** Every address the name resolves to. May block. */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The operating system's resolver. */
  static HostResolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
