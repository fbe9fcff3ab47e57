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
 * CPU time used in a phase, split by who used it: the bench clients (which include the caller's
 * edge sessions and inner TLS), the edge, the connector, the proxy (its accept, worker and DNS
 * threads), the upstream, the JIT compilers, the garbage collector, and the rest of the process;
 * plus, when given, child processes outside the JVM (the peer stack's stunnel and nginx). On Linux
 * it reads {@code /proc/self/task/*}/stat (which also sees the JVM's own threads, in clock ticks)
 * and {@code /proc/PID/stat}; elsewhere only Java threads via {@link ThreadMXBean} (no jit/gc split).
 */
final class CpuMeter {
  /** Group name, then prefixes of the (15-character) thread names that belong to it. */
  static final String[][] GROUPS = {
      {"client", "bench-client"},
      // Thread names are cut to 15 characters in /proc: "mcptunnel-edge-" (edge workers, accept,
      // admin), "mcptunnel-conne" (connector); the proxy's are the remaining "mcptunnel-" ones.
      {"edge", "mcptunnel-edge"},
      {"connector", "mcptunnel-conn"},
      {"proxy", "mcptunnel-"},
      {"upstream", "bench-upstream"},
      {"jit", "C1 Compiler", "C2 Compiler"},
      {"gc", "GC Thread", "G1 "},
  };
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final boolean PROC = Files.isDirectory(TASKS);
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux

  /** Every group name, in table order: in-process groups, then the external ones callers may add. */
  static final java.util.List<String> ALL = java.util.List.of("client", "edge", "connector", "proxy", "stunnel",
      "nginx", "upstream", "jit", "gc", "other", "total");

  private final Map<String, Long> start;
  private final Map<String, java.util.List<Long>> external;
  private final Map<String, Long> externalStart;
  private final long machineStart;
  private final long wallStart = System.nanoTime();

  private CpuMeter(Map<String, java.util.List<Long>> external) {
    this.external = external;
    start = sample();
    externalStart = sampleExternal();
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
    return new CpuMeter(Map.of());
  }

  /** Also counts the CPU of these processes (group name → process ids) into their own groups and the total. */
  static CpuMeter start(Map<String, java.util.List<Long>> external) {
    return new CpuMeter(external);
  }

  /**
   * CPU nanoseconds per group since {@link #start()}, plus {@code other} and {@code total} (this
   * process and the external ones), every name of {@link #ALL} present.
   */
  Map<String, Long> stop() {
    Map<String, Long> end = sample();
    Map<String, Long> externalEnd = sampleExternal();
    Map<String, Long> out = new LinkedHashMap<>();
    for (String g : ALL) {
      out.put(g, 0L);
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
    long externalTotal = 0;
    for (var e : externalEnd.entrySet()) {
      long used = Math.max(0, e.getValue() - externalStart.getOrDefault(e.getKey(), 0L));
      out.merge(e.getKey(), used, Long::sum);
      externalTotal += used;
    }
    out.put("total", total + externalTotal);
    return out;
  }

  private Map<String, Long> sampleExternal() {
    Map<String, Long> m = new HashMap<>();
    external.forEach((group, pids) -> {
      long sum = 0;
      for (long pid : pids) {
        sum += processNanos(pid);
      }
      m.put(group, sum);
    });
    return m;
  }

  /** User + system CPU of a whole process (all its threads), 0 when it cannot be read. */
  static long processNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
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
