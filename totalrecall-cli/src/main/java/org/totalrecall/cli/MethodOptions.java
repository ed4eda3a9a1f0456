package org.totalrecall.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.totalrecall.train.ObjectiveSpec;
import org.totalrecall.train.Param;
import org.totalrecall.train.SamplerSpec;
import org.totalrecall.train.SpecType;
import org.totalrecall.train.UpdateSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The flags of the training methods, built from the declarations of every objective and sampler
 * ({@link ObjectiveSpec#types()}, {@link SamplerSpec#types()}): {@code --NAME VALUE} or {@code
 * --no-NAME} per parameter, and the list of methods in {@code train --help}. A new objective or
 * sampler brings its flags with it; this class never names one.
 */
final class MethodOptions {
  private MethodOptions() {}

  /**
   * Every parameter of every method, by name (first declaration wins; names mean one thing
   * everywhere).
   */
  static Map<String, Param> allParams() {
    Map<String, Param> all = new LinkedHashMap<>();
    for (SpecType<?> t : types()) {
      for (Param p : t.params()) {
        all.putIfAbsent(p.name(), p);
      }
    }
    return all;
  }

  private static List<SpecType<?>> types() {
    List<SpecType<?>> types = new ArrayList<>(ObjectiveSpec.types());
    types.addAll(SamplerSpec.types());
    types.addAll(UpdateSpec.types());
    return types;
  }

  /** Adds the method flags and the list of objectives and samplers to {@code train}'s spec. */
  static void addTo(CommandSpec train) {
    for (Param p : allParams().values()) {
      OptionSpec.Builder b =
          OptionSpec.builder(p.flag()).description(p.description() + " " + usedBy(p.name()));
      if (p.kind() == Param.Kind.SWITCH_OFF) {
        b.arity("0").type(boolean.class);
      } else {
        b.arity("1").type(String.class).paramLabel(p.label());
      }
      train.addOption(b.build());
    }
    List<String> footer = new ArrayList<>(List.of(train.usageMessage().footer()));
    footer.add("");
    footer.add("Objectives (--objective):");
    for (SpecType<ObjectiveSpec> t : ObjectiveSpec.types()) {
      entry(footer, t);
    }
    footer.add("Samplers (--sampler; default: the objective's own):");
    for (SpecType<SamplerSpec> t : SamplerSpec.types()) {
      entry(footer, t);
    }
    footer.add("Update policies (--update):");
    for (SpecType<UpdateSpec> t : UpdateSpec.types()) {
      entry(footer, t);
    }
    train.usageMessage().footer(footer.toArray(String[]::new));
  }

  /** " name description", the description wrapped at 78 columns under itself. */
  private static void entry(List<String> footer, SpecType<?> t) {
    final int indent = 19;
    final int width = 78 - indent;
    StringBuilder line = new StringBuilder(String.format("  %-16s ", t.name()));
    int used = 0;
    for (String word : t.description().split(" ", -1)) {
      if (used > 0 && used + 1 + word.length() > width) {
        footer.add(line.toString());
        line = new StringBuilder(" ".repeat(indent));
        used = 0;
      }
      if (used > 0) {
        line.append(' ');
        used++;
      }
      line.append(word);
      used += word.length();
    }
    footer.add(line.toString());
  }

  /** The methods that take parameter {@code name}, e.g. {@code [mixed]}. */
  static String usedBy(String name) {
    Set<String> users = new LinkedHashSet<>();
    for (SpecType<?> t : types()) {
      for (Param p : t.params()) {
        if (p.name().equals(name)) {
          users.add(t.name());
        }
      }
    }
    return "[" + String.join(", ", users) + "]";
  }

  /** The method parameter values given on the command line, by parameter name. */
  static Map<String, String> given(ParseResult parsed) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Param p : allParams().values()) {
      if (parsed.hasMatchedOption(p.flag())) {
        values.put(
            p.name(),
            p.kind() == Param.Kind.SWITCH_OFF ? "false" : parsed.matchedOptionValue(p.flag(), ""));
      }
    }
    return values;
  }

  /** The subset of {@code values} that {@code type} declares, removed from {@code values}. */
  static Map<String, String> take(SpecType<?> type, Map<String, String> values) {
    Map<String, String> mine = new LinkedHashMap<>();
    for (Param p : type.params()) {
      String v = values.remove(p.name());
      if (v != null) {
        mine.put(p.name(), v);
      }
    }
    return mine;
  }
}
