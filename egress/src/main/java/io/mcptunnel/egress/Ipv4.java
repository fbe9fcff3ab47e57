package io.mcptunnel.egress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.OptionalInt;

/** IPv4 addresses as 32-bit ints, and the lenient literal forms that URL parsers and curl accept. */
public final class Ipv4 {
  private Ipv4() {}

  /**
   * Whether a host name "ends in a number" (WHATWG URL host parsing): such a host is an attempt at an
   * IPv4 literal and must parse as one or be refused, never be handed to DNS.
   */
  public static boolean looksLikeLiteral(String host) {
    String h = stripTrailingDot(host);
    String last = h.substring(h.lastIndexOf('.') + 1);
    if (last.isEmpty()) {
      return false;
    }
    if (last.chars().allMatch(Character::isDigit)) {
      return true;
    }
    String lower = last.toLowerCase(Locale.ROOT);
    return lower.startsWith("0x") && lower.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  /**
   * Parses an IPv4 literal the way {@code inet_aton} (and so curl) reads it: one to four parts, each
   * decimal, octal (leading {@code 0}) or hex ({@code 0x}); the last part fills the remaining bytes.
   * So {@code 127.1}, {@code 2130706433}, {@code 0177.0.0.1} and {@code 0x7f000001} are all 127.0.0.1.
   * One trailing dot is ignored. Returns empty when the text is not a valid literal.
   */
  public static OptionalInt parseLenient(String text) {
    String s = stripTrailingDot(text);
    if (s.isEmpty()) {
      return OptionalInt.empty();
    }
    String[] parts = s.split("\\.", -1);
    if (parts.length > 4) {
      return OptionalInt.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      long v = parsePart(parts[i]);
      if (v < 0) {
        return OptionalInt.empty();
      }
      values[i] = v;
    }
    long result = 0;
    for (int i = 0; i < values.length - 1; i++) {
      if (values[i] > 255) {
        return OptionalInt.empty();
      }
      result |= values[i] << (24 - 8 * i);
    }
    long last = values[values.length - 1];
    int lastBits = 32 - 8 * (values.length - 1);
    if (last >= (1L << lastBits)) {
      return OptionalInt.empty();
    }
    return OptionalInt.of((int) (result | last));
  }

  /** Parses strict dotted-quad decimal ({@code 10.0.0.1}); leading zeros are refused as ambiguous. */
  public static OptionalInt parseStrict(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return OptionalInt.empty();
    }
    int result = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
          || (p.length() > 1 && p.charAt(0) == '0')) {
        return OptionalInt.empty();
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return OptionalInt.empty();
      }
      result = (result << 8) | v;
    }
    return OptionalInt.of(result);
  }

  public static int toInt(Inet4Address address) {
    byte[] b = address.getAddress();
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  public static Inet4Address toAddress(int value) {
    byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are always a valid address", e);
    }
  }

  public static String format(int value) {
    return (value >>> 24) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "." + (value & 0xff);
  }

  private static String stripTrailingDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** One part of a lenient literal, or -1. */
  private static long parsePart(String part) {
    if (part.isEmpty()) {
      return -1;
    }
    int radix = 10;
    String digits = part;
    if (part.length() > 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
      radix = 16;
      digits = part.substring(2);
    } else if (part.length() > 1 && part.charAt(0) == '0') {
      radix = 8;
      digits = part.substring(1);
    }
    if (digits.length() > 11) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = Character.digit(digits.charAt(i), radix);
      if (d < 0) {
        return -1;
      }
      v = v * radix + d;
    }
    return v;
  }
}
