package io.mcptunnel.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv4CidrsTest {

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(delimiter = '|', value = {
      "''                                     | ''",
      "10.0.0.5                               | 10.0.0.5/32",
      "10.0.0.4 10.0.0.5                      | 10.0.0.4/31",
      "10.0.0.5 10.0.0.4                      | 10.0.0.4/31",
      "10.0.0.5 10.0.0.6                      | 10.0.0.5/32 10.0.0.6/32",
      "10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6    | 10.0.0.3/32 10.0.0.4/31 10.0.0.6/32",
      "10.0.0.4 10.0.0.5 10.0.0.6 10.0.0.7    | 10.0.0.4/30",
      "10.0.0.4 10.0.0.5 10.0.0.6             | 10.0.0.4/31 10.0.0.6/32",
      "10.0.0.5 10.0.0.5 10.0.0.5             | 10.0.0.5/32",
      "10.0.0.4 10.0.0.5 10.0.0.4 10.0.0.5    | 10.0.0.4/31",
      "192.168.1.9 10.0.0.1 172.16.0.1        | 10.0.0.1/32 172.16.0.1/32 192.168.1.9/32",
      "200.0.0.1 10.0.0.1                     | 10.0.0.1/32 200.0.0.1/32",
      "255.255.255.254 255.255.255.255        | 255.255.255.254/31",
      "0.0.0.0 0.0.0.1                        | 0.0.0.0/31",
      "10.0.0.255 10.0.1.0                    | 10.0.0.255/32 10.0.1.0/32",
  })
  void aggregatesOnlyExactly(String in, String expected) {
    assertThat(Ipv4Cidrs.narrowest(addresses(in)).stream().map(Ipv4Cidr::toString).toList())
        .isEqualTo(words(expected));
  }

  @Test
  void aFullSlash24IsOneNetwork() {
    List<Inet4Address> all = new ArrayList<>();
    for (int i = 255; i >= 0; i--) {
      all.add(Ipv4.toAddress(Ipv4Cidr.parse("10.1.2.0").network() + i));
    }
    assertThat(Ipv4Cidrs.narrowest(all)).containsExactly(Ipv4Cidr.parse("10.1.2.0/24"));
    all.remove(0);
    assertThat(Ipv4Cidrs.narrowest(all).stream().map(Ipv4Cidr::toString)).containsExactly(
        "10.1.2.0/25", "10.1.2.128/26", "10.1.2.192/27", "10.1.2.224/28", "10.1.2.240/29",
        "10.1.2.248/30", "10.1.2.252/31", "10.1.2.254/32");
  }

  @Test
  void resultNeverCoversAnAddressOutsideTheSet() {
    java.util.Random random = new java.util.Random(7);
    for (int round = 0; round < 200; round++) {
      java.util.Set<Integer> set = new java.util.HashSet<>();
      int base = Ipv4Cidr.parse("10.9.0.0").network();
      for (int i = 0; i < 40; i++) {
        set.add(base + random.nextInt(64));
      }
      List<Ipv4Cidr> cidrs = Ipv4Cidrs.narrowest(set.stream().map(Ipv4::toAddress).toList());
      assertThat(Ipv4Cidrs.addressCount(cidrs)).isEqualTo(set.size());
      for (int ip : set) {
        assertThat(cidrs.stream().anyMatch(c -> c.contains(ip))).isTrue();
      }
    }
  }

  @Test
  void addressCountCountsOverlapsOnce() {
    assertThat(Ipv4Cidrs.addressCount(List.of())).isZero();
    assertThat(Ipv4Cidrs.addressCount(EgressPolicy.RFC1918)).isEqualTo(16777216L + 1048576L + 65536L);
    assertThat(Ipv4Cidrs.addressCount(List.of(Ipv4Cidr.parse("10.0.0.0/8"), Ipv4Cidr.parse("10.0.0.5"))))
        .isEqualTo(16777216L);
    assertThat(Ipv4Cidrs.addressCount(List.of(Ipv4Cidr.parse("0.0.0.0/0")))).isEqualTo(1L << 32);
  }

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, loopback address",
      "127.255.0.9, loopback address",
      "169.254.169.254, cloud metadata address",
      "169.254.1.1, link-local address",
      "0.0.0.0, not a unicast address; the proxy always refuses it",
      "224.0.0.1, not a unicast address; the proxy always refuses it",
  })
  void hazardsAreNamed(String address, String hazard) throws Exception {
    assertThat(AddressClassifier.hazard((Inet4Address) InetAddress.getByName(address))).isEqualTo(hazard);
  }

  @Test
  void ordinaryAddressesAreNoHazard() throws Exception {
    assertThat(AddressClassifier.hazard((Inet4Address) InetAddress.getByName("10.0.0.5"))).isNull();
    assertThat(AddressClassifier.hazard((Inet4Address) InetAddress.getByName("8.8.8.8"))).isNull();
  }

  @Test
  void lookupParsesLiteralsWithoutTheResolver() throws Exception {
    HostResolver none = host -> {
      throw new AssertionError("no lookup expected for " + host);
    };
    assertThat(EgressGuard.lookup("10.0.0.5", none)).containsExactly(InetAddress.getByName("10.0.0.5"));
    assertThat(EgressGuard.lookup("127.1", none)).containsExactly(InetAddress.getByName("127.0.0.1"));
    assertThat(EgressGuard.lookup("[::1]", none)).containsExactly(InetAddress.getByName("::1"));
    assertThat(EgressGuard.lookup("10.0.0.999", none)).isEmpty();
    assertThat(EgressGuard.lookup("db.internal", h -> List.of(InetAddress.getByName("10.1.1.1"))))
        .containsExactly(InetAddress.getByName("10.1.1.1"));
    assertThat(EgressGuard.lookup("gone.internal", h -> {
      throw new java.net.UnknownHostException(h);
    })).isEmpty();
  }

  private static List<Inet4Address> addresses(String text) {
    return words(text).stream().map(w -> Ipv4.toAddress(Ipv4Cidr.parse(w).network())).toList();
  }

  private static List<String> words(String text) {
    return text == null || text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }
}
