package io.mcptunnel.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time used in a phase, split by who used it: the bench clients, the proxy (its accept, worker
 * and DNS threads), the upstream, the JIT compilers, the garbage collector, and the rest of the
 * process. On Linux it reads {@code /proc/self/task/*}/stat (which also sees the JVM's own threads,
 * in clock ticks); elsewhere only Java threads via {@link ThreadMXBean} (no jit/gc split).
 */
final class CpuMeter {
  /** Group name, then prefixes of the (15-character) thread names that belong to it. */
  static final String[][] GROUPS = {
      {"client", "bench-client"},
      {"proxy", "mcptunnel-"},
      {"upstream", "bench-upstream"},
      {"jit", "C1 Compiler", "C2 Compiler"},
      {"gc", "GC Thread", "G1 "},
  };
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final boolean PROC = Files.isDirectory(TASKS);
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux

  private final Map<String, Long> start;
  private final long machineStart;
  private final long wallStart = System.nanoTime();

  private CpuMeter() {
    start = sample();
    machineStart = machineBusy();
  }

  /**
   * How many cores the whole machine (every process) kept busy since {@link #start()}, from
   * {@code /proc/stat}; -1 where that is not available. Compare with this process's own use to see
   * how much CPU other work on the machine took during the phase.
   */
  double machineCoresBusy() {
    long end = machineBusy();
    if (end < 0 || machineStart < 0) {
      return -1;
    }
    return (end - machineStart) / (double) (System.nanoTime() - wallStart);
  }

  /** Busy (non-idle, non-iowait) CPU nanoseconds of the whole machine. */
  private static long machineBusy() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // idle, iowait
          busy += Long.parseLong(f[i]);
        }
      }
      return busy * TICK_NANOS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static CpuMeter start() {
    return new CpuMeter();
  }

  /** CPU nanoseconds per group since {@link #start()}, plus {@code other} and {@code total}. */
  Map<String, Long> stop() {
    Map<String, Long> end = sample();
    Map<String, Long> out = new LinkedHashMap<>();
    for (String[] g : GROUPS) {
      out.put(g[0], 0L);
    }
    long grouped = 0;
    for (var e : end.entrySet()) {
      if (e.getKey().equals("total")) {
        continue;
      }
      long used = e.getValue() - start.getOrDefault(e.getKey(), 0L);
      String group = group(e.getKey().substring(e.getKey().indexOf(':') + 1));
      if (group != null && used > 0) {
        out.merge(group, used, Long::sum);
        grouped += used;
      }
    }
    long total = end.get("total") - start.get("total");
    out.put("other", Math.max(0, total - grouped));
    out.put("total", total);
    return out;
  }

  private static String group(String threadName) {
    for (String[] g : GROUPS) {
      for (int i = 1; i < g.length; i++) {
        if (threadName.startsWith(g[i])) {
          return g[0];
        }
      }
    }
    return null;
  }

  /** "id:name" → CPU ns for every live thread, and "total" for the process. */
  private static Map<String, Long> sample() {
    Map<String, Long> m = new HashMap<>();
    if (PROC) {
      try (Stream<Path> tasks = Files.list(TASKS)) {
        tasks.forEach(t -> {
          try {
            String stat = Files.readString(t.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String name = stat.substring(open + 1, close);
            String[] f = stat.substring(close + 2).split(" ");
            // after "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            m.put(t.getFileName() + ":" + name, ticks * TICK_NANOS);
          } catch (IOException | RuntimeException e) {
            // the thread ended meanwhile
          }
        });
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        m.put("total", (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS);
        return m;
      } catch (IOException | RuntimeException e) {
        m.clear();
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        if (t >= 0) {
          m.put(info.getThreadId() + ":" + info.getThreadName(), t);
        }
      }
    }
    long process = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      process = os.getProcessCpuTime();
    }
    m.put("total", process);
    return m;
  }
}
