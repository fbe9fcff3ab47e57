package io.mcptunnel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrictYamlTest {
  final StrictYaml y = new StrictYaml(IllegalStateException::new);

  enum Level { DEBUG, INFO }

  @Test
  void unknownFieldsAreRefusedWithTheKnownOnesListed() {
    JsonNode root = y.readMap("a: 1\nsection:\n  b: 2\n  typo: 3\n", "t.yaml", "a");
    y.checkKnown(root, "", Set.of("a", "section"));
    assertThatThrownBy(() -> y.section(root, "section", Set.of("b")))
        .hasMessage("unknown field \"section.typo\" (known fields of section: b)");
  }

  @Test
  void typesAreCheckedWithGoStyleTags() {
    JsonNode root = y.readMap("list: [1]\nflag: maybe\nlevel: loud\nwait: soon\n", "t.yaml", "x");
    assertThatThrownBy(() -> y.text(root, "list", "list")).hasMessage("list: cannot unmarshal !!seq into string");
    assertThatThrownBy(() -> y.bool(root, "flag", "flag")).hasMessageContaining("is not a boolean");
    assertThatThrownBy(() -> y.choice(root, "level", Level.class, Level.INFO))
        .hasMessage("level: \"loud\" is not valid (expected one of: debug, info)");
    assertThatThrownBy(() -> y.duration(root, "wait", "wait", Duration.ZERO)).hasMessageContaining("wait: ");
  }

  @Test
  void absentValuesTakeDefaultsAndRequiredOnesSaySo() {
    JsonNode root = y.readMap("present: yes-text\n", "t.yaml", "x");
    assertThat(y.bool(root, "missing", "missing")).isFalse();
    assertThat(y.choice(root, "missing", Level.class, Level.INFO)).isEqualTo(Level.INFO);
    assertThat(y.duration(root, "missing", "missing", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> y.required(root, "missing", "outer.missing")).hasMessage("outer.missing is required");
  }

  @Test
  void badDocumentsAreNamed() {
    assertThatThrownBy(() -> y.readMap("", "c.yaml", "listen_addr")).hasMessage("c.yaml: empty configuration (expected listen_addr)");
    assertThatThrownBy(() -> y.readMap("- a\n", "c.yaml", "x")).hasMessage("c.yaml: the configuration must be a map of fields");
    assertThatThrownBy(() -> y.readMap("a: [\n", "c.yaml", "x")).hasMessageStartingWith("c.yaml: invalid YAML");
    assertThatThrownBy(() -> y.readMap("a: 1\na: 2\n", "c.yaml", "x")).hasMessageContaining("Duplicate field");
  }
}
