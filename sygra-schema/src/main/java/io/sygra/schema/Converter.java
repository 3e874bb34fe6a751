package io.sygra.schema;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sygra.core.ConfigurationException;
import io.sygra.schema.internal.BackgroundOutputStream;
import io.sygra.schema.internal.Json;
import io.sygra.schema.internal.JsonlWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts one file from one format to another, streaming in constant memory (OASST: bounded by the
 * largest tree when trees are contiguous).
 *
 * <p>Every example is validated ({@link Validator}) against the rules of the target kind before it
 * is written. Records that cannot be read, fail validation, or cannot be represented in the target
 * format are rejected: counted, and written to the rejects file (when one is set) as {@code
 * {"line": N, "index"?: i, "reason": "$.path: why", "record" | "example": ...}}. In {@linkplain
 * Builder#strict(boolean) strict} mode the first rejection stops the conversion.
 *
 * <p>Kinds convert as follows: SFT → SFT; preference pair → pair, KTO (two examples: chosen with
 * label true, rejected with label false) or SFT (prompt + chosen); KTO → KTO or SFT (desirable
 * examples; undesirable ones are rejected); OASST → SFT conversations per {@link SftPaths} or DPO
 * pairs per {@link DpoPairs} (KTO: pairs unpaired); {@code sygra-oasst} output holds SFT
 * conversations, or DPO pairs when the input is preference data or {@link
 * Builder#dpoPairs(DpoPairs)} is set explicitly. SFT → preference is a configuration error.
 *
 * <p>Output goes to a temporary file beside the target, moved into place when the conversion ends;
 * a failed conversion leaves no output file behind.
 *
 * <pre>{@code
 * ConversionSummary s = Converter.builder()
 *     .from(Format.OASST).to(Format.TRL_DPO)
 *     .input(Path.of("oasst.jsonl")).output(Path.of("dpo.jsonl"))
 *     .filter(OasstFilter.builder().lang("en").build())
 *     .build().run();
 * }</pre>
 */
public final class Converter {
  private static final Logger LOG = LoggerFactory.getLogger(Converter.class);

  private final Format from;
  private final Format to;
  private final Path input;
  private final Path output;
  private final Path rejects;
  private final OasstFilter filter;
  private final SftPaths sftPaths;
  private final DpoPairs dpoPairs;
  private final boolean dpoPairsSet;
  private final boolean strict;
  private final boolean metadata;
  private final Validator validator;
  private final OasstReader.Grouping grouping;

  private Converter(Builder b) {
    this.from = b.from;
    this.to = b.to;
    this.input = b.input;
    this.output = b.output;
    this.rejects = b.rejects;
    this.filter = b.filter;
    this.sftPaths = b.sftPaths;
    this.dpoPairs = b.dpoPairs == null ? DpoPairs.BEST_VS_WORST : b.dpoPairs;
    this.dpoPairsSet = b.dpoPairs != null;
    this.strict = b.strict;
    this.metadata = b.metadata;
    this.validator = b.validator;
    this.grouping = b.grouping;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the conversion.
   *
   * @throws ConversionException when the input cannot be read, the output cannot be written, or
   *     (strict mode) a record is rejected
   */
  public ConversionSummary run() {
    long start = System.nanoTime();
    if (!Files.isReadable(input) || Files.isDirectory(input)) {
      throw new ConversionException(
          "cannot read input " + input + ": no such readable file",
          Location.UNKNOWN,
          new ConversionSummary(from, to, 0, 0, 0, null, Duration.ZERO),
          null);
    }
    if (from != Format.OASST) {
      Run run = new Run(start);
      try {
        run.records();
        return run.finish();
      } finally {
        run.cleanUp();
      }
    }
    OasstReader.Grouping first = grouping == null ? OasstReader.Grouping.STREAMING : grouping;
    Run run = new Run(start);
    try {
      try {
        run.oasst(first, first == OasstReader.Grouping.STREAMING ? "streaming" : "in-memory");
      } catch (OasstReader.NotContiguousException e) {
        if (grouping != null) {
          throw run.fail("trees are not contiguous: " + e.getMessage(), e.location(), e);
        }
        LOG.info("{}; grouping OASST messages in memory", e.getMessage());
        run.cleanUp();
        run = new Run(start);
        run.oasst(OasstReader.Grouping.IN_MEMORY, "in-memory (" + e.getMessage() + ")");
      }
      return run.finish();
    } finally {
      run.cleanUp();
    }
  }

  /** One attempt: output and rejects streams plus counters. */
  private final class Run {
    private final long start;
    private final Path tmpOut;
    private final Path tmpRejects;
    private final FormatWriter writer;
    private final OutputStream rejectStream;
    private JsonGenerator rejectGen;
    private long read;
    private long rejected;
    private ConversionSummary.OasstCounts oasstCounts;
    private boolean finished;
    private boolean keepRejects;

    Run(long start) {
      this.start = start;
      try {
        tmpOut = temp(output);
        // The writer batches whole records; the background stream copies its batches into the
        // file while the next ones are converted (the write calls cost as much as converting).
        writer =
            FormatWriter.open(
                to,
                new BackgroundOutputStream(Files.newOutputStream(tmpOut), "sygra-convert-output"),
                metadata);
        tmpRejects = rejects == null ? null : temp(rejects);
        rejectStream = tmpRejects == null ? null : buffered(tmpRejects);
      } catch (IOException e) {
        throw new ConversionException(
            "cannot write output: " + e.getMessage(), Location.UNKNOWN, summary(), e);
      }
    }

    private Path temp(Path target) throws IOException {
      Path dir = target.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      return Files.createTempFile(dir, "." + target.getFileName().toString() + ".", ".tmp");
    }

    private OutputStream buffered(Path p) throws IOException {
      return new BufferedOutputStream(Files.newOutputStream(p), 1 << 20);
    }

    void records() {
      try (FormatReader reader = FormatReader.open(from, input)) {
        while (true) {
          ReadResult r;
          try {
            if (!reader.hasNext()) {
              break;
            }
            r = reader.next();
          } catch (SchemaException e) {
            read = reader.recordsRead();
            throw fail("cannot read " + input + ": " + e.getMessage(), e.location(), e);
          } catch (UncheckedIOException e) {
            throw fail(e.getMessage(), Location.UNKNOWN, e);
          }
          read = reader.recordsRead();
          if (r instanceof ReadResult.Rejected rej) {
            reject(rej.location(), rej.reason(), rej.raw(), null);
          } else {
            ReadResult.Ok ok = (ReadResult.Ok) r;
            emit(ok.example(), ok.location(), "");
          }
        }
      }
    }

    void oasst(OasstReader.Grouping g, String groupingNote) {
      long trees = 0;
      long messages = 0;
      long orphans = 0;
      long excluded = 0;
      long kept = 0;
      boolean dpo =
          to.kind() == Format.Kind.PREFERENCE
              || to.kind() == Format.Kind.UNPAIRED
              || (to.kind() == Format.Kind.MIXED && dpoPairsSet);
      try (OasstReader reader =
          OasstReader.open(
              input,
              g,
              OasstReader.Detail.CORE,
              rej -> reject(rej.location(), rej.reason(), rej.raw(), null))) {
        reader.keepRawTexts(writer instanceof JsonlWriter);
        while (true) {
          OasstTree tree;
          try {
            if (!reader.hasNext()) {
              break;
            }
            tree = reader.next();
          } catch (OasstReader.NotContiguousException e) {
            throw e;
          } catch (SchemaException e) {
            read = reader.recordsRead();
            throw fail("cannot read " + input + ": " + e.getMessage(), e.location(), e);
          } catch (UncheckedIOException e) {
            throw fail(e.getMessage(), Location.UNKNOWN, e);
          }
          read = reader.recordsRead();
          OasstTree.Selection sel = tree.select(filter);
          trees++;
          messages += tree.size();
          orphans += sel.orphans();
          excluded += sel.excluded();
          kept += sel.kept();
          List<? extends Example> examples =
              dpo ? sel.dpoPairs(dpoPairs) : sel.sftConversations(sftPaths);
          if (writer instanceof JsonlWriter jw) {
            jw.rawTexts(tree.rawTexts());
          }
          for (Example e : examples) {
            emit(e, tree.location(), "tree " + tree.id() + ": ");
          }
          oasstCounts =
              new ConversionSummary.OasstCounts(
                  trees, messages, orphans, excluded, kept, groupingNote);
        }
        read = reader.recordsRead();
      }
      oasstCounts =
          new ConversionSummary.OasstCounts(trees, messages, orphans, excluded, kept, groupingNote);
    }

    private void emit(Example e, Location loc, String context) {
      Example adapted;
      try {
        adapted = adapt(e);
      } catch (SchemaException ex) {
        reject(loc, context + ex.detail(), null, e);
        return;
      }
      List<ValidationError> errors = validate(adapted);
      if (!errors.isEmpty()) {
        String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
        reject(loc, context + errors.get(0) + more, null, e);
        return;
      }
      try {
        writer.write(adapted);
      } catch (SchemaException ex) {
        reject(loc, context + ex.detail(), null, e);
      } catch (UncheckedIOException ex) {
        throw fail("cannot write " + output + ": " + ex.getMessage(), loc, ex);
      }
    }

    private List<ValidationError> validate(Example e) {
      if (to == Format.KTO && e instanceof Preference p && p.isPaired()) {
        List<ValidationError> errors = new ArrayList<>();
        for (Preference u : p.unpair()) {
          errors.addAll(validator.validate(u));
        }
        return errors;
      }
      return validator.validate(e);
    }

    private Example adapt(Example e) {
      switch (to.kind()) {
        case SFT:
          if (e instanceof Preference p) {
            if (p.chosen().isEmpty()) {
              throw new SchemaException(
                  "$.label", "an undesirable KTO example (label false) is not an SFT target");
            }
            return p.chosenConversation();
          }
          return e;
        case PREFERENCE:
          if (e instanceof Preference p && p.isPaired()) {
            return e;
          }
          throw new SchemaException(
              "$", "not a DPO pair: " + to + " needs a chosen and a rejected reply");
        case UNPAIRED:
          if (e instanceof Preference) {
            return e;
          }
          throw new SchemaException("$", "an SFT conversation has no KTO label");
        case MIXED:
          if (e instanceof Preference p && !p.isPaired()) {
            throw new SchemaException("$", "a KTO example cannot be written as " + to);
          }
          return e;
        default:
          throw new IllegalStateException(String.valueOf(to));
      }
    }

    private void reject(Location loc, String reason, String raw, Example example) {
      rejected++;
      if (rejectStream != null) {
        try {
          if (rejectGen == null) {
            rejectGen = Json.MAPPER.getFactory().createGenerator(rejectStream);
            rejectGen.setRootValueSeparator(null);
          }
          JsonGenerator g = rejectGen;
          g.writeStartObject();
          g.writeNumberField("line", loc.line());
          if (loc.index() >= 0) {
            g.writeNumberField("index", loc.index());
          }
          g.writeStringField("reason", reason);
          if (raw != null) {
            g.writeFieldName("record");
            com.fasterxml.jackson.databind.JsonNode node = Json.tryParse(raw);
            if (node != null) {
              g.writeTree(node);
            } else {
              g.writeString(raw);
            }
          } else if (example != null) {
            g.writeFieldName("example");
            g.writeObject(
                example instanceof Conversation c
                    ? c.toState().values()
                    : exampleMap((Preference) example));
          }
          g.writeEndObject();
          g.writeRaw('\n');
        } catch (IOException | RuntimeException ex) {
          throw fail("cannot write rejects " + rejects + ": " + ex.getMessage(), loc, ex);
        }
      }
      if (strict) {
        keepRejects = true;
        throw fail(
            "strict: rejected " + (loc.toString().isEmpty() ? "" : loc + ": ") + reason, loc, null);
      }
    }

    private Map<String, Object> exampleMap(Preference p) {
      try {
        return p.toState().values();
      } catch (SchemaException e) {
        return Map.of("prompt", p.prompt().size());
      }
    }

    ConversionException fail(String message, Location loc, Throwable cause) {
      return new ConversionException(message, loc, summary(), cause);
    }

    ConversionSummary summary() {
      return new ConversionSummary(
          from,
          to,
          read,
          writer == null ? 0 : writer.written(),
          rejected,
          from == Format.OASST && oasstCounts != null ? oasstCounts : null,
          Duration.ofNanos(System.nanoTime() - start));
    }

    ConversionSummary finish() {
      try {
        closeStreams();
        Files.move(
            tmpOut, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (tmpRejects != null) {
          Files.move(
              tmpRejects,
              rejects,
              StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        }
        finished = true;
      } catch (IOException | UncheckedIOException e) {
        throw fail("cannot write output " + output + ": " + e.getMessage(), Location.UNKNOWN, e);
      }
      ConversionSummary s = summary();
      LOG.debug("converted {} -> {}: {}", input, output, s.toJson());
      return s;
    }

    private void closeStreams() throws IOException {
      writer.close();
      if (rejectGen != null) {
        rejectGen.close();
      }
      if (rejectStream != null) {
        rejectStream.close();
      }
    }

    /** Deletes the temporary files of an attempt that did not finish. */
    void cleanUp() {
      if (finished) {
        return;
      }
      try {
        closeStreams();
      } catch (IOException | RuntimeException e) {
        LOG.debug("closing after a failed conversion: {}", e.toString());
      }
      try {
        Files.deleteIfExists(tmpOut);
        if (tmpRejects != null) {
          if (keepRejects) {
            // The rejects explain the failure (strict mode); keep them.
            Files.move(tmpRejects, rejects, StandardCopyOption.REPLACE_EXISTING);
          } else {
            Files.deleteIfExists(tmpRejects);
          }
        }
      } catch (IOException e) {
        LOG.warn("cannot delete temporary output {}: {}", tmpOut, e.toString());
      }
      finished = true;
    }
  }

  /** Builds a {@link Converter}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private Format from;
    private Format to;
    private Path input;
    private Path output;
    private Path rejects;
    private OasstFilter filter = OasstFilter.defaults();
    private SftPaths sftPaths = SftPaths.ALL;
    private DpoPairs dpoPairs;
    private boolean strict;
    private boolean metadata = true;
    private Validator validator = Validator.standard();
    private OasstReader.Grouping grouping;

    private Builder() {}

    /** The input format; must be readable. */
    public Builder from(Format format) {
      ConfigurationException.check(format != null, "from", "must not be null");
      ConfigurationException.check(
          format.canRead(),
          "from",
          format + " cannot be read; readable formats: " + Format.names(true, false));
      this.from = format;
      return this;
    }

    /** The output format; must be writable. */
    public Builder to(Format format) {
      ConfigurationException.check(format != null, "to", "must not be null");
      ConfigurationException.check(
          format.canWrite(),
          "to",
          format + " cannot be written; writable formats: " + Format.names(false, true));
      this.to = format;
      return this;
    }

    /** The input file: JSONL, a JSON array, or a single JSON object. */
    public Builder input(Path path) {
      ConfigurationException.check(path != null, "input", "must not be null");
      this.input = path;
      return this;
    }

    /** The output JSONL file (replaced when the conversion succeeds). */
    public Builder output(Path path) {
      ConfigurationException.check(path != null, "output", "must not be null");
      this.output = path;
      return this;
    }

    /** Where rejected records go, as JSONL; null (the default) to only count them. */
    public Builder rejects(Path path) {
      this.rejects = path;
      return this;
    }

    /** Which OASST messages are kept (OASST input only). Default {@link OasstFilter#defaults()}. */
    public Builder filter(OasstFilter filter) {
      ConfigurationException.check(filter != null, "filter", "must not be null");
      this.filter = filter;
      return this;
    }

    /** Which OASST paths become SFT conversations. Default {@link SftPaths#ALL}. */
    public Builder sftPaths(SftPaths paths) {
      ConfigurationException.check(paths != null, "sftPaths", "must not be null");
      this.sftPaths = paths;
      return this;
    }

    /**
     * Which OASST pairs become DPO pairs. Default {@link DpoPairs#BEST_VS_WORST}; setting it also
     * makes OASST → {@code sygra-oasst} write pairs instead of conversations.
     */
    public Builder dpoPairs(DpoPairs pairs) {
      ConfigurationException.check(pairs != null, "dpoPairs", "must not be null");
      this.dpoPairs = pairs;
      return this;
    }

    /** Stop at the first rejected record with a {@link ConversionException}. Default false. */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** Write each example's metadata where the format allows it. Default true. */
    public Builder metadata(boolean metadata) {
      this.metadata = metadata;
      return this;
    }

    /** The validation rules. Default {@link Validator#standard()}. */
    public Builder validator(Validator validator) {
      ConfigurationException.check(validator != null, "validator", "must not be null");
      this.validator = validator;
      return this;
    }

    /**
     * How OASST messages are grouped into trees. Default (null): stream, and fall back to in-memory
     * grouping when trees are not contiguous.
     */
    public Builder grouping(OasstReader.Grouping grouping) {
      this.grouping = grouping;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws ConfigurationException when a required field is missing or the formats cannot be
     *     converted into each other
     */
    public Converter build() {
      ConfigurationException.check(from != null, "from", "is required");
      ConfigurationException.check(to != null, "to", "is required");
      ConfigurationException.check(input != null, "input", "is required");
      ConfigurationException.check(output != null, "output", "is required");
      ConfigurationException.check(
          !input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize()),
          "output",
          "must differ from the input " + input);
      ConfigurationException.check(
          rejects == null
              || !rejects.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize()),
          "rejects",
          "must differ from the output " + output);
      Format.Kind a = from.kind();
      Format.Kind b = to.kind();
      ConfigurationException.check(
          !(a == Format.Kind.SFT && (b == Format.Kind.PREFERENCE || b == Format.Kind.UNPAIRED)),
          "to",
          "cannot convert SFT conversations (" + from + ") to preference data (" + to + ")");
      ConfigurationException.check(
          !(a == Format.Kind.UNPAIRED && b == Format.Kind.PREFERENCE),
          "to",
          "cannot pair KTO examples (" + from + ") into DPO pairs (" + to + ")");
      return new Converter(this);
    }
  }

  @Override
  public String toString() {
    return "Converter[" + from + " -> " + to + ", " + input + " -> " + output + "]";
  }
}
