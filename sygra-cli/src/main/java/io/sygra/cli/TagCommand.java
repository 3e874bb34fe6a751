package io.sygra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.Embedder;
import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.OpenAiCompatibleClient;
import io.sygra.llm.OpenAiCompatibleEmbedder;
import io.sygra.llm.SimulatedModelClient;
import io.sygra.quality.Deduplicator;
import io.sygra.quality.Heuristics;
import io.sygra.quality.Judge;
import io.sygra.quality.JudgePrompts;
import io.sygra.quality.QualityPipeline;
import io.sygra.quality.QualityRule;
import io.sygra.quality.QualityRules;
import io.sygra.quality.Taxonomy;
import io.sygra.schema.Conversation;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.FormatReader;
import io.sygra.schema.FormatWriter;
import io.sygra.schema.OasstFilter;
import io.sygra.schema.OasstMessage;
import io.sygra.schema.OasstReader;
import io.sygra.schema.OasstTree;
import io.sygra.schema.ReadResult;
import io.sygra.schema.SchemaException;
import io.sygra.schema.SftPaths;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sygra tag}: two-stage quality tagging of an existing data set. Stage 1 (heuristic taggers
 * and their rules) runs on every record, dedup on the stage-1 survivors, and the LLM judge (only
 * with {@code --judge-model}) on the dedup survivors. Records are processed and written in input
 * order, each with its {@code quality} object ({@code heuristic}, {@code dedup}, {@code llm},
 * {@code passed}, {@code reasons}) as a metadata column; for OASST input, SFT conversations are
 * written as SyGra-OASST rows, which carry it per message.
 *
 * <p>Exit codes: 0 when it ran, 2 for a usage error, 1 when the input cannot be read or the output
 * cannot be written. The last stdout line is a JSON summary: {@code read}, {@code passed}, {@code
 * dropped}, {@code judged}, {@code dropped_by_stage}, {@code rejected} (unreadable rows), {@code
 * written}.
 */
@Command(
    name = "tag",
    mixinStandardHelpOptions = true,
    description = {
      "Quality-tag a data set: heuristic rules first, then dedup, then (with --judge-model) an"
          + " LLM judge on the survivors only.",
      "Writes the passing records, each with its quality tags, in the input format."
    },
    footer = {
      "",
      "Without an endpoint (--base-url, SYGRA_BASE_URL, OPENAI_API_KEY), --judge-model uses the"
          + " offline simulated model and says so on the first line.",
      "Examples:",
      "  sygra tag --input oasst.jsonl --from oasst --output tagged.jsonl --report report/",
      "  sygra tag --input chats.json --from sharegpt --output out.jsonl --dedup exact,near"
          + " --judge-model gpt-4o-mini --min-overall 3.5"
    })
public final class TagCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The environment; tests replace it. */
  Map<String, String> env = System.getenv();

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "Input file.")
  Path input;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "FMT",
      description = "Input format (oasst, sygra-oasst, trl-sft, sharegpt, alpaca, hh-rlhf, ...).")
  String from;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "PATH",
      description = "Output JSONL of the passing records (replaced when tagging finishes).")
  Path output;

  @Option(
      names = "--to",
      paramLabel = "FMT",
      description =
          "Output format (default: the input format; sygra-oasst for oasst, trl-dpo for hh-rlhf"
              + " and llamafactory-dpo).")
  String to;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description = "Write quality-report.json and quality-report.html here.")
  Path report;

  @Option(
      names = "--dropped",
      paramLabel = "PATH",
      description = "Also write the dropped records, with their quality tags, here.")
  Path dropped;

  @Option(
      names = "--all",
      description = "Write every record to --output (passed or not; see quality.passed).")
  boolean all;

  @Option(
      names = "--judge-model",
      paramLabel = "M",
      description = "Judge model; without it only stage 1 and dedup run.")
  String judgeModel;

  @Option(
      names = "--base-url",
      paramLabel = "U",
      description = "OpenAI-compatible endpoint for the judge (or SYGRA_BASE_URL).")
  String baseUrl;

  @Option(
      names = "--dedup",
      paramLabel = "LIST",
      defaultValue = "exact,near",
      description = "Dedup methods: exact, near, semantic, or none (default: ${DEFAULT-VALUE}).")
  String dedup;

  @Option(
      names = "--near-threshold",
      paramLabel = "J",
      defaultValue = "0.8",
      description = "Jaccard similarity for near duplicates (default: ${DEFAULT-VALUE}).")
  double nearThreshold;

  @Option(
      names = "--semantic-threshold",
      paramLabel = "C",
      defaultValue = "0.95",
      description = "Cosine similarity for semantic duplicates (default: ${DEFAULT-VALUE}).")
  double semanticThreshold;

  @Option(
      names = "--embedding-model",
      paramLabel = "M",
      description =
          "Embeddings for semantic dedup: minilm (in-process, needs sygra-embeddings-minilm on"
              + " the classpath) or a model of the OpenAI-compatible /embeddings endpoint"
              + " (SYGRA_EMBEDDING_BASE_URL, else SYGRA_BASE_URL).")
  String embeddingModel;

  @Option(
      names = "--keep",
      paramLabel = "first|last",
      defaultValue = "first",
      description =
          "Which copy of duplicates to keep (default: ${DEFAULT-VALUE}; last reads"
              + " the whole input into memory).")
  String keep;

  @Option(
      names = "--min-overall",
      paramLabel = "X",
      description = "Drop judged records whose overall response score is below X (1-5).")
  Double minOverall;

  @Option(
      names = "--keep-ties",
      description = "Keep DPO pairs the judge ranks differently in the two orders.")
  boolean keepTies;

  @Option(
      names = "--keep-judge-errors",
      description = "Keep records the judge could not score (default: drop them).")
  boolean keepJudgeErrors;

  @Option(
      names = "--skip-rule",
      paramLabel = "NAME",
      description = "Do not apply this stage-1 rule (repeatable; family.* for a family).")
  List<String> skipRules = new ArrayList<>();

  @Option(
      names = "--threshold",
      paramLabel = "NAME=VALUE",
      description = "Set a stage-1 rule's threshold, e.g. shape.too_long=4096 (repeatable).")
  Map<String, Double> thresholds = new LinkedHashMap<>();

  @Option(names = "--no-language", description = "Skip language detection.")
  boolean noLanguage;

  @Option(
      names = "--languages",
      paramLabel = "LIST",
      split = ",",
      description = "Candidate languages for detection (ISO 639-1), e.g. en,de,fr,zh.")
  List<String> languages;

  @Option(
      names = "--judge-prompts",
      paramLabel = "DIR",
      description =
          "Override judge prompts with system.txt, classify.txt, response.txt,"
              + " preference.txt from DIR.")
  Path judgePrompts;

  @Option(
      names = "--taxonomy",
      paramLabel = "FILE",
      description = "Categories and tags for the judge (JSON {\"categories\": [...]}).")
  Path taxonomy;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "64",
      description =
          "Records per chunk; a chunk's judge calls run together (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--lang",
      paramLabel = "LANG",
      description = "OASST: keep only messages in this language.")
  String lang;

  @Option(
      names = "--sft-paths",
      paramLabel = "MODE",
      description = "OASST: all (default) or best conversations per tree.")
  String sftPaths;

  @Option(
      names = "--no-quality-column",
      description = "Do not write the quality metadata column (e.g. for strict uploaders).")
  boolean noQualityColumn;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Format inFormat;
    Format outFormat;
    try {
      inFormat = Format.parse(from);
      ConfigurationException.check(inFormat.canRead(), "--from", inFormat + " cannot be read");
      outFormat = to != null ? Format.parse(to) : defaultOutput(inFormat);
      ConfigurationException.check(
          outFormat.canWrite(),
          "--to",
          outFormat + " cannot be written; writable formats: " + Format.names(false, true));
      ConfigurationException.check(
          inFormat == Format.OASST || (lang == null && sftPaths == null),
          "--lang/--sft-paths",
          "apply to --from oasst only");
      ConfigurationException.check(concurrency >= 1, "--concurrency", "must be >= 1");
    } catch (ConfigurationException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (!Files.isReadable(input) || Files.isDirectory(input)) {
      return fail(out, err, "cannot read input '" + input + "'", 0, 0);
    }
    Judge judge;
    Deduplicator deduplicator;
    Heuristics heuristics;
    QualityRules judgeRules;
    Deduplicator.Keep keepCopy;
    ModelClient client = null;
    Embedder embedder = null;
    boolean simulated = false;
    try {
      heuristics = heuristics();
      keepCopy =
          switch (keep.toLowerCase(java.util.Locale.ROOT)) {
            case "first" -> Deduplicator.Keep.FIRST;
            case "last" -> Deduplicator.Keep.LAST;
            default ->
                throw new ConfigurationException(
                    "--keep", "must be first or last, was '" + keep + "'");
          };
      List<Deduplicator.Method> methods = dedupMethods();
      if (methods.contains(Deduplicator.Method.SEMANTIC)) {
        embedder = embedder();
      }
      deduplicator = deduplicator(methods, embedder);
      judgeRules = judgeRules();
      if (judgeModel != null) {
        Optional<ModelClient> real = client();
        if (real.isPresent()) {
          client = real.get();
        } else {
          client = SimulatedModelClient.create();
          simulated = true;
          out.println(SimulatedModelClient.NOTICE);
          out.flush();
        }
        Judge.Builder jb = Judge.builder().client(client).model(judgeModel);
        if (judgePrompts != null) {
          jb.prompts(JudgePrompts.fromDirectory(judgePrompts));
        }
        if (taxonomy != null) {
          jb.taxonomy(Taxonomy.fromJson(taxonomy));
        }
        judge = jb.build();
      } else {
        ConfigurationException.check(minOverall == null, "--min-overall", "needs --judge-model");
        judge = null;
      }
    } catch (ConfigurationException e) {
      closeQuietly(embedder);
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }

    long[] rejected = {0};
    long[] written = {0};
    Path tmpOut = output.resolveSibling(output.getFileName() + ".tmp");
    Path tmpDropped =
        dropped == null ? null : dropped.resolveSibling(dropped.getFileName() + ".tmp");
    QualityPipeline.Builder pb =
        QualityPipeline.builder()
            .heuristics(heuristics)
            .deduplicator(deduplicator)
            .keep(keepCopy)
            .judge(judge)
            .judgeRules(judgeRules)
            .chunkSize(concurrency);
    QualityPipeline.Summary summary;
    try (QualityPipeline pipeline = pb.build();
        Records records = records(inFormat, err, rejected);
        Writer main = new Writer(outFormat, tmpOut, !noQualityColumn);
        Writer drops = tmpDropped == null ? null : new Writer(outFormat, tmpDropped, true)) {
      pipeline.report().setting("input", input + " (" + inFormat + ")");
      pipeline.report().setting("output", output + " (" + outFormat + ")");
      summary =
          pipeline.run(
              records,
              o -> {
                if (o.passed() || all) {
                  written[0] += main.write(o.example(), err);
                } else if (drops != null) {
                  drops.write(o.example(), err);
                }
              });
      main.close();
      Files.move(tmpOut, output, StandardCopyOption.REPLACE_EXISTING);
      if (drops != null) {
        drops.close();
        Files.move(tmpDropped, dropped, StandardCopyOption.REPLACE_EXISTING);
      }
      if (report != null) {
        pipeline.report().write(report);
      }
    } catch (UncheckedIOException | IOException e) {
      deleteQuietly(tmpOut);
      deleteQuietly(tmpDropped);
      return fail(out, err, "I/O error: " + e.getMessage(), rejected[0], written[0]);
    } catch (SchemaException e) {
      deleteQuietly(tmpOut);
      deleteQuietly(tmpDropped);
      return fail(out, err, "input cannot be read: " + e.getMessage(), rejected[0], written[0]);
    } finally {
      if (client != null) {
        client.close();
      }
      closeQuietly(embedder);
    }
    if (rejected[0] > 0) {
      err.println("tag: " + rejected[0] + " unreadable row(s) skipped");
    }
    Map<String, Object> s = new LinkedHashMap<>(summary.toMap());
    s.put("rejected", rejected[0]);
    s.put("written", written[0]);
    if (simulated) {
      s.put("simulated", true);
    }
    if (report != null) {
      s.put("report", report.toString());
    }
    err.flush();
    out.println(json(s));
    out.flush();
    return 0;
  }

  private int fail(PrintWriter out, PrintWriter err, String message, long rejected, long written) {
    err.println("tag: error: " + message);
    err.flush();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("read", 0);
    s.put("passed", 0);
    s.put("dropped", 0);
    s.put("judged", 0);
    s.put("rejected", rejected);
    s.put("written", written);
    s.put("error", message);
    out.println(json(s));
    out.flush();
    return 1;
  }

  private static String json(Map<String, Object> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Format defaultOutput(Format in) {
    return switch (in) {
      case OASST -> Format.SYGRA_OASST;
      case HH_RLHF, LLAMAFACTORY_DPO -> Format.TRL_DPO;
      default -> in;
    };
  }

  private Heuristics heuristics() {
    Heuristics.Builder b = Heuristics.builder().defaultTaggers(!noLanguage);
    if (!noLanguage && languages != null) {
      b.tagger(io.sygra.quality.LanguageTagger.builder().languages(languages).build());
    }
    QualityRules rules = QualityRules.heuristicDefaults();
    if (!skipRules.isEmpty()) {
      rules = rules.without(skipRules.toArray(new String[0]));
    }
    for (Map.Entry<String, Double> t : thresholds.entrySet()) {
      rules = rules.withLimit(t.getKey(), t.getValue());
    }
    return b.rules(rules).build();
  }

  private List<Deduplicator.Method> dedupMethods() {
    List<Deduplicator.Method> methods = new ArrayList<>();
    if (dedup.isBlank() || dedup.trim().equalsIgnoreCase("none")) {
      return methods;
    }
    for (String m : dedup.split(",")) {
      Deduplicator.Method method = Deduplicator.Method.parse(m);
      if (!methods.contains(method)) {
        methods.add(method);
      }
    }
    return methods;
  }

  private Deduplicator deduplicator(List<Deduplicator.Method> methods, Embedder embedder) {
    if (methods.isEmpty()) {
      return null;
    }
    Deduplicator.Builder b = Deduplicator.builder();
    for (Deduplicator.Method m : methods) {
      switch (m) {
        case EXACT -> b.exact();
        case NEAR -> b.near(nearThreshold);
        case SEMANTIC -> b.semantic(embedder, semanticThreshold);
        default -> throw new IllegalStateException(m.name());
      }
    }
    return b.build();
  }

  private QualityRules judgeRules() {
    QualityRules r = QualityRules.judgeDefaults();
    if (keepTies) {
      r = r.without("llm.preference_tie");
    }
    if (keepJudgeErrors) {
      r = r.without("llm.error");
    }
    if (minOverall != null) {
      ConfigurationException.check(
          minOverall >= 1 && minOverall <= 5,
          "--min-overall",
          "must be in [1, 5], was " + minOverall);
      r = r.with(QualityRule.below("llm.low_overall", "llm.overall", minOverall));
    }
    return r;
  }

  /** A real endpoint when one is configured (flag or environment), else empty. */
  private Optional<ModelClient> client() {
    if (baseUrl != null) {
      Map<String, String> e = new LinkedHashMap<>(env);
      e.remove("SYGRA_BASE_URL");
      e.remove("OPENAI_BASE_URL");
      OpenAiCompatibleClient endpoint =
          OpenAiCompatibleClient.builderFromEnv(e).baseUrl(baseUrl).model(judgeModel).build();
      return Optional.of(
          ModelClients.builder()
              .endpoint(endpoint)
              .resilience(ModelClients.resilienceFromEnv(env))
              .build());
    }
    return ModelClients.fromEnv(env);
  }

  private Embedder embedder() {
    String model = embeddingModel;
    if (model == null) {
      boolean remote =
          env.get("SYGRA_EMBEDDING_BASE_URL") != null || env.get("SYGRA_EMBEDDING_MODEL") != null;
      model = remote ? null : "minilm";
    }
    if ("minilm".equalsIgnoreCase(model)) {
      try {
        Class<?> c = Class.forName("io.sygra.embeddings.minilm.MiniLmEmbedder");
        return (Embedder) c.getMethod("create").invoke(null);
      } catch (ClassNotFoundException e) {
        throw new ConfigurationException(
            "--embedding-model",
            "minilm needs the sygra-embeddings-minilm module on the classpath; or set"
                + " SYGRA_EMBEDDING_BASE_URL and --embedding-model for an /embeddings endpoint");
      } catch (ReflectiveOperationException e) {
        throw new ConfigurationException(
            "--embedding-model", "cannot start the in-process MiniLM embedder: " + e);
      }
    }
    Map<String, String> e = new LinkedHashMap<>(env);
    if (model != null) {
      e.put("SYGRA_EMBEDDING_MODEL", model);
    }
    return OpenAiCompatibleEmbedder.fromEnv(e);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing after an error: the first error is the one to report
      }
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  // ---- input ----

  /** An iterator of pipeline items over the input; closes the reader. */
  private abstract static class Records implements Iterator<QualityPipeline.Item>, AutoCloseable {
    @Override
    public abstract void close();
  }

  private Records records(Format format, PrintWriter err, long[] rejected) {
    if (format == Format.OASST) {
      return oasstRecords(err, rejected);
    }
    FormatReader reader = FormatReader.open(format, input);
    return new Records() {
      QualityPipeline.Item next;

      @Override
      public boolean hasNext() {
        while (next == null && reader.hasNext()) {
          ReadResult r = reader.next();
          if (r instanceof ReadResult.Ok ok) {
            next = new QualityPipeline.Item(ok.location().toString(), ok.example());
          } else {
            ReadResult.Rejected rej = (ReadResult.Rejected) r;
            if (rejected[0]++ < 5) {
              err.println("tag: skipping " + rej.location() + ": " + rej.reason());
            }
          }
        }
        return next != null;
      }

      @Override
      public QualityPipeline.Item next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        QualityPipeline.Item n = next;
        next = null;
        return n;
      }

      @Override
      public void close() {
        reader.close();
      }
    };
  }

  /**
   * OASST trees become their SFT conversations (all paths, or the best path per tree), each
   * carrying the declared language of every message ({@code message_langs}), the last message's
   * labels and detoxify scores, for the taggers. Trees are grouped in memory, so interleaved
   * exports work.
   */
  private Records oasstRecords(PrintWriter err, long[] rejected) {
    OasstReader reader =
        OasstReader.open(
            input,
            OasstReader.Grouping.IN_MEMORY,
            r -> {
              if (rejected[0]++ < 5) {
                err.println("tag: skipping " + r.location() + ": " + r.reason());
              }
            });
    OasstFilter filter = OasstFilter.builder().lang(lang).build();
    SftPaths paths = sftPaths == null ? SftPaths.ALL : SftPaths.parse(sftPaths);
    return new Records() {
      final java.util.ArrayDeque<QualityPipeline.Item> pending = new java.util.ArrayDeque<>();

      @Override
      public boolean hasNext() {
        while (pending.isEmpty() && reader.hasNext()) {
          OasstTree tree = reader.next();
          for (Conversation c : tree.select(filter).sftConversations(paths)) {
            pending.add(oasstItem(tree, c));
          }
        }
        return !pending.isEmpty();
      }

      @Override
      public QualityPipeline.Item next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return pending.poll();
      }

      @Override
      public void close() {
        reader.close();
      }
    };
  }

  private static QualityPipeline.Item oasstItem(OasstTree tree, Conversation c) {
    Map<String, Object> meta = new LinkedHashMap<>(c.metadata());
    List<String> langs = new ArrayList<>();
    String id = tree.id();
    OasstMessage last = null;
    if (meta.get("message_ids") instanceof List<?> ids) {
      for (Object mid : ids) {
        OasstMessage m = tree.message(String.valueOf(mid));
        langs.add(m == null ? null : m.lang());
        last = m == null ? last : m;
      }
    }
    if (last != null) {
      id = last.messageId();
      if (last.detoxify() != null && !last.detoxify().isEmpty()) {
        meta.put("detoxify", new LinkedHashMap<>(last.detoxify()));
      }
    }
    meta.put("message_langs", langs);
    meta.putIfAbsent("conversation_id", id);
    return new QualityPipeline.Item(id, c.withMetadata(meta));
  }

  // ---- output ----

  /** Appends examples in one format; OpenAI lines get the quality column added by hand. */
  private static final class Writer implements AutoCloseable {
    private final Format format;
    private final OutputStream file;
    private final FormatWriter writer;
    private final ByteArrayOutputStream buffer;
    private final boolean qualityColumn;
    private boolean closed;

    Writer(Format format, Path path, boolean qualityColumn) throws IOException {
      this.format = format;
      this.qualityColumn = qualityColumn;
      this.file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
      boolean openAi = format == Format.OPENAI_CHAT || format == Format.OPENAI_PREFERENCE;
      if (openAi && qualityColumn) {
        // The OpenAI writers never write metadata; render each line, then add the column.
        this.buffer = new ByteArrayOutputStream();
        this.writer = FormatWriter.open(format, buffer, false);
      } else {
        this.buffer = null;
        this.writer = FormatWriter.open(format, file, qualityColumn);
      }
    }

    /** Writes one example; returns 1, or 0 when the format cannot hold it (reported). */
    int write(Example e, PrintWriter err) {
      Example ex = qualityColumn ? e : e.withMetadata(withoutQuality(e.metadata()));
      try {
        writer.write(ex);
      } catch (SchemaException s) {
        err.println("tag: cannot write a record as " + format + ": " + s.getMessage());
        if (buffer != null) {
          buffer.reset();
        }
        return 0;
      }
      if (buffer != null) {
        writer.flush(); // the format writer may buffer; the line must be in our buffer now
        try {
          for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
              continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> obj = JSON.readValue(line, LinkedHashMap.class);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("quality", e.metadata().get("quality"));
            obj.put("metadata", meta);
            file.write(JSON.writeValueAsBytes(obj));
            file.write('\n');
          }
        } catch (IOException io) {
          throw new UncheckedIOException(io);
        }
        buffer.reset();
      }
      return 1;
    }

    private static Map<String, Object> withoutQuality(Map<String, Object> m) {
      Map<String, Object> c = new LinkedHashMap<>(m);
      c.remove("quality");
      return c;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      writer.close();
      if (buffer != null) {
        file.close();
      }
    }
  }

  @SuppressWarnings("unused")
  private static List<String> split(String s) {
    return Arrays.asList(s.split(","));
  }
}
