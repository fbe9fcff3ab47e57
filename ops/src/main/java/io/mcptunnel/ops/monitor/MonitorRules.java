package io.mcptunnel.ops.monitor;

import io.mcptunnel.common.GoDuration;
import java.time.Duration;

/**
 * Every threshold of the monitor, with its default. Built by {@link Builder}, which the rules file
 * and then the command-line flags fill in; {@link Builder#build()} is the one validation step.
 */
public record MonitorRules(
    int burstCount, Duration burstWindow,
    double rateFactor, Duration rateWindow, Duration rateBaseline, Duration rateWarmup, double rateMin,
    int ipRefusals, Duration ipWindow,
    int tlsFailures, Duration tlsWindow,
    int tokenRejections, Duration tokenWindow,
    int scrapeFailures,
    Duration learn,
    Duration cooldown) {

  public static MonitorRules defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settable in any order; unset values keep their defaults. */
  public static final class Builder {
    public int burstCount = 10;
    public Duration burstWindow = Duration.ofMinutes(1);
    public double rateFactor = 5;
    public Duration rateWindow = Duration.ofMinutes(1);
    public Duration rateBaseline = Duration.ofMinutes(30);
    public Duration rateWarmup = Duration.ofMinutes(10);
    public double rateMin = 1;
    public int ipRefusals = 1;
    public Duration ipWindow = Duration.ofMinutes(5);
    public int tlsFailures = 5;
    public Duration tlsWindow = Duration.ofMinutes(1);
    public int tokenRejections = 1;
    public Duration tokenWindow = Duration.ofMinutes(5);
    public int scrapeFailures = 3;
    public Duration learn = Duration.ofMinutes(10);
    public Duration cooldown = Duration.ofMinutes(5);

    public MonitorRules build() {
      atLeastZero("warn_error_burst.count", burstCount);
      atLeastZero("ip_refusals.count", ipRefusals);
      atLeastZero("tls_handshake_failures.count", tlsFailures);
      atLeastZero("token_rejections.count", tokenRejections);
      atLeastZero("scrape_failures.count", scrapeFailures);
      if (rateFactor != 0 && rateFactor <= 1) {
        throw new MonitorException("request_rate.factor: " + rateFactor + " (expected 0 to turn the rule off, or more than 1)");
      }
      if (rateMin < 0) {
        throw new MonitorException("request_rate.min_rate: " + rateMin + " (expected a rate per second >= 0)");
      }
      positive("warn_error_burst.window", burstWindow);
      positive("request_rate.window", rateWindow);
      positive("ip_refusals.window", ipWindow);
      positive("tls_handshake_failures.window", tlsWindow);
      positive("token_rejections.window", tokenWindow);
      if (rateBaseline.compareTo(rateWindow) <= 0) {
        throw new MonitorException("request_rate.baseline: " + GoDuration.format(rateBaseline)
            + " (expected longer than request_rate.window " + GoDuration.format(rateWindow) + ")");
      }
      notNegative("request_rate.warmup", rateWarmup);
      notNegative("new_connector_address.learn", learn);
      notNegative("cooldown", cooldown);
      return new MonitorRules(burstCount, burstWindow, rateFactor, rateWindow, rateBaseline, rateWarmup, rateMin,
          ipRefusals, ipWindow, tlsFailures, tlsWindow, tokenRejections, tokenWindow, scrapeFailures, learn, cooldown);
    }

    private static void atLeastZero(String name, int v) {
      if (v < 0) {
        throw new MonitorException(name + ": " + v + " (expected a count >= 1, or 0 to turn the rule off)");
      }
    }

    private static void positive(String name, Duration d) {
      if (d.isZero() || d.isNegative()) {
        throw new MonitorException(name + ": " + GoDuration.format(d) + " (expected a duration > 0, e.g. 1m)");
      }
    }

    private static void notNegative(String name, Duration d) {
      if (d.isNegative()) {
        throw new MonitorException(name + ": " + GoDuration.format(d) + " (expected a duration >= 0)");
      }
    }
  }
}
