package io.mcptunnel.egress;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.testing.SharedFiles;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the shared SSRF table, through the same guard the proxy uses. */
class SsrfConformanceTest {

  static Stream<Arguments> rows() {
    return SharedFiles.tsvRows("ssrf-addresses.tsv").stream()
        .map(r -> Arguments.of(r[0], r[1], r[2], r[3], r.length > 4 ? r[4] : ""));
  }

  @ParameterizedTest(name = "[{0}] {1} ({2}) -> {3}: {4}")
  @MethodSource("rows")
  void guardDecidesAsTheTableSays(String policy, String input, String records, String expect, String why) {
    List<String> lookups = new ArrayList<>();
    HostResolver resolver = host -> {
      lookups.add(host);
      if (records.equals("-")) {
        throw new UnknownHostException(host);
      }
      List<InetAddress> out = new ArrayList<>();
      for (String r : records.split(",")) {
        out.add(literal(r.trim()));
      }
      return out;
    };
    EgressGuard.Resolution result = new EgressGuard(policy(policy), resolver).check(input);

    assertThat(result.allowed()).as(why).isEqualTo(expect.equals("allow"));
    if (records.equals("-")) {
      assertThat(lookups).as("a literal never goes to DNS").isEmpty();
    }
    if (!result.allowed()) {
      assertThat(result.refusal().message()).startsWith("IP validation failed: ");
    }
  }

  static EgressPolicy policy(String column) {
    if (column.equals("default")) {
      return EgressPolicy.defaultPrivate();
    }
    return EgressPolicy.allowList(Arrays.stream(column.split(",")).map(Ipv4Cidr::parse).toList());
  }

  /** Builds the address a DNS server would return, keeping AAAA answers IPv6 even when mapped. */
  static InetAddress literal(String text) throws UnknownHostException {
    InetAddress a = InetAddress.getByName(text);
    if (text.contains(":") && a.getAddress().length == 4) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
      return Inet6Address.getByAddress(null, mapped, null);
    }
    return a;
  }
}
