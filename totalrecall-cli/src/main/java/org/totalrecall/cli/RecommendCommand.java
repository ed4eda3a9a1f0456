package org.totalrecall.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Recommender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code totalrecall recommend}: the top-k items for one user (u2i). */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    description = {
      "Recommends the k best items for a user (u2i).",
      "Items are ranked by the model's score; the user's training interactions are excluded "
          + "unless --include-seen is given."
    })
final class RecommendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RetrievalOptions options;

  @Option(names = "--user", required = true, paramLabel = "ID", description = "External user id (as in the data).")
  String user;

  @Option(names = "--include-seen", description = "Also return items the user interacted with in training.")
  boolean includeSeen;

  @Override
  public Integer call() throws Exception {
    options.validate();
    FactorModel model = ModelFiles.load(options.model);
    int u = ModelFiles.resolve(model.userIds(), user, "user");
    boolean exclude = !includeSeen && model.seen() != null;
    Neighbors top = new Recommender(model, 1).recommendItems(u, options.k, exclude);
    PrintWriter out = spec.commandLine().getOut();
    int excluded = exclude ? model.seen().rowLength(u) : 0;
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("command", "recommend");
    query.put("model", options.model.toString());
    query.put("user", user);
    query.put("k", options.k);
    query.put("excludeSeen", exclude);
    query.put("excluded", excluded);
    String title = "top " + options.k + " items for user " + user + " (" + options.model.getFileName()
        + (exclude ? "; " + excluded + " training items excluded" : "; training items included") + ")";
    if (!includeSeen && model.seen() == null) {
      spec.commandLine().getErr().println("totalrecall: note: the model stores no training interactions, nothing is excluded");
    }
    ResultPrinter.print(out, options.json, query, title, "item", top, model.itemIds());
    return ExitCodes.OK;
  }
}
