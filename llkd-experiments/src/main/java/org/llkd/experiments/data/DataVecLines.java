package org.llkd.experiments.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.records.reader.impl.LineRecordReader;
import org.datavec.api.split.FileSplit;

/**
 * The lines of one UTF-8 file, streamed by a DataVec {@link LineRecordReader} (or a subclass), each with
 * its 1-based line number taken from DataVec's {@link RecordMetaDataLine}. Call {@link SourceFile#check}
 * first: the reader itself does not reject invalid UTF-8.
 */
final class DataVecLines implements Closeable {
  /** One physical line without its terminator. */
  record Line(long number, String text) {}

  private final LineRecordReader reader;

  private DataVecLines(LineRecordReader reader) {
    this.reader = reader;
  }

  static DataVecLines open(Path file) {
    return open(file, new LineRecordReader());
  }

  static DataVecLines open(Path file, LineRecordReader reader) {
    try {
      reader.initialize(new FileSplit(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not open " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening " + file, e);
    }
    return new DataVecLines(reader);
  }

  boolean hasNext() {
    return reader.hasNext();
  }

  Line next() {
    Record r = reader.nextRecord();
    long number = ((RecordMetaDataLine) r.getMetaData()).getLineNumber() + 1L;
    return new Line(number, r.getRecord().get(0).toString());
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
