package io.mcptunnel.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BinaryFrameCodecTest {

  @Test
  void binaryAndContinuationFramesBecomeTheirBytes() {
    EmbeddedChannel ch = new EmbeddedChannel(new BinaryFrameCodec());
    ch.writeInbound(new BinaryWebSocketFrame(false, 0, bytes("hello ")));
    ch.writeInbound(new ContinuationWebSocketFrame(true, 0, bytes("world")));
    ByteBuf first = ch.readInbound();
    ByteBuf second = ch.readInbound();
    assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8))
        .isEqualTo("hello world");
    first.release();
    second.release();
  }

  @Test
  void bytesWrittenBecomeBinaryFrames() {
    EmbeddedChannel ch = new EmbeddedChannel(new BinaryFrameCodec());
    ch.writeOutbound(bytes("tls record"));
    BinaryWebSocketFrame frame = ch.readOutbound();
    assertThat(frame.content().toString(StandardCharsets.UTF_8)).isEqualTo("tls record");
    frame.release();
  }

  @Test
  void controlFramesPassThroughToTheProtocolHandler() {
    EmbeddedChannel ch = new EmbeddedChannel(new BinaryFrameCodec());
    ch.writeInbound(new PingWebSocketFrame(bytes("p")));
    PingWebSocketFrame ping = ch.readInbound();
    assertThat(ping).isNotNull();
    ping.release();
  }

  @Test
  void textFramesAreAProtocolError() {
    EmbeddedChannel ch = new EmbeddedChannel(new BinaryFrameCodec());
    assertThatThrownBy(() -> ch.writeInbound(new TextWebSocketFrame("plain")))
        .isInstanceOf(DecoderException.class)
        .hasMessageContaining("text frame");
  }

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }
}
