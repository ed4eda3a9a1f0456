package org.totalrecall.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.ann.HnswIndex;
import org.totalrecall.ann.IndexDirectory;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code totalrecall index}: builds HNSW indexes over a model's vectors for fast retrieval. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Builds an HNSW index (Lucene's) over a model's item vectors (answers u2i: recommend) and/or user vectors"
          + " (answers i2u: audience), by inner product, for 'recommend', 'audience' and 'similar' --index DIR.",
      "The directory is tied to the model file's checksum: after retraining, build it again."
    })
final class IndexCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "Model file written by 'train'.")
  Path model;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write the index into.")
  Path out;

  @Option(
      names = "--direction",
      defaultValue = "both",
      paramLabel = "DIR",
      description =
          "u2i (index the items), i2u (index the users) or both (default: ${DEFAULT-VALUE}).")
  String direction;

  @Option(
      names = "--m",
      defaultValue = "" + HnswIndex.DEFAULT_M,
      paramLabel = "M",
      description =
          "Neighbours per node on the upper levels, 2*M on the bottom one (default: ${DEFAULT-VALUE}).")
  int m;

  @Option(
      names = "--ef-construction",
      defaultValue = "" + HnswIndex.DEFAULT_EF_CONSTRUCTION,
      paramLabel = "N",
      description = "Candidates kept while linking a node (default: ${DEFAULT-VALUE}).")
  int efConstruction;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "S",
      description = "Seed of the levels (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Build threads (default: all cores; 1 builds the same graph every time, more are faster).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    boolean u2i;
    boolean i2u;
    switch (direction.toLowerCase(Locale.ROOT)) {
      case "u2i" -> {
        u2i = true;
        i2u = false;
      }
      case "i2u" -> {
        u2i = false;
        i2u = true;
      }
      case "both" -> {
        u2i = true;
        i2u = true;
      }
      default ->
          throw CliException.usage("--direction must be u2i, i2u or both, got '" + direction + "'");
    }
    if (m < 2 || m > 512) {
      throw CliException.usage("--m must be in 2..512, got " + m);
    }
    if (efConstruction <= 0) {
      throw CliException.usage("--ef-construction must be > 0, got " + efConstruction);
    }
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t <= 0) {
      throw CliException.usage("--threads must be > 0, got " + t);
    }
    buildThreads = t;
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw CliException.usage("--out " + out + " is a file, not a directory");
    }
    FactorModel fm = ModelFiles.load(model);
    VectorOps ops = VectorOps.best();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "index");
    doc.put("model", model.toString());
    doc.put("out", out.toString());
    doc.put("m", m);
    doc.put("efConstruction", efConstruction);
    doc.put("buildThreads", t);
    long start = System.nanoTime();
    HnswIndex items = u2i ? build(fm.retrievalItems(), ops, "u2i", doc) : null;
    HnswIndex users = i2u ? build(fm.retrievalUsers(), ops, "i2u", doc) : null;
    double seconds = (System.nanoTime() - start) / 1e9;
    IndexDirectory.write(out, model, items, users, seconds);
    doc.put("buildSeconds", seconds);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Json.print(w, doc);
    } else {
      w.printf(
          Locale.ROOT,
          "index written to %s (%s; m %d, efConstruction %d) in %.1f s%n",
          out,
          u2i && i2u ? "u2i and i2u" : u2i ? "u2i" : "i2u",
          m,
          efConstruction,
          seconds);
    }
    w.flush();
    return ExitCodes.OK;
  }

  private int buildThreads = 1;

  private HnswIndex build(
      EmbeddingTable table, VectorOps ops, String name, Map<String, Object> doc) {
    long t0 = System.nanoTime();
    HnswIndex index = HnswIndex.build(table, m, efConstruction, seed, ops, buildThreads);
    Map<String, Object> side = new LinkedHashMap<>();
    side.put("vectors", table.rows());
    side.put("links", index.links());
    side.put("graphBytes", index.graphBytes());
    side.put("seconds", (System.nanoTime() - t0) / 1e9);
    doc.put(name, side);
    return index;
  }
}
