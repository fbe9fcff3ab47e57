package io.mcptunnel.proxy.policy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a {@code text/event-stream} incrementally into events and filters the {@code tools/list}
 * results among them. Each complete event leaves as soon as its terminating blank line arrived;
 * only the unfinished tail is held. Events without a tools list leave byte for byte unchanged.
 */
public final class SseEvents {
  private final Set<String> allowed;
  private final long maxEventBytes;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private int lineLength;
  private boolean lastWasCr;
  private boolean eventEndsAtCr;

  public SseEvents(Set<String> allowed, long maxEventBytes) {
    this.allowed = allowed;
    this.maxEventBytes = maxEventBytes;
  }

  /** Thrown when one event grows past the cap: it cannot be inspected, so it must not pass. */
  public static final class TooLarge extends Exception {
    TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  /** The bytes to send on for {@code chunk}: every event it completes, filtered where needed. */
  public byte[] feed(byte[] chunk) throws TooLarge {
    ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.length + 16);
    for (byte b : chunk) {
      if (eventEndsAtCr) {
        // An event ended with CR: its LF, if that is what follows, belongs to it.
        eventEndsAtCr = false;
        if (b == '\n') {
          pending.write(b);
          emit(out);
          lastWasCr = false;
          continue;
        }
        emit(out);
      }
      pending.write(b);
      if (b == '\n' && lastWasCr) { // the second half of a CRLF: that line already ended
        lastWasCr = false;
        continue;
      }
      lastWasCr = b == '\r';
      if (b == '\n' || b == '\r') {
        if (lineLength == 0) {
          if (b == '\r') {
            eventEndsAtCr = true;
          } else {
            emit(out);
          }
        }
        lineLength = 0;
      } else {
        lineLength++;
      }
    }
    if (pending.size() > maxEventBytes) {
      throw new TooLarge("a server-sent event exceeds " + maxEventBytes + " bytes");
    }
    return out.toByteArray();
  }

  private void emit(ByteArrayOutputStream out) {
    byte[] event = pending.toByteArray();
    pending.reset();
    out.writeBytes(filterEvent(event));
  }

  /** Whatever is held when the stream ends (an unterminated last event is not dispatched by clients). */
  public byte[] rest() {
    eventEndsAtCr = false;
    byte[] b = pending.toByteArray();
    pending.reset();
    return b;
  }

  private byte[] filterEvent(byte[] event) {
    String text = new String(event, StandardCharsets.UTF_8);
    List<String> others = new ArrayList<>();
    StringBuilder data = null;
    for (String line : text.split("\r\n|\r|\n")) {
      if (line.startsWith("data")) {
        String field = line.length() == 4 ? "" : line.charAt(4) == ':' ? line.substring(5) : null;
        if (field != null) {
          if (field.startsWith(" ")) {
            field = field.substring(1);
          }
          data = data == null ? new StringBuilder(field) : data.append('\n').append(field);
          continue;
        }
      }
      if (!line.isEmpty()) {
        others.add(line);
      }
    }
    if (data == null) {
      return event;
    }
    try {
      var filtered = ToolsListFilter.filter(data.toString(), allowed);
      if (filtered.isEmpty()) {
        return event;
      }
      StringBuilder out = new StringBuilder();
      others.forEach(l -> out.append(l).append('\n'));
      out.append("data: ").append(filtered.get()).append("\n\n");
      return out.toString().getBytes(StandardCharsets.UTF_8);
    } catch (java.io.IOException notJson) {
      // Not a JSON-RPC message (e.g. a priming event): it cannot carry a tools list.
      return event;
    }
  }
}
