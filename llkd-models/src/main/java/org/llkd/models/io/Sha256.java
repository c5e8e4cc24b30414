package org.llkd.models.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of files and streams, as lower-case hex, for provenance records: the project's one SHA-256 (teacher
 * readers and dataset checks that hash while they read use {@link #newDigest()} and {@link #hex(byte[])}).
 */
public final class Sha256 {
  private Sha256() {}

  /** A fresh SHA-256 digest, for code that hashes bytes while it reads them for another purpose. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  /** A digest as lower-case hex. */
  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  public static String of(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not hash " + file + ": " + e.getMessage(), e);
    }
  }

  public static String of(InputStream in) throws IOException {
    MessageDigest md = newDigest();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    return hex(md.digest());
  }

  public static String of(byte[] bytes) {
    return hex(newDigest().digest(bytes));
  }
}
