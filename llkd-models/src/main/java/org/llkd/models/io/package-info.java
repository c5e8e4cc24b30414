/**
 * File helpers shared by every module: atomic writes (temp file, fsync, rename), the project's one SHA-256
 * ({@link org.llkd.models.io.Sha256}) and its one strict UTF-8 decoder ({@link org.llkd.models.io.StrictUtf8Reader}:
 * malformed bytes are an error naming line and byte, never U+FFFD), on which the dataset readers, the reader of
 * users' files and the teacher readers build. Imports the JDK only.
 */
package org.llkd.models.io;
