package org.llkd.models.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.llkd.models.io.StrictUtf8Reader.MalformedUtf8Exception;

class StrictUtf8ReaderTest {
  private static StrictUtf8Reader reader(byte[] b, boolean skipBom) {
    return new StrictUtf8Reader(new ByteArrayInputStream(b), skipBom);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void linesBeforeABadByteAreDeliveredAndTheErrorNamesItsLineOffsetAndBytes() throws IOException {
    byte[] head = utf8("a\r\nb\u00e9\ncaf");
    byte[] all = Arrays.copyOf(head, head.length + 3);
    all[head.length] = (byte) 0xE9; // Latin-1 é: opens a 3-byte sequence that ' ' cannot continue
    all[head.length + 1] = ' ';
    all[head.length + 2] = '\n';
    StrictUtf8Reader r = reader(all, false);
    assertEquals("a", r.readLine());
    assertEquals("b\u00e9", r.readLine());
    MalformedUtf8Exception e = assertThrows(MalformedUtf8Exception.class, r::readLine);
    assertEquals(3, e.line());
    assertEquals(head.length, e.byteOffset());
    assertEquals(3, e.byteInLine());
    assertEquals("E9", e.hexBytes());
  }

  @Test
  void anErrorFarIntoTheFileIsFoundAcrossChunkBoundaries() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) sb.append("row ").append(i).append(" caf\u00e9 \u2014 \uD83D\uDE00\n");
    byte[] good = utf8(sb.toString());
    byte[] all = Arrays.copyOf(good, good.length + 1);
    all[good.length] = (byte) 0xC3; // a lead byte, then the end
    StrictUtf8Reader r = reader(all, false);
    MalformedUtf8Exception e = assertThrows(MalformedUtf8Exception.class, r::drain);
    assertEquals(20_001, e.line());
    assertEquals(good.length, e.byteOffset());
    assertEquals(Sha256.of(all), r.sha256());
  }

  @Test
  void aByteOrderMarkIsSkippedOnlyWhenAskedAndIsStillHashed() throws IOException {
    byte[] b = utf8("\uFEFFx\n");
    StrictUtf8Reader skip = reader(b, true);
    assertEquals("x", skip.readLine());
    assertNull(skip.readLine());
    assertEquals(Sha256.of(b), skip.sha256());
    assertEquals("\uFEFFx", reader(b, false).readLine());
  }

  @Test
  void aFinalLineWithoutNewlineCountsAndOneCarriageReturnIsDropped() throws IOException {
    StrictUtf8Reader r = reader(utf8("a\n\nb\r"), false);
    assertEquals("a", r.readLine());
    assertEquals("", r.readLine());
    assertEquals("b", r.readLine());
    assertNull(r.readLine());
    char[] all = new char[8];
    assertEquals(-1, reader(new byte[0], true).read(all, 0, 8));
    assertArrayEquals(new char[] {'h', 'i'}, Arrays.copyOf(all, reader(utf8("hi"), false).read(all, 0, 8)));
  }
}
