package io.sygra.samples;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the available {@link Sample}s. */
public final class Samples {
  private Samples() {}

  /** Every sample on the class path, sorted by name. */
  public static List<Sample> all() {
    List<Sample> out = new ArrayList<>();
    ServiceLoader.load(Sample.class, Samples.class.getClassLoader()).forEach(out::add);
    out.sort(Comparator.comparing(Sample::name));
    return out;
  }

  /** The sample called {@code name}. */
  public static Optional<Sample> find(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
