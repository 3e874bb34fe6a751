package io.sygra.quality;

import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.FormatReader;
import io.sygra.schema.ReadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Locates the shared fixtures and reads them into examples. */
final class Fixtures {
  private Fixtures() {}

  static Path dir() {
    String prop = System.getProperty("sygra.fixtures");
    if (prop != null && Files.isDirectory(Path.of(prop))) {
      return Path.of(prop);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path c = p.resolve("../shared/fixtures").normalize();
      if (Files.isDirectory(c.resolve("oasst"))) {
        return c;
      }
    }
    throw new IllegalStateException("fixtures not found (set -Dsygra.fixtures)");
  }

  static Path file(String relative) {
    return dir().resolve(relative);
  }

  /** The readable examples of a fixture, with their location as id. */
  static List<QualityPipeline.Item> read(Format format, String relative) {
    List<QualityPipeline.Item> out = new ArrayList<>();
    try (FormatReader r = FormatReader.open(format, file(relative))) {
      while (r.hasNext()) {
        if (r.next() instanceof ReadResult.Ok ok) {
          out.add(new QualityPipeline.Item(ok.location().toString(), ok.example()));
        }
      }
    }
    return out;
  }

  static List<QualitySample> samples(Format format, String relative) {
    List<QualitySample> out = new ArrayList<>();
    for (QualityPipeline.Item it : read(format, relative)) {
      out.add(QualitySample.of(it.id(), it.example()));
    }
    return out;
  }

  static QualitySample sample(Example e) {
    return QualitySample.of("t", e);
  }
}
