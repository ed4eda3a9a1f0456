package org.totalrecall.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.retrieval.Retriever;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code totalrecall recommend-all}: every user's top-k items, streamed to a CSV or Parquet file.
 */
@Command(
    name = "recommend-all",
    mixinStandardHelpOptions = true,
    description = {
      "Writes every user's top-k items (u2i; training items excluded unless --include-seen) as rows"
          + " user,item,score,rank (CSV, or Parquet for --format parquet or an --out ending in .parquet),"
          + " users in the model's order, searched in chunks so memory stays bounded."
    })
final class RecommendAllCommand implements Callable<Integer> {
  /** Users searched and written per chunk. */
  static final int CHUNK = 1 << 14;

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "Model file written by 'train'.")
  Path model;

  @Option(
      names = "--k",
      defaultValue = "10",
      paramLabel = "K",
      description = "Items per user (default: ${DEFAULT-VALUE}).")
  int k;

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
      description = "Also return items the user interacted with in training.")
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
    if (k <= 0) {
      throw CliException.usage("--k must be > 0, got " + k);
    }
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t <= 0) {
      throw CliException.usage("--threads must be > 0, got " + t);
    }
    if (Files.isDirectory(out)) {
      throw CliException.usage("--out " + out + " is a directory, not a file");
    }
    String fmt = RankedOutput.format(format, out);
    FactorModel m = ModelFiles.load(model);
    Recommender rec = index.recommender(m, model, t);
    Retriever items = rec.itemRetriever();
    float phi = rec.phiScale();
    int users = m.numUsers();
    int[] idx = new int[CHUNK * k];
    float[] sc = new float[CHUNK * k];
    int[] count = new int[CHUNK];
    long written = 0;
    long start = System.nanoTime();
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    ProgressBar bar =
        !json && main.errTerminal()
            ? new ProgressBarBuilder()
                .setTaskName("users")
                .setInitialMax(users)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(main.errStream()))
                .showSpeed()
                .build()
            : null;
    try (RankedOutput rows =
        RankedOutput.open(
            tmp,
            fmt,
            "user",
            "item",
            Map.of(
                "totalrecall.command",
                "recommend-all",
                "totalrecall.k",
                Integer.toString(k),
                "totalrecall.retrieval",
                items.describe()))) {
      for (int from = 0; from < users; from += CHUNK) {
        final int base = from;
        int to = Math.min(users, from + CHUNK);
        Arrays.fill(count, 0);
        items.forEachTopK(
            m.retrievalUsers(),
            from,
            to,
            k,
            includeSeen ? null : m.seen(),
            (u, i, s, n) -> {
              System.arraycopy(i, 0, idx, (u - base) * k, n);
              System.arraycopy(s, 0, sc, (u - base) * k, n);
              count[u - base] = n;
            });
        for (int u = from; u < to; u++) {
          String user = m.userIds().idOf(u);
          for (int r = 0; r < count[u - from]; r++) {
            int p = (u - from) * k + r;
            rows.row(user, m.itemIds().idOf(idx[p]), phi * sc[p], r + 1);
            written++;
          }
        }
        if (bar != null) {
          bar.stepTo(to);
        }
      }
    } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
      throw new CliException(
          ExitCodes.CANT_CREATE, "--out " + out + ": cannot be written (" + e.getMessage() + ")");
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "recommend-all");
    doc.put("model", model.toString());
    doc.put("out", out.toString());
    doc.put("retrieval", items.describe());
    doc.put("k", k);
    doc.put("excludeSeen", !includeSeen && m.seen() != null);
    doc.put("users", users);
    doc.put("format", fmt);
    doc.put("rows", written);
    doc.put("seconds", seconds);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Json.print(w, doc);
    } else {
      w.printf(
          Locale.ROOT,
          "top %d items of %,d users written to %s: %,d rows (%s, %.1f s)%n",
          k,
          users,
          out,
          written,
          items.describe(),
          seconds);
    }
    w.flush();
    return ExitCodes.OK;
  }
}
