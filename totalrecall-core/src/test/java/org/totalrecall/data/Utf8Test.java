package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The strict UTF-8 validator against hand-picked sequences and against the JDK's strict decoder.
 */
class Utf8Test {
  private static int check(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return Utf8.firstMalformed(b, 0, b.length);
  }

  @Test
  void handPickedSequences() {
    assertEquals(-1, check('a', 'b'));
    assertEquals(-1, check(0xC3, 0xA9)); // é
    assertEquals(-1, check(0xE2, 0x82, 0xAC)); // €
    assertEquals(-1, check(0xF0, 0x9F, 0x98, 0x80)); // 😀
    assertEquals(-1, check(0xF4, 0x8F, 0xBF, 0xBF)); // U+10FFFF
    assertEquals(0, check(0xFF));
    assertEquals(0, check(0x80)); // lone continuation
    assertEquals(0, check(0xC0, 0xAF)); // overlong '/'
    assertEquals(0, check(0xE0, 0x80, 0xAF)); // overlong
    assertEquals(0, check(0xED, 0xA0, 0x80)); // surrogate U+D800
    assertEquals(0, check(0xF4, 0x90, 0x80, 0x80)); // above U+10FFFF
    assertEquals(1, check('a', 0xC3)); // truncated at the end
    assertEquals(1, check('a', 0xE2, 0x82, 'b')); // broken continuation
  }

  /** Random short byte strings: valid exactly when the JDK's REPORTing decoder accepts them. */
  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    SplittableRandom rng = new SplittableRandom(7);
    for (int t = 0; t < 200_000; t++) {
      byte[] b = new byte[1 + rng.nextInt(6)];
      for (int i = 0; i < b.length; i++) {
        // bias towards the interesting range
        b[i] = (byte) (rng.nextInt(4) == 0 ? rng.nextInt(128) : 0x80 + rng.nextInt(128));
      }
      boolean jdkValid;
      try {
        strict.reset().decode(ByteBuffer.wrap(b));
        jdkValid = true;
      } catch (CharacterCodingException e) {
        jdkValid = false;
      }
      assertEquals(
          jdkValid,
          Utf8.firstMalformed(b, 0, b.length) < 0,
          () -> java.util.HexFormat.of().formatHex(b));
    }
  }
}
