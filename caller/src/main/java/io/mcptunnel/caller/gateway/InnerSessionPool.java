package io.mcptunnel.caller.gateway;

import io.mcptunnel.caller.TunnelCaller;
import io.mcptunnel.netty.http.UpstreamRelay;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One event loop's idle inner sessions, per tunnel host, ready for the next HTTP/1.1 request: a
 * request reuses a warm session (no handshake at all) and only opens a new one, resumed where
 * possible, when none is idle. Used only on its own event loop.
 */
final class InnerSessionPool {
  private static final int MAX_IDLE_PER_HOST = 64;

  private final TunnelCaller caller;
  private final EventLoop loop;
  private final Map<String, ArrayDeque<Channel>> idle = new HashMap<>();

  InnerSessionPool(TunnelCaller caller, EventLoop loop) {
    this.caller = caller;
    this.loop = loop;
  }

  /**
   * Calls {@code done} with an HTTP-ready session or the reason there is none, on this loop. The
   * tunnel's CAs are looked up first (a cached answer, as a rule, so nothing leaves the loop): a
   * parked session is reused only if it was verified against the CA set still current, so a CA taken
   * off the tunnel stops being trusted within the source's cache time even on warm sessions.
   */
  void acquire(String host, BiConsumer<Channel, Throwable> done) {
    caller.activeCas(loop, host).whenComplete((cas, e) -> {
      if (e != null) {
        done.accept(null, e);
        return;
      }
      ArrayDeque<Channel> parked = idle.get(host);
      while (parked != null && !parked.isEmpty()) {
        Channel ch = parked.pollLast();
        if (ch.isActive() && TunnelCaller.verifiedAgainst(ch, cas)) {
          done.accept(ch, null);
          return;
        }
        ch.close();
      }
      caller.openSession(loop, host, cas).whenComplete((ch, failed) -> {
        if (failed != null) {
          done.accept(null, failed);
          return;
        }
        ch.pipeline().addLast("http", new HttpClientCodec(4096, 65536, 65536));
        ch.pipeline().addLast("relay", new UpstreamRelay());
        done.accept(ch, null);
      });
    });
  }

  void release(String host, Channel ch, boolean reusable) {
    if (!reusable) {
      ch.close();
      return;
    }
    ArrayDeque<Channel> parked = idle.computeIfAbsent(host, h -> new ArrayDeque<>());
    parked.addLast(ch);
    if (parked.size() > MAX_IDLE_PER_HOST) {
      parked.pollFirst().close();
    }
    ch.pipeline().get(UpstreamRelay.class).onIdleClose(() -> parked.remove(ch));
    // A read pending while parked lets a close by the proxy be noticed at once.
    ch.read();
  }

  void closeAll() {
    idle.values().forEach(q -> q.forEach(Channel::close));
    idle.clear();
  }
}
