package org.totalrecall.cli.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.totalrecall.ann.HnswRetriever;
import org.totalrecall.ann.IndexDirectory;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.retrieval.Retriever;

/**
 * Everything one model version needs to answer requests, loaded completely before it is served: the
 * model, its recommender (through the index when one is given) and where they came from. A reload
 * builds a new one and swaps it in at once, so a request sees the old model or the new one, never a
 * mixture. Immutable.
 */
record Served(
    FactorModel model, Recommender recommender, Path modelFile, Path index, Instant loadedAt) {
  /**
   * Loads {@code modelFile} and, if {@code index} is not null, its index directory.
   *
   * @throws IOException naming the file when the model or the index cannot be read or do not match
   */
  static Served load(Path modelFile, Path index, int ef, int threads) throws IOException {
    FactorModel model = ModelFormat.read(modelFile);
    Recommender rec;
    if (index == null) {
      rec = new Recommender(model, threads);
    } else {
      if (!Files.isDirectory(index)) {
        throw new IOException("--index " + index + ": no such directory");
      }
      IndexDirectory dir =
          IndexDirectory.open(index, modelFile, model.retrievalItems(), model.retrievalUsers());
      Retriever items =
          dir.items() == null
              ? null
              : new HnswRetriever(model.retrievalItems(), dir.items(), ef, threads);
      Retriever users =
          dir.users() == null
              ? null
              : new HnswRetriever(model.retrievalUsers(), dir.users(), ef, threads);
      rec = new Recommender(model, threads, items, users);
    }
    return new Served(model, rec, modelFile, index, Instant.now());
  }
}
