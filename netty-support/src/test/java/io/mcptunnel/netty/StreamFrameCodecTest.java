package io.mcptunnel.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamFrameCodecTest {

  EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel(new StreamFrameCodec());
    ch.freezeTime();
    return ch;
  }

  static Http2DataFrame data(String text, boolean end) {
    return new DefaultHttp2DataFrame(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), end);
  }

  @Test
  void bytesBecomeDataFramesAndBack() {
    EmbeddedChannel ch = channel();
    ch.writeOutbound(Unpooled.copiedBuffer("up", StandardCharsets.UTF_8));
    Http2DataFrame out = ch.readOutbound();
    assertThat(out.content().toString(StandardCharsets.UTF_8)).isEqualTo("up");
    assertThat(out.isEndStream()).isFalse();
    out.release();

    ch.writeInbound(data("down", false));
    ByteBuf in = ch.readInbound();
    assertThat(in.toString(StandardCharsets.UTF_8)).isEqualTo("down");
    in.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void closingEndsThisSideAndTheStreamGoesOnceThePeerEndsItsSideWithoutAReset() {
    EmbeddedChannel ch = channel();
    ChannelFuture closed = ch.close();
    Http2DataFrame end = ch.readOutbound();
    assertThat(end.isEndStream()).isTrue();
    assertThat(end.content().isReadable()).isFalse();
    assertThat(ch.isActive()).as("waits for the peer's END_STREAM").isTrue();
    assertThat(closed).isNotDone();

    // Late bytes are dropped; writes fail: this side is closed.
    ch.writeInbound(data("late", false));
    assertThat((Object) ch.readInbound()).isNull();
    ChannelFuture write = ch.writeOneOutbound(Unpooled.copiedBuffer("more", StandardCharsets.UTF_8));
    assertThat(write.cause()).isInstanceOf(ClosedChannelException.class);

    ch.writeInbound(data("", true));
    ch.runPendingTasks();
    assertThat(ch.isActive()).isFalse();
    assertThat(closed).isDone();
    assertThat((Object) ch.readOutbound()).as("no second END_STREAM").isNull();
  }

  @Test
  void thePeerEndingItsSideEndsThisSideAndClosesTheStream() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(data("last", true));
    ByteBuf last = ch.readInbound();
    assertThat(last.toString(StandardCharsets.UTF_8)).isEqualTo("last");
    last.release();
    ch.runPendingTasks();
    Http2DataFrame end = ch.readOutbound();
    assertThat(end.isEndStream()).isTrue();
    assertThat(ch.isActive()).isFalse();
  }

  @Test
  void aPeerThatNeverEndsItsSideIsCutOffAfterTheLinger() {
    EmbeddedChannel ch = channel();
    // Through the pipeline: EmbeddedChannel.close() would also cancel the scheduled reset.
    ChannelFuture closed = ch.pipeline().close();
    ch.advanceTimeBy(StreamFrameCodec.LINGER.toMillis() - 1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isActive()).isTrue();
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isActive()).isFalse();
    assertThat(closed).isDone();
    ch.finishAndReleaseAll();
  }
}
