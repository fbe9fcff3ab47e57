package io.mcptunnel.ops.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.config.StrictYaml;
import java.nio.file.Path;
import java.util.Set;

/**
 * The {@code --rules} YAML file: sections per rule, every field optional, unknown fields refused
 * (a typo must not silently keep a default). Values land in a {@link MonitorRules.Builder}, so
 * command-line flags applied afterwards win.
 */
public final class RulesFile {
  private static final StrictYaml YAML = new StrictYaml(MonitorException::new);
  private static final Set<String> TOP = Set.of("cooldown", "warn_error_burst", "request_rate", "ip_refusals",
      "tls_handshake_failures", "token_rejections", "new_connector_address", "scrape_failures");
  private static final Set<String> COUNTED = Set.of("count", "window");

  private RulesFile() {}

  public static void read(Path file, MonitorRules.Builder b) {
    parse(YAML.readFile(file), file.toString(), b);
  }

  static void parse(String yaml, String source, MonitorRules.Builder b) {
    JsonNode root = YAML.readMap(yaml, source, "rule sections such as warn_error_burst or request_rate");
    YAML.checkKnown(root, "", TOP);
    b.cooldown = YAML.duration(root, "cooldown", "cooldown", b.cooldown);

    JsonNode burst = YAML.section(root, "warn_error_burst", COUNTED);
    b.burstCount = count(burst, "warn_error_burst", b.burstCount);
    b.burstWindow = YAML.duration(burst, "window", "warn_error_burst.window", b.burstWindow);

    JsonNode rate = YAML.section(root, "request_rate", Set.of("factor", "window", "baseline", "warmup", "min_rate"));
    b.rateFactor = number(rate, "factor", "request_rate.factor", b.rateFactor);
    b.rateWindow = YAML.duration(rate, "window", "request_rate.window", b.rateWindow);
    b.rateBaseline = YAML.duration(rate, "baseline", "request_rate.baseline", b.rateBaseline);
    b.rateWarmup = YAML.duration(rate, "warmup", "request_rate.warmup", b.rateWarmup);
    b.rateMin = number(rate, "min_rate", "request_rate.min_rate", b.rateMin);

    JsonNode ip = YAML.section(root, "ip_refusals", COUNTED);
    b.ipRefusals = count(ip, "ip_refusals", b.ipRefusals);
    b.ipWindow = YAML.duration(ip, "window", "ip_refusals.window", b.ipWindow);

    JsonNode tls = YAML.section(root, "tls_handshake_failures", COUNTED);
    b.tlsFailures = count(tls, "tls_handshake_failures", b.tlsFailures);
    b.tlsWindow = YAML.duration(tls, "window", "tls_handshake_failures.window", b.tlsWindow);

    JsonNode token = YAML.section(root, "token_rejections", COUNTED);
    b.tokenRejections = count(token, "token_rejections", b.tokenRejections);
    b.tokenWindow = YAML.duration(token, "window", "token_rejections.window", b.tokenWindow);

    JsonNode address = YAML.section(root, "new_connector_address", Set.of("learn"));
    b.learn = YAML.duration(address, "learn", "new_connector_address.learn", b.learn);

    JsonNode scrape = YAML.section(root, "scrape_failures", Set.of("count"));
    b.scrapeFailures = count(scrape, "scrape_failures", b.scrapeFailures);
  }

  private static int count(JsonNode section, String path, int dflt) {
    String v = YAML.text(section, "count", path + ".count");
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new MonitorException(path + ".count: \"" + v + "\" (expected a whole number, 0 turns the rule off)");
    }
  }

  private static double number(JsonNode section, String name, String path, double dflt) {
    String v = YAML.text(section, name, path);
    if (v == null) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(v.strip());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new MonitorException(path + ": \"" + v + "\" (expected a number)");
    }
  }

}
