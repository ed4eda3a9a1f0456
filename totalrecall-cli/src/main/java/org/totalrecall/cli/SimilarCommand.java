package org.totalrecall.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Recommender;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code totalrecall similar}: the items nearest an item, or the users nearest a user. */
@Command(
    name = "similar",
    mixinStandardHelpOptions = true,
    description = {
      "Finds the k items nearest an item, or users nearest a user.",
      "Similarity is the cosine of the two vectors; the query itself is excluded."
    })
final class SimilarCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RetrievalOptions options;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(
        names = "--item",
        paramLabel = "ID",
        description = "External item id: find similar items.")
    String item;

    @Option(
        names = "--user",
        paramLabel = "ID",
        description = "External user id: find similar users.")
    String user;
  }

  @Override
  public Integer call() throws Exception {
    options.validate();
    FactorModel model = ModelFiles.load(options.model);
    Recommender rec = options.recommender(model, 1);
    boolean byItem = target.item != null;
    Neighbors top =
        byItem
            ? rec.similarItems(ModelFiles.resolve(model.itemIds(), target.item, "item"), options.k)
            : rec.similarUsers(ModelFiles.resolve(model.userIds(), target.user, "user"), options.k);
    String kind = byItem ? "item" : "user";
    String id = byItem ? target.item : target.user;
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("command", "similar");
    query.put("model", options.model.toString());
    query.put(kind, id);
    query.put("k", options.k);
    query.put(
        "retrieval",
        (byItem ? rec.similarItemRetriever() : rec.similarUserRetriever()).describe()
            + (options.useIndex() && !model.scorer().isCosine()
                ? " (a dot model's index holds inner-product vectors, not"
                    + " the cosine of raw vectors this command ranks by)"
                : ""));
    String title =
        "top "
            + options.k
            + " "
            + kind
            + "s similar to "
            + kind
            + " "
            + id
            + " ("
            + options.model.getFileName()
            + ")";
    ResultPrinter.print(
        spec.commandLine().getOut(),
        options.json,
        query,
        title,
        kind,
        top,
        byItem ? model.itemIds() : model.userIds());
    return ExitCodes.OK;
  }
}
