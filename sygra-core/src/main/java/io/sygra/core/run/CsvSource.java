package io.sygra.core.run;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Reads CSV with a header row (RFC 4180: quoted fields, doubled quotes, newlines inside quotes).
 * Every value is a string. Create with {@link Sources#csv(Path)}.
 */
public final class CsvSource implements Source {
  private static final CsvMapper CSV =
      new CsvMapper().enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS);

  private final Path path;

  CsvSource(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  @Override
  public String describe() {
    return "csv:" + path;
  }

  @Override
  public RecordReader open() {
    MappingIterator<Map<String, String>> it;
    try {
      it =
          CSV.readerForMapOf(String.class)
              .with(CsvSchema.emptySchema().withHeader())
              .readValues(Files.newBufferedReader(path));
    } catch (NoSuchFileException e) {
      throw new SourceException(path.toString(), "file not found", false, e);
    } catch (IOException e) {
      throw new SourceException(path.toString(), "cannot open: " + e.getMessage(), false, e);
    }
    return new RecordReader() {
      private boolean failed;

      @Override
      public boolean hasNext() {
        if (failed) {
          return false;
        }
        try {
          return it.hasNextValue();
        } catch (IOException e) {
          failed = true;
          throw new SourceException(
              path + ":" + it.getCurrentLocation().getLineNr(),
              "malformed CSV: " + e.getMessage(),
              false,
              e);
        }
      }

      @Override
      public SourceRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        long line = it.getCurrentLocation().getLineNr();
        try {
          Map<String, String> row = it.nextValue();
          return SourceRecord.of(row, path + ":" + line);
        } catch (IOException | RuntimeJsonMappingException e) {
          throw new SourceException(
              path + ":" + line, "malformed CSV row: " + e.getMessage(), true, e);
        }
      }

      @Override
      public void close() {
        try {
          it.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }
}
