package org.totalrecall.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.cli.bench.FoldInBenchmark;
import org.totalrecall.cli.bench.LoadBenchmark;
import org.totalrecall.cli.bench.RetrievalBenchmark;
import org.totalrecall.cli.bench.TrainBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code totalrecall bench}: measurements of this machine, printed as JSON. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures retrieval and training speed; prints JSON.",
      "Timings are only meaningful on an otherwise idle machine."
    },
    subcommands = {
      BenchCommand.Retrieval.class,
      BenchCommand.Train.class,
      BenchCommand.FoldIn.class,
      BenchCommand.Ann.class,
      BenchCommand.Http.class,
      BenchCommand.Load.class
    })
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "missing benchmark: one of " + String.join(", ", spec.subcommands().keySet()));
  }

  /** Validates --threads and wraps a benchmark's result with what was run. */
  static Map<String, Object> wrap(String name, int threads, long seed, Map<String, Object> result) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "bench " + name);
    doc.put("threads", threads);
    doc.put("seed", seed);
    doc.put("totalrecallVersion", Main.version());
    doc.put("jdk", Runtime.version().toString());
    doc.put("availableProcessors", Runtime.getRuntime().availableProcessors());
    doc.putAll(result);
    return doc;
  }

  static int threads(Integer threads) {
    return threads == null
        ? Runtime.getRuntime().availableProcessors()
        : Limits.threads(threads, "--threads");
  }

  /** {@code bench load}: one synthetic log as CSV, gzip CSV and Parquet, loaded in turn. */
  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      description = {
        "Load time of one seeded synthetic log (Zipf items) written as plain CSV, gzip CSV and Parquet.",
        "The files are written into --dir once and reused; the loads alternate and the median of each is reported."
            + " Fails if the three load reports differ in any count."
      })
  static final class Load implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--dir",
        required = true,
        paramLabel = "DIR",
        description = "Where the three files go (kept for reuse).")
    Path dir;

    @Option(
        names = "--rows",
        defaultValue = "10000000",
        paramLabel = "N",
        description = "Rows (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(
        names = "--users",
        defaultValue = "500000",
        paramLabel = "N",
        description = "Users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(
        names = "--items",
        defaultValue = "100000",
        paramLabel = "N",
        description = "Items (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(
        names = "--repeats",
        defaultValue = "3",
        paramLabel = "N",
        description = "Loads of each file (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(
        names = "--seed",
        defaultValue = "1",
        paramLabel = "SEED",
        description = "Seed of the log (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (rows <= 0 || users <= 0 || items <= 0 || repeats <= 0) {
        throw CliException.usage("--rows, --users, --items and --repeats must be > 0");
      }
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw CliException.usage("--dir " + dir + " is a file, not a directory");
      }
      Json.print(
          spec.commandLine().getOut(),
          wrap("load", 0, seed, LoadBenchmark.run(dir, rows, users, items, repeats, seed)));
      return ExitCodes.OK;
    }
  }

  /** {@code bench retrieval}: kernel peak and ML-1M-shaped exact retrieval both ways. */
  @Command(
      name = "retrieval",
      mixinStandardHelpOptions = true,
      description = {
        "Kernel GFLOP/s and exact retrieval time, both ways.",
        "GFLOP/s of the scoring kernel and milliseconds of exact top-10 retrieval for all users (u2i) "
            + "and all items (i2u) of ML-1M-shaped random tables (6,040 x 3,706, dim 64). Takes tens of seconds."
      })
  static final class Retrieval implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--threads",
        paramLabel = "T",
        description = "Threads (default: all processors).")
    Integer threads;

    @Option(
        names = "--seed",
        defaultValue = "1",
        paramLabel = "SEED",
        description = "Seed of the random tables (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
      int t = threads(threads);
      Json.print(
          spec.commandLine().getOut(), wrap("retrieval", t, seed, RetrievalBenchmark.run(t, seed)));
      return ExitCodes.OK;
    }
  }

  /** {@code bench train}: Bi-InfoNCE training throughput on ML-1M. */
  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = {
        "Bi-InfoNCE training throughput (positives/s) on ML-1M.",
        "Trains the paper's recipe (batch 512, dim 64, cosine, Adam) on the NCF split's ml-1m.train.rating "
            + "and reports positives per second of each epoch and the median of epochs 2 to 4."
      })
  static final class Train implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--data",
        defaultValue = "../shared/data/ml-1m-ncf",
        paramLabel = "DIR",
        description = "Folder holding ml-1m.train.rating (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(
        names = "--threads",
        paramLabel = "T",
        description = "Threads (default: all processors).")
    Integer threads;

    @Option(
        names = "--epochs",
        defaultValue = "4",
        paramLabel = "N",
        description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
        names = "--seed",
        defaultValue = "1",
        paramLabel = "SEED",
        description = "Training seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      int t = threads(threads);
      if (epochs <= 0) {
        throw CliException.usage("--epochs must be > 0, got " + epochs);
      }
      if (!Files.isRegularFile(data.resolve("ml-1m.train.rating"))) {
        throw CliException.noInput(
            "no ml-1m.train.rating in " + data + " (give the NCF ML-1M folder with --data)");
      }
      Map<String, Object> result;
      try {
        result = TrainBenchmark.run(data, t, epochs, seed);
      } catch (IllegalArgumentException e) {
        throw CliException.data(e.getMessage());
      }
      Json.print(spec.commandLine().getOut(), wrap("train", t, seed, result));
      return ExitCodes.OK;
    }
  }

  /**
   * {@code bench fold-in}: how closely folding users in reproduces their trained vectors' top-10.
   */
  @Command(
      name = "fold-in",
      mixinStandardHelpOptions = true,
      description = {
        "Fold-in fidelity and latency of a trained model.",
        "Folds sampled users in from their own training items as if they were new and reports the mean "
            + "overlap of their top-10 with the trained users' top-10 and the latency of one fold-in."
      })
  static final class FoldIn implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--model",
        required = true,
        paramLabel = "FILE",
        description = "Model file written by 'train'.")
    Path model;

    @Option(
        names = "--users",
        defaultValue = "200",
        paramLabel = "N",
        description = "Users to fold in (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(
        names = "--seed",
        defaultValue = "1",
        paramLabel = "SEED",
        description = "Seed of the user sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (users <= 0) {
        throw CliException.usage("--users must be > 0, got " + users);
      }
      org.totalrecall.model.FactorModel m = ModelFiles.load(model);
      Map<String, Object> result;
      try {
        result = FoldInBenchmark.run(m, users, seed);
      } catch (IllegalArgumentException e) {
        throw CliException.data(e.getMessage());
      }
      result.put("model", model.toString());
      Json.print(spec.commandLine().getOut(), wrap("fold-in", 1, seed, result));
      return ExitCodes.OK;
    }
  }

  /**
   * USERSxITEMS of a {@code --synthetic} flag, both positive, with a positive {@code dim}; else a
   * usage error.
   */
  static int[] parseSynthetic(String synthetic, int dim) {
    String[] parts = synthetic.toLowerCase(java.util.Locale.ROOT).split("x", -1);
    int nu;
    int ni;
    try {
      nu = Integer.parseInt(parts[0]);
      ni = Integer.parseInt(parts[parts.length - 1]);
    } catch (NumberFormatException e) {
      throw CliException.usage(
          "--synthetic must be USERSxITEMS, e.g. 200000x1000000, got '" + synthetic + "'");
    }
    if (parts.length != 2 || nu <= 0 || ni <= 0 || dim <= 0) {
      throw CliException.usage(
          "--synthetic must be USERSxITEMS with positive counts (and --dim > 0), got '"
              + synthetic
              + "'");
    }
    return new int[] {nu, ni};
  }

  @Command(
      name = "ann",
      mixinStandardHelpOptions = true,
      description = {
        "HNSW against exact search on a model's own vectors, both directions.",
        "Recall@10 against exact search and queries per second, exact and HNSW at each --ef, plus the index's"
            + " build time and size. Uses the index in --index DIR, or builds one with --m and --ef-construction."
      })
  static final class Ann implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file written by 'train'.")
    Path model;

    @Option(
        names = "--index",
        paramLabel = "DIR",
        description = "An index of this model ('totalrecall index'); else one is built.")
    Path index;

    @Option(
        names = "--m",
        defaultValue = "16",
        paramLabel = "M",
        description = "M of a built index (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(
        names = "--ef-construction",
        defaultValue = "200",
        paramLabel = "N",
        description = "efConstruction of a built index (default: ${DEFAULT-VALUE}).")
    int efConstruction;

    @Option(
        names = "--ef",
        defaultValue = "10,20,40,80,160",
        split = ",",
        paramLabel = "N,N,...",
        description = "Search ef values to measure (default: ${DEFAULT-VALUE}).")
    int[] efs;

    @Option(
        names = "--queries",
        defaultValue = "2000",
        paramLabel = "N",
        description = "Queries sampled per direction (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(
        names = "--threads",
        split = ",",
        paramLabel = "N,N,...",
        description = "Search threads, one run each on the same index (default: all cores).")
    int[] threadCounts;

    @Option(
        names = "--seed",
        defaultValue = "1",
        paramLabel = "SEED",
        description = "Seed of the query sample and the build (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--synthetic",
        paramLabel = "USERSxITEMS",
        description =
            "Instead of --model: a seeded planted-cluster catalogue of that size (e.g. 200000x1000000), --dim wide.")
    String synthetic;

    @Option(
        names = "--dim",
        defaultValue = "64",
        paramLabel = "D",
        description = "Width of the --synthetic vectors (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(
        names = "--clusters",
        defaultValue = "1000",
        paramLabel = "N",
        description = "Planted clusters of --synthetic (default: ${DEFAULT-VALUE}).")
    int clusters;

    @Option(
        names = "--dump",
        paramLabel = "DIR",
        description = "Also write the vectors and the query rows to DIR, for scripts/faiss-ann.py.")
    Path dump;

    @Override
    public Integer call() throws Exception {
      if ((model == null) == (synthetic == null)) {
        throw CliException.usage("give --model FILE or --synthetic USERSxITEMS");
      }
      if (synthetic != null && index != null) {
        throw CliException.usage("--index belongs to a model: with --synthetic the index is built");
      }
      if (queries <= 0) {
        throw CliException.usage("--queries must be > 0, got " + queries);
      }
      for (int ef : efs) {
        if (ef <= 0) {
          throw CliException.usage("--ef values must be > 0, got " + ef);
        }
      }
      int[] ts =
          threadCounts == null
              ? new int[] {Runtime.getRuntime().availableProcessors()}
              : threadCounts;
      for (int t : ts) {
        if (t <= 0) {
          throw CliException.usage("--threads must be > 0, got " + t);
        }
      }
      org.totalrecall.linalg.EmbeddingTable userVectors;
      org.totalrecall.linalg.EmbeddingTable itemVectors;
      Map<String, Object> build = new java.util.LinkedHashMap<>();
      if (synthetic != null) {
        if (clusters <= 0) {
          throw CliException.usage("--clusters must be > 0, got " + clusters);
        }
        int[] size = parseSynthetic(synthetic, dim);
        int nu = size[0];
        int ni = size[1];
        userVectors = org.totalrecall.ann.SyntheticVectors.users(nu, dim, clusters, 0.7f, seed);
        itemVectors = org.totalrecall.ann.SyntheticVectors.items(ni, dim, clusters, 0.7f, seed);
        build.put(
            "synthetic",
            Map.of("users", nu, "items", ni, "dim", dim, "clusters", clusters, "noise", 0.7));
      } else {
        org.totalrecall.model.FactorModel fm = ModelFiles.load(model);
        userVectors = fm.retrievalUsers();
        itemVectors = fm.retrievalItems();
        build.put("model", model.toString());
      }
      org.totalrecall.ann.HnswIndex items;
      org.totalrecall.ann.HnswIndex users;
      if (index != null) {
        org.totalrecall.ann.IndexDirectory dir;
        try {
          dir = org.totalrecall.ann.IndexDirectory.open(index, model, itemVectors, userVectors);
        } catch (org.totalrecall.ann.IndexFormatException e) {
          throw CliException.data(e.getMessage());
        }
        items = dir.items();
        users = dir.users();
        build.put("index", index.toString());
      } else {
        org.totalrecall.linalg.VectorOps ops = org.totalrecall.linalg.VectorOps.best();
        int bt = java.util.Arrays.stream(ts).max().getAsInt();
        build.put("buildThreads", bt);
        long t0 = System.nanoTime();
        items = org.totalrecall.ann.HnswIndex.build(itemVectors, m, efConstruction, seed, ops, bt);
        build.put("u2i.buildSeconds", (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        users = org.totalrecall.ann.HnswIndex.build(userVectors, m, efConstruction, seed, ops, bt);
        build.put("i2u.buildSeconds", (System.nanoTime() - t0) / 1e9);
      }
      Map<String, Object> result = new java.util.LinkedHashMap<>(build);
      java.util.List<Object> runs = new java.util.ArrayList<>();
      for (int k = 0; k < ts.length; k++) {
        runs.add(
            org.totalrecall.cli.bench.AnnBenchmark.run(
                userVectors,
                itemVectors,
                items,
                users,
                ts[k],
                queries,
                efs,
                seed,
                k == 0 ? dump : null));
      }
      result.put("runs", runs);
      Json.print(spec.commandLine().getOut(), wrap("ann", ts[ts.length - 1], seed, result));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "http",
      mixinStandardHelpOptions = true,
      description = {
        "Load test of a running 'totalrecall serve' through a real HTTP client (the JDK's, HTTP/1.1 kept alive).",
        "Concurrent u2i requests for random users of --model, a share --malformed of them malformed (each must be"
            + " a 400 or 404), optionally a reload every --reload-every requests; prints requests/s, latency"
            + " percentiles, status counts and contract violations (exit 1 if any)."
      })
  static final class Http implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--url",
        defaultValue = "http://127.0.0.1:8080",
        paramLabel = "URL",
        description = "The server (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(
        names = "--model",
        required = true,
        paramLabel = "FILE",
        description = "The served model file (for its user ids).")
    Path model;

    @Option(
        names = "--requests",
        defaultValue = "50000",
        paramLabel = "N",
        description = "Requests at most (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(
        names = "--seconds",
        defaultValue = "60",
        paramLabel = "S",
        description = "Time limit (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
        names = "--concurrency",
        defaultValue = "32",
        paramLabel = "C",
        description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
        names = "--k",
        defaultValue = "10",
        paramLabel = "K",
        description = "k of each request (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
        names = "--malformed",
        defaultValue = "0",
        paramLabel = "SHARE",
        description = "Share of malformed requests, 0..1 (default: ${DEFAULT-VALUE}).")
    double malformed;

    @Option(
        names = "--reload-token-file",
        paramLabel = "FILE",
        description = "The server's admin token, to reload under load.")
    Path tokenFile;

    @Option(
        names = "--reload-every",
        defaultValue = "0",
        paramLabel = "N",
        description = "Reload the model every N requests (default: never).")
    int reloadEvery;

    @Option(
        names = "--seed",
        defaultValue = "1",
        paramLabel = "SEED",
        description = "Seed of the request mix (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (requests <= 0 || concurrency <= 0 || k <= 0 || !(seconds > 0)) {
        throw CliException.usage("--requests, --concurrency, --k and --seconds must be > 0");
      }
      if (!(malformed >= 0 && malformed < 1)) {
        throw CliException.usage("--malformed must be in [0, 1), got " + malformed);
      }
      java.net.URI base;
      try {
        base = java.net.URI.create(url);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--url is not a URL: " + url);
      }
      String token = tokenFile == null ? null : java.nio.file.Files.readString(tokenFile).strip();
      org.totalrecall.model.FactorModel m = ModelFiles.load(model);
      Map<String, Object> result =
          org.totalrecall.cli.bench.HttpLoadTest.run(
              new org.totalrecall.cli.bench.HttpLoadTest.Plan(
                  base,
                  m.userIds(),
                  k,
                  requests,
                  seconds,
                  concurrency,
                  malformed,
                  token,
                  reloadEvery,
                  seed));
      result.put("url", url);
      Json.print(spec.commandLine().getOut(), wrap("http", concurrency, seed, result));
      long bad =
          ((Number) result.get("contractViolations")).longValue()
              + ((Number) result.get("transportErrors")).longValue()
              + ((Number) result.get("reloadFailures")).longValue();
      return bad == 0 ? ExitCodes.OK : 1;
    }
  }
}
