package org.totalrecall.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Aggregation;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Recommender;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code totalrecall audience}: the top-k users for an item or a group of items (i2u). */
@Command(
    name = "audience",
    mixinStandardHelpOptions = true,
    description = {
      "Finds the k best users for an item or an item group (i2u).",
      "For a group, a user's score aggregates exp(score) over the group's items (--aggregate) and "
          + "is reported as the log of the aggregate. Users who interacted with the item in training are "
          + "excluded, and for a group each user's score leaves out the group items that user interacted "
          + "with (a user who had them all is excluded), unless --include-seen is given."
    })
final class AudienceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RetrievalOptions options;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--item", paramLabel = "ID", description = "External id of one item.")
    String item;

    @Option(
        names = "--items",
        paramLabel = "ID,ID,...",
        description = "Comma-separated external ids of a group of items.")
    String items;
  }

  @Option(
      names = "--aggregate",
      defaultValue = "mean",
      paramLabel = "AGG",
      converter = AggregationConverter.class,
      description =
          "How a group's per-item exp(score) combine: mean, max or sum (default: ${DEFAULT-VALUE}).")
  Aggregation aggregate;

  @Option(
      names = "--include-seen",
      description = "Also return users who interacted with the item(s) in training.")
  boolean includeSeen;

  static final class AggregationConverter extends EnumConverterAdapter<Aggregation> {
    AggregationConverter() {
      super(Aggregation.class);
    }
  }

  /**
   * The distinct ids of {@code --items}, in order; an empty id anywhere (leading, doubled or
   * trailing comma) is a usage error.
   */
  static List<String> groupIds(String list) {
    String[] parts = list.split(",", -1);
    for (int p = 0; p < parts.length; p++) {
      if (parts[p].isEmpty()) {
        throw CliException.usage(
            "--items needs a comma-separated list of item ids; id "
                + (p + 1)
                + " of \""
                + list
                + "\" is empty");
      }
    }
    return new ArrayList<>(new LinkedHashSet<>(List.of(parts)));
  }

  @Override
  public Integer call() throws Exception {
    options.validate();
    FactorModel model = ModelFiles.load(options.model);
    boolean group = target.items != null;
    List<String> ids = group ? groupIds(target.items) : List.of(target.item);
    int[] items = new int[ids.size()];
    for (int j = 0; j < items.length; j++) {
      items[j] = ModelFiles.resolve(model.itemIds(), ids.get(j), "item");
    }
    boolean exclude = !includeSeen && model.seen() != null;
    Recommender rec = options.recommender(model, 1);
    Neighbors top =
        group
            ? rec.recommendUsersForItems(items, options.k, aggregate, exclude)
            : rec.recommendUsers(items[0], options.k, exclude);
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("command", "audience");
    query.put("model", options.model.toString());
    if (group) {
      query.put("items", ids);
      query.put("aggregate", EnumConverter.spell(aggregate));
    } else {
      query.put("item", ids.get(0));
    }
    query.put("k", options.k);
    query.put(
        "retrieval",
        group && rec.userRetriever().describe().equals("exact")
            ? "exact (group scores)"
            : group
                ? rec.userRetriever().describe() + " for the candidates, exact group scores"
                : rec.userRetriever().describe());
    query.put("excludeSeen", exclude);
    if (!includeSeen && model.seen() == null) {
      spec.commandLine()
          .getErr()
          .println(
              "totalrecall: note: the model stores no training interactions, nothing is excluded");
    }
    String what =
        group
            ? "the group " + String.join(",", ids) + " (" + EnumConverter.spell(aggregate) + ")"
            : "item " + ids.get(0);
    String title =
        "top "
            + options.k
            + " users for "
            + what
            + " ("
            + options.model.getFileName()
            + (exclude
                ? (group
                    ? "; each user's training items left out of their score"
                    : "; users with a training interaction excluded")
                : "; all users")
            + ")";
    ResultPrinter.print(
        spec.commandLine().getOut(), options.json, query, title, "user", top, model.userIds());
    return ExitCodes.OK;
  }
}
