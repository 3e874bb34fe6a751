package io.sygra.cli;

import io.sygra.core.ConfigurationException;
import io.sygra.schema.ConversionException;
import io.sygra.schema.ConversionSummary;
import io.sygra.schema.Converter;
import io.sygra.schema.DpoPairs;
import io.sygra.schema.Format;
import io.sygra.schema.OasstFilter;
import io.sygra.schema.OasstReader;
import io.sygra.schema.SftPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sygra convert}: converts a file between training-data formats.
 *
 * <p>Exit codes: 0 when the conversion ran (even with rejected rows), 2 for a usage error (unknown
 * format, impossible conversion, option that does not apply), 1 when the input cannot be read, the
 * output cannot be written, or {@code --strict} met a rejected row. The last line on stdout is a
 * one-line JSON summary ({@code read}, {@code written}, {@code rejected}, and for OASST input
 * {@code trees}, {@code messages}, {@code orphans}, {@code excluded}, {@code kept}, {@code
 * grouping}); it is printed on failure too, with an {@code error} field.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert training data between formats, validating every record.",
      "Rejected rows are counted and, with --rejects, written with their line number and reason.",
    },
    footer = {
      "",
      "Formats: oasst (read), sygra-oasst, trl-sft, trl-prompt-completion, trl-dpo, kto,"
          + " sharegpt, alpaca, openai-chat, openai-preference, hh-rlhf (read),"
          + " llamafactory-dpo (read).",
      "Examples:",
      "  sygra convert --from oasst --to trl-dpo --input oasst.jsonl --output dpo.jsonl --lang en",
      "  sygra convert --from hh-rlhf --to trl-dpo --input hh.jsonl --output dpo.jsonl"
          + " --rejects rejects.jsonl"
    })
public final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "FMT", description = "Input format.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "FMT", description = "Output format.")
  String to;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "PATH",
      description = "Input file: JSONL, a JSON array, or a single JSON object.")
  Path input;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "PATH",
      description = "Output JSONL file (replaced when the conversion finishes).")
  Path output;

  @Option(
      names = "--rejects",
      paramLabel = "PATH",
      description =
          "Write rejected rows here as JSONL {\"line\", \"index\"?, \"reason\", \"record\"}.")
  Path rejects;

  @Option(
      names = "--lang",
      paramLabel = "LANG",
      description = "OASST: keep only messages in this language (case-insensitive).")
  String lang;

  @Option(
      names = "--sft-paths",
      paramLabel = "MODE",
      description = "OASST to SFT: all (default) or best.")
  String sftPaths;

  @Option(
      names = "--dpo-pairs",
      paramLabel = "MODE",
      description = "OASST to DPO: best-vs-worst (default), best-vs-rest or all-pairs.")
  String dpoPairs;

  @Option(
      names = "--min-label",
      paramLabel = "NAME=VALUE",
      description = "OASST: exclude messages whose label is below VALUE, e.g. quality=0.5.")
  Map<String, Double> minLabels = new LinkedHashMap<>();

  @Option(
      names = "--max-label",
      paramLabel = "NAME=VALUE",
      description = "OASST: exclude messages whose label is above VALUE, e.g. toxicity=0.2.")
  Map<String, Double> maxLabels = new LinkedHashMap<>();

  @Option(
      names = "--grouping",
      paramLabel = "MODE",
      description =
          "OASST: auto (default: stream trees, group in memory when they are not contiguous),"
              + " streaming, or in-memory.")
  String grouping;

  @Option(
      names = "--no-metadata",
      description = "Do not write the metadata object (source ids, ranks, labels).")
  boolean noMetadata;

  @Option(
      names = "--strict",
      description = "Stop at the first rejected row and exit with 1 (default: reject and go on).")
  boolean strict;

  @Override
  public Integer call() {
    Converter converter = configure();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ConversionSummary summary = converter.run();
      if (summary.rejected() > 0) {
        err.println(
            "convert: "
                + summary.rejected()
                + " row(s) rejected"
                + (rejects == null ? " (use --rejects PATH to see them)" : ", see " + rejects));
      }
      if (summary.oasst() != null && !"streaming".equals(summary.oasst().grouping())) {
        err.println("convert: OASST trees grouped in memory: " + summary.oasst().grouping());
      }
      out.println(summary.toJson());
      out.flush();
      return 0;
    } catch (ConversionException e) {
      err.println("convert: error: " + e.getMessage());
      err.flush();
      out.println(e.summaryJson());
      out.flush();
      return 1;
    }
  }

  private Converter configure() {
    try {
      Format f = Format.parse(from);
      Format t = Format.parse(to);
      boolean oasst = f == Format.OASST;
      requireOasst(oasst, lang != null, "--lang");
      requireOasst(oasst, sftPaths != null, "--sft-paths");
      requireOasst(oasst, dpoPairs != null, "--dpo-pairs");
      requireOasst(oasst, !minLabels.isEmpty() || !maxLabels.isEmpty(), "--min-label/--max-label");
      requireOasst(oasst, grouping != null, "--grouping");
      OasstFilter.Builder filter = OasstFilter.builder().lang(lang);
      minLabels.forEach(filter::minLabel);
      maxLabels.forEach(filter::maxLabel);
      Converter.Builder b =
          Converter.builder()
              .from(f)
              .to(t)
              .input(input)
              .output(output)
              .rejects(rejects)
              .filter(filter.build())
              .strict(strict)
              .metadata(!noMetadata)
              .grouping(grouping(grouping));
      if (sftPaths != null) {
        b.sftPaths(SftPaths.parse(sftPaths));
      }
      if (dpoPairs != null) {
        b.dpoPairs(DpoPairs.parse(dpoPairs));
      }
      return b.build();
    } catch (ConfigurationException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static void requireOasst(boolean oasst, boolean given, String option) {
    if (given && !oasst) {
      throw new ConfigurationException(option, "applies to --from oasst only");
    }
  }

  private static OasstReader.Grouping grouping(String g) {
    if (g == null || g.equals("auto")) {
      return null;
    }
    return switch (g) {
      case "streaming" -> OasstReader.Grouping.STREAMING;
      case "in-memory" -> OasstReader.Grouping.IN_MEMORY;
      default ->
          throw new ConfigurationException(
              "grouping", "unknown value '" + g + "'; valid values: auto, streaming, in-memory");
    };
  }
}
