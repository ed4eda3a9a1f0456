package org.totalrecall.train;

import java.util.List;
import java.util.function.Function;
import org.totalrecall.util.Checks;

/**
 * A named kind of training method (an objective or a sampler): its command-line name, a one-line
 * description naming the paper and equation, the parameters it takes, and the parser that builds
 * its spec from parameter values (from flags or from a model file). Immutable.
 *
 * @param <S> the spec type built ({@link ObjectiveSpec} or {@link SamplerSpec})
 * @param name the name on the command line and in metadata, e.g. {@code bi-infonce}
 * @param description one line for {@code --help}
 * @param params the parameters the method reads
 * @param parser builds the spec; throws IllegalArgumentException naming the flag of a bad value
 */
public record SpecType<S>(
    String name, String description, List<Param> params, Function<Params, S> parser) {
  public SpecType {
    Checks.notNull("name", name);
    Checks.notNull("description", description);
    params = List.copyOf(params);
    Checks.notNull("parser", parser);
  }

  /**
   * The type named {@code name} among {@code types}.
   *
   * @param role "--objective", "--sampler" or "--update", for the message
   * @throws IllegalArgumentException naming the value and listing the known names
   */
  public static <S> SpecType<S> find(List<SpecType<S>> types, String name, String role) {
    for (SpecType<S> t : types) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        role
            + " must be one of "
            + String.join(", ", types.stream().map(SpecType::name).toList())
            + "; got \""
            + name
            + "\"");
  }

  /**
   * Parses {@code values} into a spec, refusing values for parameters this method does not take.
   */
  public S parse(Params values, String role) {
    S spec = parser.apply(values);
    values.requireAllUsed(role + " " + name);
    return spec;
  }
}
