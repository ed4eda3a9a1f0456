package org.totalrecall.cli;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code totalrecall recommend-all}: every user's top-k items, streamed to a CSV file. */
@Command(
    name = "recommend-all",
    mixinStandardHelpOptions = true,
    description = {
      "Writes every user's top-k items (u2i; training items excluded unless --include-seen) as CSV rows"
          + " user,item,score,rank, users in the model's order, searched in chunks so memory stays bounded."
    })
final class RecommendAllCommand implements Callable<Integer> {
  /** Users searched and written per chunk. */
  static final int CHUNK = 1 << 14;

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file written by 'train'.")
  Path model;

  @Option(names = "--k", defaultValue = "10", paramLabel = "K", description = "Items per user (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write.")
  Path out;

  @Option(names = "--include-seen", description = "Also return items the user interacted with in training.")
  boolean includeSeen;

  @Option(names = "--threads", paramLabel = "N", description = "Search threads (default: all cores).")
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
    FactorModel m = ModelFiles.load(model);
    Recommender rec = index.recommender(m, model, t);
    Retriever items = rec.itemRetriever();
    float phi = rec.phiScale();
    int users = m.numUsers();
    int[] idx = new int[CHUNK * k];
    float[] sc = new float[CHUNK * k];
    int[] count = new int[CHUNK];
    long rows = 0;
    long start = System.nanoTime();
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    ProgressBar bar = !json && main.errTerminal() ? new ProgressBarBuilder().setTaskName("users").setInitialMax(users)
        .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(main.errStream())).showSpeed()
        .build() : null;
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
        CsvWriter csv = CsvWriter.builder().build(os, java.nio.charset.StandardCharsets.UTF_8)) {
      csv.writeRecord("user", "item", "score", "rank");
      for (int from = 0; from < users; from += CHUNK) {
        final int base = from;
        int to = Math.min(users, from + CHUNK);
        Arrays.fill(count, 0);
        items.forEachTopK(m.retrievalUsers(), from, to, k, includeSeen ? null : m.seen(), (u, i, s, n) -> {
          System.arraycopy(i, 0, idx, (u - base) * k, n);
          System.arraycopy(s, 0, sc, (u - base) * k, n);
          count[u - base] = n;
        });
        for (int u = from; u < to; u++) {
          String user = m.userIds().idOf(u);
          for (int r = 0; r < count[u - from]; r++) {
            int p = (u - from) * k + r;
            csv.writeRecord(user, m.itemIds().idOf(idx[p]), Float.toString(phi * sc[p]), Integer.toString(r + 1));
            rows++;
          }
        }
        if (bar != null) {
          bar.stepTo(to);
        }
      }
    } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
      throw new CliException(ExitCodes.CANT_CREATE, "--out " + out + ": cannot be written (" + e.getMessage() + ")");
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
    doc.put("rows", rows);
    doc.put("seconds", seconds);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Json.print(w, doc);
    } else {
      w.printf(Locale.ROOT, "top %d items of %,d users written to %s: %,d rows (%s, %.1f s)%n", k, users, out, rows,
          items.describe(), seconds);
    }
    w.flush();
    return ExitCodes.OK;
  }
}
