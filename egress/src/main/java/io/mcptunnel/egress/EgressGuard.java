package io.mcptunnel.egress;

import io.mcptunnel.egress.Verdict.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Resolves an upstream host exactly once and checks every address. The caller connects to the
 * returned addresses themselves, never to the name, so a second DNS answer cannot redirect it.
 */
public final class EgressGuard {
  private final EgressPolicy policy;
  private final HostResolver resolver;

  public EgressGuard(EgressPolicy policy, HostResolver resolver) {
    this.policy = policy;
    this.resolver = resolver;
  }

  public EgressPolicy policy() {
    return policy;
  }

  /** Whether {@link #check} would ask the resolver (and so may block). */
  public static boolean needsLookup(String host) {
    String h = unbracket(host);
    return !h.contains(":") && !Ipv4.looksLikeLiteral(h);
  }

  /** Resolves and checks {@code host}; the result holds only validated addresses, or the refusal. */
  public Resolution check(String host) {
    String h = unbracket(host);
    if (h.contains(":")) {
      InetAddress v6 = ipv6Literal(h);
      return v6 == null
          ? Resolution.denied(AddressClassifier.verdict(h, Reason.MALFORMED, policy))
          : checkAll(h, List.of(v6));
    }
    if (Ipv4.looksLikeLiteral(h)) {
      OptionalInt v4 = Ipv4.parseLenient(h);
      if (v4.isEmpty()) {
        return Resolution.denied(AddressClassifier.verdict(h, Reason.MALFORMED, policy));
      }
      return checkAll(h, List.of(Ipv4.toAddress(v4.getAsInt())));
    }
    List<InetAddress> answers;
    try {
      answers = resolver.resolve(h);
    } catch (UnknownHostException e) {
      answers = List.of();
    }
    if (answers.isEmpty()) {
      return Resolution.denied(AddressClassifier.verdict(h, Reason.UNRESOLVED, policy));
    }
    return checkAll(h, answers);
  }

  /**
   * The addresses {@code host} stands for, looked up once the way {@link #check} does (literals,
   * including lenient IPv4 forms, without any lookup) but not classified. Empty when the name does
   * not resolve or the literal is malformed.
   */
  public static List<InetAddress> lookup(String host, HostResolver resolver) {
    String h = unbracket(host);
    if (h.contains(":")) {
      InetAddress v6 = ipv6Literal(h);
      return v6 == null ? List.of() : List.of(v6);
    }
    if (Ipv4.looksLikeLiteral(h)) {
      OptionalInt v4 = Ipv4.parseLenient(h);
      return v4.isEmpty() ? List.of() : List.of(Ipv4.toAddress(v4.getAsInt()));
    }
    try {
      return List.copyOf(resolver.resolve(h));
    } catch (UnknownHostException e) {
      return List.of();
    }
  }

  private Resolution checkAll(String host, List<InetAddress> addresses) {
    List<InetAddress> allowed = new ArrayList<>(addresses.size());
    for (InetAddress a : addresses) {
      Verdict v = AddressClassifier.classify(a, policy);
      if (!v.allowed()) {
        return Resolution.denied(v);
      }
      allowed.add(a);
    }
    return new Resolution(host, List.copyOf(allowed), null);
  }

  private static InetAddress ipv6Literal(String h) {
    try {
      // A literal containing ':' is parsed without any lookup. Java folds ::ffff:a.b.c.d into an
      // Inet4Address; the classifier must still see it as IPv6, so rebuild the 16-byte form.
      InetAddress parsed = InetAddress.getByName(h.contains("%") ? h.substring(0, h.indexOf('%')) : h);
      byte[] b = parsed.getAddress();
      if (b.length == 4) {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(b, 0, mapped, 12, 4);
        return java.net.Inet6Address.getByAddress(null, mapped, null);
      }
      return parsed;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** Either the validated addresses of a host, or the verdict that refused it. */
  public record Resolution(String host, List<InetAddress> addresses, Verdict refusal) {
    static Resolution denied(Verdict v) {
      return new Resolution(v.address(), List.of(), v);
    }

    public boolean allowed() {
      return refusal == null;
    }
  }
}
