package org.llkd.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build {@link NativeBuild} reports is the one forced through the JavaCPP property (the parent POM's surefire
 * argLine always sets it: "" unless -Dllkd.native.extension / .ci/run says otherwise), and scripts/native-build.sh
 * chooses builds from CPU flags as documented.
 */
class NativeBuildTest {

  @Test
  void reportsTheForcedBuildAndItReallyIsTheLoadedLibrary() {
    String ext = System.getProperty(NativeBuild.EXTENSION_PROPERTY);
    assertNotNull(ext, "surefire's argLine sets -D" + NativeBuild.EXTENSION_PROPERTY + " (parent pom.xml)");
    String forced = ext.isEmpty() ? "generic" : ext.substring(1);

    NativeBuild b = NativeBuild.loaded();

    assertEquals(forced, b.name());
    assertEquals(forced, b.requested());
    assertTrue(Files.isRegularFile(Path.of(b.library())), b.library());
    assertTrue(Path.of(b.library()).getFileName().toString().contains("nd4jcpu"), b.library());
    // Independent of the path: libnd4j's compiled-in build info says whether oneDNN is inside.
    assertEquals(forced.startsWith("onednn"), b.oneDnn(), b.describe());
  }

  @Test
  void namesTheBuildFromTheLibraryDirectory() {
    String p = "linux-x86_64";
    Path base = Path.of("/root/.javacpp/cache/x.jar/org/nd4j/linalg/cpu/nativecpu/bindings");
    assertEquals("generic", NativeBuild.buildOf(p, base.resolve("linux-x86_64/libnd4jcpu.so")));
    assertEquals("onednn-avx512", NativeBuild.buildOf(p, base.resolve("linux-x86_64-onednn-avx512/libnd4jcpu.so")));
    assertEquals("avx2", NativeBuild.buildOf(p, base.resolve("linux-x86_64-avx2/libnd4jcpu.so")));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> NativeBuild.buildOf(p, base.resolve("macosx-arm64/libnd4jcpu.dylib")));
    assertTrue(e.getMessage().contains("found 'macosx-arm64'"), e.getMessage());
  }

  @Test
  void readsTheRequestedBuildFromThePropertyValue() {
    assertNull(NativeBuild.requestedBuild(null));
    assertEquals("generic", NativeBuild.requestedBuild(""));
    assertEquals("onednn-avx2", NativeBuild.requestedBuild("-onednn-avx2"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NativeBuild.requestedBuild("onednn-avx2"));
    assertTrue(e.getMessage().contains("a dash"), e.getMessage());
  }

  @Test
  void refusesABuildOtherThanTheRequestedOne() {
    // JavaCPP's silent fallback: -avx512 asked for, its jar missing, the generic library loaded.
    NativeBuild fallback = new NativeBuild("generic", "avx512", "linux-x86_64", "/c/linux-x86_64/libnd4jcpu.so", false);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> NativeBuild.check(fallback));
    assertTrue(e.getMessage().contains("'avx512' was requested"), e.getMessage());
    assertTrue(e.getMessage().contains("nd4j-native-<version>-linux-x86_64-avx512.jar is not on the class path"),
        e.getMessage());
    // A oneDNN directory whose library has no oneDNN inside.
    NativeBuild lying = new NativeBuild("onednn-avx2", "onednn-avx2", "linux-x86_64", "/c/libnd4jcpu.so", false);
    assertThrows(IllegalStateException.class, () -> NativeBuild.check(lying));
    NativeBuild fine = new NativeBuild("onednn-avx2", "onednn-avx2", "linux-x86_64", "/c/libnd4jcpu.so", true);
    assertEquals(fine, NativeBuild.check(fine));
    NativeBuild unset = new NativeBuild("onednn-avx2", null, "linux-x86_64", "/c/libnd4jcpu.so", true);
    assertTrue(NativeBuild.check(unset).describe().contains("unset, so JavaCPP picked it"));
  }

  // ---- scripts/native-build.sh ------------------------------------------------------------------------------------

  private static final String AVX512 = "fpu sse2 avx avx2 fma bmi2 avx512f avx512dq avx512bw avx512vl avx512_vnni";

  @Test
  void scriptPicksTheFastestShippedBuildTheCpuSupports(@TempDir Path dir) throws Exception {
    assertEquals("onednn-avx512 -onednn-avx512", chooser(dir, AVX512, null).out);
    assertEquals("onednn-avx2 -onednn-avx2", chooser(dir, "fpu sse2 avx avx2 fma bmi2", null).out);
    // AVX-512 needs all four of f, bw, dq, vl (avx512vl missing): AVX2 build.
    assertEquals("onednn-avx2 -onednn-avx2",
        chooser(dir, "fpu sse2 avx avx2 fma avx512f avx512dq avx512bw", null).out);
    // AVX2 needs fma too.
    assertEquals("generic", chooser(dir, "fpu sse2 avx avx2", null).out);
    assertEquals("generic", chooser(dir, "fpu sse2 sse4_2", null).out);
  }

  @Test
  void scriptHonoursAForcedBuildAndRefusesUnknownOrUnshippedOnes(@TempDir Path dir) throws Exception {
    assertEquals("generic", chooser(dir, AVX512, "generic").out);
    assertEquals("onednn-avx2 -onednn-avx2", chooser(dir, AVX512, "onednn-avx2").out);
    Run unshipped = chooser(dir, AVX512, "avx512");
    assertEquals(2, unshipped.rc);
    assertTrue(unshipped.err.contains("does not ship it"), unshipped.err);
    Run unknown = chooser(dir, AVX512, "fastest");
    assertEquals(2, unknown.rc);
    assertTrue(unknown.err.contains("LLKD_NATIVE_BUILD=fastest: unknown build"), unknown.err);
  }

  private record Run(int rc, String out, String err) {}

  private static Run chooser(Path dir, String flags, String forced) throws IOException, InterruptedException {
    Path cpuinfo = dir.resolve("cpuinfo");
    Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: " + flags + "\n\n"
        + "processor\t: 1\nflags\t\t: " + flags + "\n");
    Path script = repoRoot().resolve("scripts/native-build.sh");
    ProcessBuilder pb = new ProcessBuilder(List.of("bash", script.toString()));
    pb.environment().put("LLKD_CPUINFO", cpuinfo.toString());
    pb.environment().remove("LLKD_NATIVE_BUILD");
    if (forced != null) {
      pb.environment().put("LLKD_NATIVE_BUILD", forced);
    }
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "native-build.sh did not finish");
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Path repoRoot() {
    String r = System.getProperty("llkd.repo.root");
    assertNotNull(r, "surefire sets -Dllkd.repo.root (parent pom.xml)");
    return Path.of(r);
  }
}
