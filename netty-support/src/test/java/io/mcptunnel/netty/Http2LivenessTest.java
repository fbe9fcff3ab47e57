package io.mcptunnel.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2PingFrame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Http2LivenessTest {
  static final Duration INTERVAL = Duration.ofSeconds(10);

  EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addFirst("liveness", new Http2Liveness(INTERVAL, "test"));
    return ch;
  }

  void elapse(EmbeddedChannel ch, Duration d) {
    ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
    ch.runScheduledPendingTasks();
  }

  void read(EmbeddedChannel ch) {
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
    ByteBuf passed = ch.readInbound();
    passed.release();
  }

  @Test
  void aSilentConnectionIsPingedThenClosedWhenThePingGoesUnanswered() {
    EmbeddedChannel ch = channel();
    elapse(ch, INTERVAL.minusMillis(1));
    assertThat((Object) ch.readOutbound()).as("nothing before the interval").isNull();

    elapse(ch, Duration.ofMillis(1));
    Object ping = ch.readOutbound();
    assertThat(ping).isInstanceOfSatisfying(Http2PingFrame.class, p -> assertThat(p.ack()).isFalse());
    assertThat(ch.isActive()).isTrue();

    elapse(ch, INTERVAL);
    assertThat(ch.isActive()).as("closed after a second silent interval").isFalse();
  }

  @Test
  void anyTrafficKeepsTheConnectionAliveAndAnAnsweredPingStartsOver() {
    EmbeddedChannel ch = channel();
    for (int i = 0; i < 5; i++) {
      elapse(ch, INTERVAL.dividedBy(2));
      read(ch);
    }
    assertThat((Object) ch.readOutbound()).as("a busy connection is never pinged").isNull();

    elapse(ch, INTERVAL);
    assertThat((Object) ch.readOutbound()).isInstanceOf(Http2PingFrame.class);
    read(ch); // the acknowledgement, or anything else
    elapse(ch, INTERVAL.minusMillis(1));
    assertThat(ch.isActive()).isTrue();
    assertThat((Object) ch.readOutbound()).isNull();
    elapse(ch, Duration.ofMillis(1));
    assertThat((Object) ch.readOutbound()).as("silent again: a new ping, not a close")
        .isInstanceOf(Http2PingFrame.class);
    assertThat(ch.isActive()).isTrue();
    ch.finishAndReleaseAll();
  }

  @Test
  void theIntervalMustBePositive() {
    assertThatThrownBy(() -> new Http2Liveness(Duration.ZERO, "test")).isInstanceOf(IllegalArgumentException.class);
  }
}
