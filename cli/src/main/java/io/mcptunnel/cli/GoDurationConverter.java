package io.mcptunnel.cli;

import io.mcptunnel.common.GoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Go-style durations ({@code 5s}, {@code 1m30s}) for flags, the same syntax as the config file. */
final class GoDurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    Duration d;
    try {
      d = GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
    if (d.isZero() || d.isNegative()) {
      throw new TypeConversionException("\"" + value + "\" must be greater than zero");
    }
    return d;
  }
}
