package io.mcptunnel.ops.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessIdentityTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NONE", value = {
      "/usr/bin/java -cp /opt/mcptunnel/lib/* io.mcptunnel.cli.Main proxy run --config c.yaml | proxy",
      "java -Xmx256m -cp x io.mcptunnel.cli.Main connector run --pid-file p                  | connector",
      "java -cp x io.mcptunnel.cli.Main --version                                           | mcptunnel",
      "java -cp x io.mcptunnel.cli.Main                                                     | mcptunnel",
      "/bin/sleep 600                                                                       | NONE",
      "java -cp x com.example.Main proxy run                                                | NONE",
      "java -cp x io.mcptunnel.cli.MainX proxy run                                          | NONE",
      "vim io.mcptunnel.cli.Main.java                                                       | NONE"})
  void onlyTheMcptunnelEntryPointCounts(String commandLine, String part) {
    assertThat(ProcessIdentity.mcptunnelPart(Optional.of(commandLine.strip()))).isEqualTo(Optional.ofNullable(part));
  }

  @org.junit.jupiter.api.Test
  void anUnreadableCommandLineIsNotOurs() {
    assertThat(ProcessIdentity.mcptunnelPart(Optional.empty())).isEmpty();
  }
}
