package org.totalrecall.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.totalrecall.ann.HnswRetriever;
import org.totalrecall.ann.IndexDirectory;
import org.totalrecall.ann.IndexFormatException;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.retrieval.Retriever;
import picocli.CommandLine.Option;

/**
 * {@code --index DIR [--ef N] [--exact]}: search through an HNSW index of the model, or exactly.
 */
final class IndexOptions {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      description =
          "Search through the HNSW index in DIR (written by 'totalrecall index' for this model file)"
              + " instead of scoring every candidate.")
  Path index;

  @Option(
      names = "--ef",
      paramLabel = "N",
      description =
          "With --index: candidates kept by the graph search (larger: slower, closer to exact; default "
              + HnswRetriever.DEFAULT_EF
              + ").")
  Integer ef;

  @Option(names = "--exact", description = "Score every candidate even when --index is given.")
  boolean exact;

  /** Checks the flag values that picocli cannot. */
  void validate() {
    if (ef != null && index == null) {
      throw CliException.usage("--ef applies to an index search: give --index DIR too");
    }
    if (ef != null && ef <= 0) {
      throw CliException.usage("--ef must be > 0, got " + ef);
    }
  }

  /** Whether searches go through the index. */
  boolean useIndex() {
    return index != null && !exact;
  }

  /**
   * The recommender the flags ask for: exact, or through the index of {@code --index} (the
   * directions it holds; the other is exact).
   *
   * @throws CliException 66 if the directory does not exist, 65 if it is not an index of this model
   */
  Recommender recommender(FactorModel m, Path modelFile, int threads) throws IOException {
    if (!useIndex()) {
      return new Recommender(m, threads);
    }
    if (!Files.isDirectory(index)) {
      throw CliException.noInput("--index " + index + ": no such directory");
    }
    IndexDirectory dir;
    try {
      dir = IndexDirectory.open(index, modelFile, m.retrievalItems(), m.retrievalUsers());
    } catch (IndexFormatException e) {
      throw CliException.data(e.getMessage());
    }
    int search = ef == null ? HnswRetriever.DEFAULT_EF : ef;
    Retriever items =
        dir.items() == null
            ? null
            : new HnswRetriever(m.retrievalItems(), dir.items(), search, threads);
    Retriever users =
        dir.users() == null
            ? null
            : new HnswRetriever(m.retrievalUsers(), dir.users(), search, threads);
    return new Recommender(m, threads, items, users);
  }
}
