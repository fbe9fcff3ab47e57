package io.mcptunnel.ops.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Follows a log file by name like {@code tail -F}, one {@link #poll()} at a time: starts at the end
 * (or the start), keeps reading as the file grows, reads a file that appears later from its start,
 * and after a rotation (a new file under the name) first drains the old one, then reads the new one
 * from its start. A file that shrank was truncated: reading restarts at 0. A partial last line
 * waits for its newline.
 */
public final class LogFollower implements AutoCloseable {
  private static final int MAX_READ = 1 << 20;
  private static final int MAX_LINE = 1 << 20;

  private final Path file;
  private FileChannel channel;
  private Object fileKey;
  private long position;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  public LogFollower(Path file, boolean fromStart) {
    this.file = file;
    try {
      open();
      if (channel != null && !fromStart) {
        position = channel.size();
      }
    } catch (IOException e) {
      throw new MonitorException("log " + file + ": " + e.getMessage());
    }
  }

  /** The complete lines written since the last poll. */
  public List<String> poll() throws IOException {
    List<String> lines = new ArrayList<>();
    if (channel == null) {
      open();
      if (channel == null) {
        return lines;
      }
    }
    Object current = keyOf();
    if (current != null && !Objects.equals(current, fileKey)) {
      read(lines); // the rest of the rotated file
      channel.close();
      channel = null;
      partial.reset();
      open();
    } else if (channel.size() < position) {
      position = 0;
      partial.reset();
    }
    if (channel != null) {
      read(lines);
    }
    return lines;
  }

  private void open() throws IOException {
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      fileKey = keyOf();
      position = 0;
    } catch (NoSuchFileException e) {
      channel = null;
    }
  }

  private Object keyOf() throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void read(List<String> lines) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    int total = 0;
    int n;
    while (total < MAX_READ && (n = channel.read(buf, position)) > 0) {
      position += n;
      total += n;
      buf.flip();
      while (buf.hasRemaining()) {
        byte b = buf.get();
        if (b == '\n') {
          lines.add(partial.toString(StandardCharsets.UTF_8).replace("\r", ""));
          partial.reset();
        } else if (partial.size() < MAX_LINE) {
          partial.write(b);
        }
      }
      buf.clear();
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
