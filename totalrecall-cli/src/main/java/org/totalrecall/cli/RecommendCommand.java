package org.totalrecall.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.train.FoldIn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code totalrecall recommend}: the top-k items for one user (u2i). */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    description = {
      "Recommends the k best items for a user (u2i).",
      "Items are ranked by the model's score; the user's training interactions are excluded "
          + "unless --include-seen is given. With --history, the user's vector is folded in from "
          + "those items without retraining (a new user, or a known --user with recent items): "
          + "closed-form least squares for iALS-type models, the moving aggregation for OneBP "
          + "models, gradient steps on the exact softmax otherwise; the history items are excluded."
    })
final class RecommendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RetrievalOptions options;

  @Option(names = "--user", paramLabel = "ID", description = "External user id (as in the data).")
  String user;

  @Option(
      names = "--history",
      paramLabel = "ID,ID,...",
      description =
          "Comma-separated item ids, oldest first, to fold the user in from (a user the model does not"
              + " know, or recent items of --user).")
  String history;

  @Option(
      names = "--include-seen",
      description = "Also return items the user interacted with in training.")
  boolean includeSeen;

  @Override
  public Integer call() throws Exception {
    options.validate();
    if (user == null && history == null) {
      throw CliException.usage(
          "give --user ID, --history ID,ID,... (a user folded in from items), or both");
    }
    List<String> historyIds = history == null ? null : ids(history);
    FactorModel model = ModelFiles.load(options.model);
    int u = user == null ? -1 : ModelFiles.resolve(model.userIds(), user, "user");
    boolean exclude = !includeSeen && model.seen() != null && u >= 0;
    Recommender recommender = options.recommender(model, 1);
    Neighbors top;
    int excluded;
    String method = null;
    if (historyIds == null) {
      top = recommender.recommendItems(u, options.k, exclude);
      excluded = exclude ? model.seen().rowLength(u) : 0;
    } else {
      int[] items = new int[historyIds.size()];
      for (int j = 0; j < items.length; j++) {
        items[j] = ModelFiles.resolve(model.itemIds(), historyIds.get(j), "item");
      }
      FoldIn.Result folded;
      try {
        folded = FoldIn.user(model, items, u);
      } catch (IllegalArgumentException e) {
        throw CliException.data("cannot fold in: " + e.getMessage());
      }
      method = folded.method();
      int[] never = items;
      if (exclude) {
        int[] seen =
            Arrays.copyOfRange(model.seen().cols(), model.seen().start(u), model.seen().end(u));
        never = Arrays.copyOf(items, items.length + seen.length);
        System.arraycopy(seen, 0, never, items.length, seen.length);
      }
      top = recommender.recommendItems(folded.vector(), options.k, never);
      excluded = (int) Arrays.stream(never).distinct().count();
    }
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("command", "recommend");
    query.put("model", options.model.toString());
    query.put("user", user);
    if (historyIds != null) {
      query.put("history", historyIds);
      query.put("foldIn", method);
    }
    query.put("k", options.k);
    query.put("retrieval", recommender.itemRetriever().describe());
    query.put("excludeSeen", exclude);
    query.put("excluded", excluded);
    String who =
        user == null
            ? "a user folded in from " + historyIds.size() + " items"
            : "user "
                + user
                + (historyIds == null
                    ? ""
                    : " with " + historyIds.size() + " more items folded in");
    String title =
        "top "
            + options.k
            + " items for "
            + who
            + " ("
            + options.model.getFileName()
            + (historyIds != null
                ? "; " + excluded + " known items excluded"
                : exclude
                    ? "; " + excluded + " training items excluded"
                    : "; training items included")
            + ")";
    if (!includeSeen && model.seen() == null && u >= 0) {
      spec.commandLine()
          .getErr()
          .println(
              "totalrecall: note: the model stores no training interactions, nothing is excluded");
    }
    ResultPrinter.print(out, options.json, query, title, "item", top, model.itemIds());
    return ExitCodes.OK;
  }

  /**
   * The ids of {@code --history}, in order (repeats kept: an item seen twice counts twice); an
   * empty id is a usage error.
   */
  static List<String> ids(String list) {
    String[] parts = list.split(",", -1);
    for (int p = 0; p < parts.length; p++) {
      if (parts[p].isEmpty()) {
        throw CliException.usage(
            "--history needs a comma-separated list of item ids; id "
                + (p + 1)
                + " of \""
                + list
                + "\" is empty");
      }
    }
    return List.of(parts);
  }
}
