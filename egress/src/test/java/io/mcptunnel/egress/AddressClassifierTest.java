package io.mcptunnel.egress;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.egress.Verdict.Reason;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassifierTest {

  @ParameterizedTest
  @CsvSource({
      "10.0.0.0, ALLOWED",
      "10.255.255.255, ALLOWED",
      "9.255.255.255, NOT_ALLOWED",
      "11.0.0.0, NOT_ALLOWED",
      "172.15.255.255, NOT_ALLOWED",
      "172.16.0.0, ALLOWED",
      "172.31.255.255, ALLOWED",
      "172.32.0.0, NOT_ALLOWED",
      "192.167.255.255, NOT_ALLOWED",
      "192.168.0.0, ALLOWED",
      "192.169.0.0, NOT_ALLOWED",
      "127.0.0.1, NOT_ALLOWED",
      "169.254.169.254, NOT_ALLOWED",
      "0.0.0.0, NOT_UNICAST",
      "224.0.0.1, NOT_UNICAST",
      "255.255.255.255, NOT_UNICAST",
      "::1, IPV6_NOT_SUPPORTED",
  })
  void defaultPolicyAllowsRfc1918Only(String address, Reason expected) throws Exception {
    Verdict v = AddressClassifier.classify(InetAddress.getByName(address), EgressPolicy.defaultPrivate());
    assertThat(v.reason()).isEqualTo(expected);
  }

  @Test
  void refusalMessagesNameTheAddressAndThePolicy() throws Exception {
    Verdict byDefault = AddressClassifier.classify(InetAddress.getByName("127.0.0.1"), EgressPolicy.defaultPrivate());
    assertThat(byDefault.message()).isEqualTo("IP validation failed: 127.0.0.1 is not a private address");
    Verdict byList = AddressClassifier.classify(InetAddress.getByName("10.0.0.9"),
        EgressPolicy.allowList(List.of(Ipv4Cidr.parse("10.0.0.1"))));
    assertThat(byList.message()).isEqualTo("IP validation failed: 10.0.0.9 is not in allowed_ips");
  }

  @Test
  void aBroadAllowListStillNeverReachesNonUnicastAddresses() throws Exception {
    EgressPolicy everything = EgressPolicy.allowList(List.of(Ipv4Cidr.parse("0.0.0.0/0")));
    assertThat(AddressClassifier.classify(InetAddress.getByName("0.0.0.0"), everything).allowed()).isFalse();
    assertThat(AddressClassifier.classify(InetAddress.getByName("8.8.8.8"), everything).allowed()).isTrue();
  }

  @Test
  void disabledValidationAllowsAnything() throws Exception {
    Verdict v = AddressClassifier.classify(InetAddress.getByName("::1"), EgressPolicy.validationDisabled());
    assertThat(v.allowed()).isTrue();
    assertThat(v.reason()).isEqualTo(Reason.VALIDATION_DISABLED);
  }
}
