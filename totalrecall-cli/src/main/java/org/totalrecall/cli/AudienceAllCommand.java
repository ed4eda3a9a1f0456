package org.totalrecall.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.totalrecall.data.IdIndex;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.AudienceInversion;
import org.totalrecall.retrieval.Recommender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code totalrecall audience-all}: every item's audience, no user in more than K of them
 * (TotalRecall sec. 3.6).
 */
@Command(
    name = "audience-all",
    mixinStandardHelpOptions = true,
    description = {
      "Computes the audience of every item at once, capped per user: each user's top --per-user items (u2i,"
          + " their training items excluded unless --include-seen), inverted, each item keeping its best"
          + " --per-item users. No user receives more than --per-user items (TotalRecall sec. 3.6).",
      "Writes rows item,user,score,rank (score: the model's score; rank from 1) as CSV, or Parquet for"
          + " --format parquet or an --out ending in .parquet, and prints a summary."
    })
final class AudienceAllCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Option(names = "--model", paramLabel = "FILE", description = "Model file written by 'train'.")
  Path model;

  @Option(
      names = "--synthetic",
      paramLabel = "USERSxITEMS",
      description =
          "Instead of --model: the seeded planted-cluster catalogue of 'bench ann' (dot scores, --dim wide,"
              + " ids = row numbers), e.g. 200000x1000000, to measure the job at scale.")
  String synthetic;

  @Option(
      names = "--dim",
      defaultValue = "64",
      paramLabel = "D",
      description = "Width of the --synthetic vectors (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(
      names = "--per-user",
      defaultValue = "10",
      paramLabel = "K",
      description =
          "Items per user, the cap on the audiences a user is in (default: ${DEFAULT-VALUE}).")
  int perUser;

  @Option(
      names = "--per-item",
      defaultValue = "1000",
      paramLabel = "N",
      description = "Users kept per item (default: ${DEFAULT-VALUE}).")
  int perItem;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "CSV or Parquet file to write.")
  Path out;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "csv or parquet (default: parquet if --out ends in .parquet, else csv).")
  String format;

  @Option(
      names = "--include-seen",
      description = "Also offer users the items they interacted with in training.")
  boolean includeSeen;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Search threads (default: all cores).")
  Integer threads;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Mixin IndexOptions index;

  @Override
  public Integer call() throws Exception {
    index.validate();
    if (perUser <= 0 || perItem <= 0) {
      throw CliException.usage(
          "--per-user and --per-item must be > 0, got " + perUser + " and " + perItem);
    }
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t <= 0) {
      throw CliException.usage("--threads must be > 0, got " + t);
    }
    if (Files.isDirectory(out)) {
      throw CliException.usage("--out " + out + " is a directory, not a file");
    }
    String fmt = RankedOutput.format(format, out);
    if ((model == null) == (synthetic == null)) {
      throw CliException.usage("give --model FILE or --synthetic USERSxITEMS");
    }
    FactorModel m;
    if (synthetic != null) {
      if (index.index != null) {
        throw CliException.usage("--index belongs to a model file, not to --synthetic");
      }
      int[] size = BenchCommand.parseSynthetic(synthetic, dim);
      m =
          new FactorModel(
              org.totalrecall.ann.SyntheticVectors.users(size[0], dim, 1000, 0.7f, 1L),
              org.totalrecall.ann.SyntheticVectors.items(size[1], dim, 1000, 0.7f, 1L),
              IdIndex.identity(size[0]),
              IdIndex.identity(size[1]),
              org.totalrecall.model.Scorer.dot(),
              null,
              null);
    } else {
      m = ModelFiles.load(model);
    }
    Recommender rec = index.recommender(m, model, t);
    long start = System.nanoTime();
    ProgressBar bar =
        !json && main.errTerminal()
            ? new ProgressBarBuilder()
                .setTaskName("users")
                .setInitialMax(m.numUsers())
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(main.errStream()))
                .showSpeed()
                .build()
            : null;
    AudienceInversion.Result r;
    try {
      r =
          AudienceInversion.invert(
              rec.itemRetriever(),
              m.retrievalUsers(),
              perUser,
              perItem,
              includeSeen ? null : m.seen(),
              bar == null ? null : bar::stepTo);
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    double searchSeconds = (System.nanoTime() - start) / 1e9;
    float phi = rec.phiScale();
    IdIndex items = m.itemIds();
    IdIndex users = m.userIds();
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try (RankedOutput rows =
        RankedOutput.open(
            tmp,
            fmt,
            "item",
            "user",
            Map.of(
                "totalrecall.command",
                "audience-all",
                "totalrecall.perUser",
                Integer.toString(perUser),
                "totalrecall.perItem",
                Integer.toString(perItem)))) {
      for (int i = 0; i < r.numItems(); i++) {
        String item = items.idOf(i);
        for (int p = r.start()[i], rank = 1; p < r.start()[i + 1]; p++, rank++) {
          rows.row(item, users.idOf(r.users()[p]), phi * r.scores()[p], rank);
        }
      }
    } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
      throw new CliException(
          ExitCodes.CANT_CREATE, "--out " + out + ": cannot be written (" + e.getMessage() + ")");
    }
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "audience-all");
    doc.put("model", model == null ? "synthetic " + synthetic : model.toString());
    doc.put("out", out.toString());
    doc.put("retrieval", rec.itemRetriever().describe());
    doc.put("peakHeapBytes", peakHeap());
    doc.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    doc.put("perUser", perUser);
    doc.put("perItem", perItem);
    doc.put("excludeSeen", !includeSeen && m.seen() != null);
    doc.put("users", m.numUsers());
    doc.put("items", m.numItems());
    doc.put("format", fmt);
    doc.put("rows", r.users().length);
    doc.put("usersCovered", r.usersCovered());
    doc.put("itemsWithAudience", r.numItems() - r.itemsWithoutAudience());
    doc.put("itemsWithoutAudience", r.itemsWithoutAudience());
    doc.put("meanAudience", r.numItems() == 0 ? 0 : r.users().length / (double) r.numItems());
    doc.put("searchSeconds", searchSeconds);
    doc.put("seconds", seconds);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Json.print(w, doc);
    } else {
      w.printf(
          Locale.ROOT,
          "audiences of %,d items written to %s: %,d rows, %,d of %,d users covered, %,d items without"
              + " an audience (%s, %.1f s)%n",
          m.numItems(),
          out,
          r.users().length,
          r.usersCovered(),
          m.numUsers(),
          r.itemsWithoutAudience(),
          rec.itemRetriever().describe(),
          seconds);
    }
    w.flush();
    return ExitCodes.OK;
  }

  /**
   * The peak use of the heap's memory pools so far (their peaks summed: an upper bound of the peak
   * heap).
   */
  static long peakHeap() {
    long sum = 0;
    for (java.lang.management.MemoryPoolMXBean pool :
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
