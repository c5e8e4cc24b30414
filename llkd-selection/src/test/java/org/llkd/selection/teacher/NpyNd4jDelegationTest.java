package org.llkd.selection.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which NPY cases {@link Npy} hands to ND4J 1.0.0-M2.1 ({@link Nd4j#createNpyFromByteArray}) and which it keeps,
 * with ND4J's actual behaviour on each kept case. If ND4J changes (a new version reads big-endian or Fortran
 * order, or stops crashing), these tests fail and the split in {@link Npy} should be revisited.
 *
 * <p>Cases that abort the JVM inside ND4J's native reader run in a child JVM.
 */
class NpyNd4jDelegationTest {
  @TempDir Path dir;

  private static final double[][] M = {{1, 2, 3}, {4, 5, 6}}; // logical [2, 3] array

  // ------------------------------------------------------------------ (a) the common case: same arrays

  @Test
  void numpySaveFilesAreDecodedByNd4jExactlyLikeTheOwnDecoder() {
    Random rnd = new Random(22);
    for (Npy.FloatDtype dtype : Npy.FloatDtype.values()) {
      for (int[] nc : new int[][] {{1, 1}, {2, 3}, {37, 6}, {500, 28}}) {
        double[][] data = new double[nc[0]][nc[1]];
        for (double[] row : data) {
          for (int k = 0; k < row.length; k++) {
            row[k] = rnd.nextDouble() * (rnd.nextBoolean() ? 1 : 1e-30);
          }
        }
        data[0][0] = Double.MIN_NORMAL;
        byte[] file = Npy.writeMatrix(data, nc[1], dtype);
        Npy.Header h = Npy.header(file, "t.npy", "");
        assertTrue(h.numpySaveForm(), "numpy.save form, so readMatrix takes the ND4J path");
        double[][] nd4j = Npy.decodeWithNd4j(file, h);
        double[][] own = Npy.decodeOwn(file, h, dtype.size);
        assertEquals(nc[0], nd4j.length);
        for (int i = 0; i < nc[0]; i++) {
          assertArrayEquals(own[i], nd4j[i], 0.0, dtype + " row " + i);
          for (int k = 0; k < nc[1]; k++) {
            double want = dtype == Npy.FloatDtype.F4 ? (float) data[i][k] : data[i][k];
            assertEquals(want, nd4j[i][k], 0.0);
          }
        }
        double[][] read = Npy.readMatrix(file, "t.npy", "");
        for (int i = 0; i < nc[0]; i++) {
          assertArrayEquals(own[i], read[i], 0.0);
        }
      }
    }
  }

  @Test
  void filesWrittenByNumpyTakeTheNd4jPath() throws IOException {
    for (String name : List.of("numpy_probs_f4.npy", "numpy_probs_f8.npy")) {
      byte[] file = Files.readAllBytes(TeacherTestFiles.resource(name));
      Npy.Header h = Npy.header(file, name, "");
      assertTrue(h.numpySaveForm(), name);
      int size = h.descr().equals("<f4") ? 4 : 8;
      assertMatrix(Npy.decodeOwn(file, h, size), Npy.decodeWithNd4j(file, h));
    }
  }

  @Test
  void nd4jFileReaderAgreesOnANumpySaveFile() throws IOException {
    Path f = dir.resolve("m.npy");
    Files.write(f, Npy.writeMatrix(M, 3, Npy.FloatDtype.F8));
    INDArray a = Nd4j.createFromNpyFile(f.toFile());
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertArrayEquals(M[1], a.toDoubleMatrix()[1], 0.0);
  }

  // ------------------------------------------------------------------ (b) what ND4J cannot do

  @Test
  void formatVersion2And3HeadersAreRefusedByNd4jAndDecodedHere() {
    for (int major : new int[] {2, 3}) {
      byte[] file = npy(major, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", f8(M));
      RuntimeException e = assertThrows(RuntimeException.class, () -> Nd4j.createNpyFromByteArray(file));
      assertEquals("Pointer doesn't look like a NumPy header", e.getMessage());
      assertFalse(Npy.header(file, "v.npy", "").numpySaveForm());
      assertMatrix(M, Npy.readMatrix(file, "v.npy", ""));
    }
  }

  @Test
  void fortranOrderIsIgnoredByNd4jGivingWrongValuesAndDecodedHere() {
    // numpy.asfortranarray(M) saved: the data is column-major, 1 4 2 5 3 6
    byte[] file = npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
        f8(new double[][] {{1, 4, 2, 5, 3, 6}}));
    INDArray a = Nd4j.createNpyFromByteArray(file);
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertMatrix(new double[][] {{1, 4, 2}, {5, 3, 6}}, a.toDoubleMatrix()); // not M
    assertFalse(Npy.header(file, "f.npy", "").numpySaveForm());
    assertMatrix(M, Npy.readMatrix(file, "f.npy", ""));
  }

  @Test
  void emptyArraysAreBuiltHere() {
    byte[] file = Npy.writeMatrix(new double[0][], 3, Npy.FloatDtype.F8);
    assertEquals(0, Npy.readMatrix(file, "e.npy", "").length);
  }

  @Test
  void bigEndianAbortsTheJvmInNd4jAndIsDecodedHere() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(6 * 4).order(ByteOrder.BIG_ENDIAN);
    for (double[] row : M) {
      for (double v : row) {
        b.putFloat((float) v);
      }
    }
    byte[] file = npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", b.array());
    assertNd4jAbortsTheJvm(file, "Assertion `littleEndian' failed");
    assertFalse(Npy.header(file, "b.npy", "").numpySaveForm(), "never handed to ND4J");
    double[][] got = Npy.readMatrix(file, "b.npy", "");
    for (int i = 0; i < M.length; i++) {
      for (int k = 0; k < M[i].length; k++) assertEquals((float) M[i][k], got[i][k], 0.0);
    }
  }

  @Test
  void unicodeStringArraysCrashTheJvmInNd4jAndAreDecodedHere() throws Exception {
    byte[] file = Npy.writeStrings(List.of("train-0", "train-1"));
    assertNd4jAbortsTheJvm(file, "SIGSEGV");
    assertEquals(List.of("train-0", "train-1"), Npy.readStrings(file, "ids.npy", ""));
  }

  @Test
  void nonCanonicalHeaderDictsCrashTheJvmInNd4jAndAreDecodedHere() throws Exception {
    byte[] compact = npy(1, "{'descr':'<f8','fortran_order':False,'shape':(2,3)}", f8(M));
    byte[] reordered = npy(1, "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8', }", f8(M));
    assertNd4jAbortsTheJvm(compact, "Assertion `littleEndian' failed");
    assertNd4jAbortsTheJvm(reordered, "SIGSEGV");
    for (byte[] file : List.of(compact, reordered)) {
      assertFalse(Npy.header(file, "n.npy", "").numpySaveForm());
      assertMatrix(M, Npy.readMatrix(file, "n.npy", ""));
    }
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Runs {@link Child} on {@code file} in a fresh JVM and checks that ND4J's native code kills it: a failed libnd4j
   * assertion (SIGABRT, exit 134) or a SIGSEGV (the JVM's crash handler, exit 1 without a core dump).
   */
  private void assertNd4jAbortsTheJvm(byte[] file, String nativeMessage) throws Exception {
    Path f = dir.resolve("case-" + System.nanoTime() + ".npy");
    Files.write(f, file);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"));
    cmd.add("-XX:-CreateCoredumpOnCrash");
    for (String p : new String[] {"org.bytedeco.javacpp.platform.extension", "org.bytedeco.javacpp.maxbytes"}) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), f.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
        .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
    String out = Files.readString(dir.resolve("child.log"), StandardCharsets.ISO_8859_1);
    assertFalse(out.contains(Child.RETURNED), "ND4J now returns for this case:\n" + out);
    assertNotEquals(0, p.exitValue(), out);
    assertTrue(out.contains(nativeMessage), out);
  }

  /** Child-JVM entry point: hands one file to ND4J's NPY reader. */
  static final class Child {
    static final String RETURNED = "ND4J returned ";

    public static void main(String[] args) throws Exception {
      INDArray a = Nd4j.createNpyFromByteArray(Files.readAllBytes(new File(args[0]).toPath()));
      System.out.println(RETURNED + a.dataType() + " " + a.shapeInfoToString());
    }
  }

  private static void assertMatrix(double[][] want, double[][] got) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertArrayEquals(want[i], got[i], 0.0);
    }
  }

  private static byte[] f8(double[][] m) {
    ByteBuffer b = ByteBuffer.allocate(m.length * m[0].length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double[] row : m) {
      for (double v : row) {
        b.putDouble(v);
      }
    }
    return b.array();
  }

  /** An NPY file of format {@code major}.0 with the given header dict (padded to 64 bytes as numpy does). */
  private static byte[] npy(int major, String dict, byte[] data) {
    int pre = major == 1 ? 10 : 12;
    int unpadded = pre + dict.length() + 1;
    int padded = (unpadded + 63) / 64 * 64;
    byte[] text = (dict + " ".repeat(padded - unpadded) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(pre + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(Npy.MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) text.length);
    } else {
      b.putInt(text.length);
    }
    return b.put(text).put(data).array();
  }
}
