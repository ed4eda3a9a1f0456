package org.totalrecall.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Recommender;
import picocli.CommandLine.Option;

/** Flags shared by the retrieval commands (recommend, audience, similar). */
final class RetrievalOptions {
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
      description = "Number of results (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @picocli.CommandLine.Mixin IndexOptions indexOptions;

  /** Checks the flag values that picocli cannot. */
  void validate() {
    if (k <= 0) {
      throw CliException.usage("--k must be > 0, got " + k);
    }
    indexOptions.validate();
  }

  /** Whether searches go through the index. */
  boolean useIndex() {
    return indexOptions.useIndex();
  }

  /** The recommender the flags ask for: see {@link IndexOptions#recommender}. */
  Recommender recommender(FactorModel m, int threads) throws IOException {
    return indexOptions.recommender(m, model, threads);
  }
}
