package org.totalrecall.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.totalrecall.model.Scorer;
import org.totalrecall.train.ObjectiveSpec;
import org.totalrecall.train.Param;
import org.totalrecall.train.Params;
import org.totalrecall.train.SamplerSpec;
import org.totalrecall.train.SpecType;

/**
 * What {@code tune} searches: a distribution per {@code train} flag, and which flags apply to an
 * objective and sampler. The run-level flags (learning rate, L2, width) apply to every method; a
 * method flag (τ, log-q weight α, iALS's confidence and unobserved weight, margins, negatives) is
 * searched when the objective or sampler declares that parameter ({@link SpecType#params()}), so a
 * new method whose parameters carry known names is tuned without an edit here; a parameter without
 * a range keeps its default. Draws are seeded; the first configuration of a search is the defaults.
 * Per-row negatives ({@code --ratio}) and a shared sample ({@code --shared}) exclude each other: a
 * configuration gets one of them, and pinning one takes the other out of the search.
 */
final class TuneSpace {
  /** How one flag's values are drawn. */
  sealed interface Dist permits LogUniform, Uniform, Choice {
    String draw(SplittableRandom rnd);
  }

  /** Log-uniform on [lo, hi]; with probability {@code zero}, the value 0. */
  record LogUniform(double lo, double hi, double zero) implements Dist {
    @Override
    public String draw(SplittableRandom rnd) {
      if (zero > 0 && rnd.nextDouble() < zero) {
        return "0";
      }
      return fmt(Math.exp(Math.log(lo) + rnd.nextDouble() * (Math.log(hi) - Math.log(lo))));
    }
  }

  /** Uniform on [lo, hi]. */
  record Uniform(double lo, double hi) implements Dist {
    @Override
    public String draw(SplittableRandom rnd) {
      return fmt(lo + rnd.nextDouble() * (hi - lo));
    }
  }

  /** One of the values, uniformly. */
  record Choice(List<String> values) implements Dist {
    @Override
    public String draw(SplittableRandom rnd) {
      return values.get(rnd.nextInt(values.size()));
    }
  }

  /** Run-level flags searched for every method. */
  static final Map<String, Dist> RUN = new LinkedHashMap<>();

  /** Method flags searched when the objective or sampler declares them. */
  static final Map<String, Dist> METHOD = new LinkedHashMap<>();

  static {
    RUN.put("lr", new LogUniform(3e-4, 3e-2, 0));
    RUN.put("l2", new LogUniform(1e-5, 3e-2, 0.2));
    RUN.put("dim", new Choice(List.of("32", "64", "128")));
    METHOD.put("logq-weight", new Uniform(0, 2));
    METHOD.put("alpha", new LogUniform(0.1, 100, 0));
    METHOD.put("unobserved-weight", new LogUniform(1e-3, 1, 0));
    METHOD.put("margin", new LogUniform(0.05, 2, 0));
    METHOD.put("negative-weight", new LogUniform(0.01, 1, 0));
    METHOD.put("ratio", new Choice(List.of("1", "2", "4", "8", "16")));
    METHOD.put("shared", new Choice(List.of("256", "1024", "4096")));
  }

  /** τ for cosine scorers (the default scorer of the softmax family). */
  static final Dist TAU = new LogUniform(0.05, 0.4, 0);

  private TuneSpace() {}

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /**
   * The flags searched for {@code objective} (and {@code sampler}, or null for the objective's
   * own), without the pinned ones, in a fixed order.
   */
  static Map<String, Dist> forMethod(String objective, String sampler, Map<String, String> pinned) {
    List<String> declared = new ArrayList<>();
    SpecType<ObjectiveSpec> ot = SpecType.find(ObjectiveSpec.types(), objective, "--objective");
    ot.params().forEach(p -> declared.add(p.name()));
    ObjectiveSpec defaults = ot.parse(Params.of(Map.of()), "--objective");
    String samplerName = sampler != null ? sampler : defaults.defaultSampler();
    SpecType<SamplerSpec> st = SpecType.find(SamplerSpec.types(), samplerName, "--sampler");
    for (Param p : st.params()) {
      declared.add(p.name());
    }
    if (sampler == null) {
      declared.removeAll(
          defaults.defaultSamplerValues().keySet()); // the objective fixes its own sampler's values
    }
    String scorer = pinned.get("scorer");
    boolean cosine =
        scorer != null
            ? scorer.equalsIgnoreCase("cosine")
            : defaults.preferredScorer() == Scorer.Kind.COSINE;
    Map<String, Dist> out = new LinkedHashMap<>();
    for (Map.Entry<String, Dist> e : RUN.entrySet()) {
      out.put(e.getKey(), e.getValue());
    }
    if (cosine) {
      out.put("tau", TAU);
    }
    for (Map.Entry<String, Dist> e : METHOD.entrySet()) {
      if (declared.contains(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    out.keySet().removeAll(pinned.keySet());
    // per-row negatives (--ratio) and one shared sample per batch (--shared) exclude each other
    if (pinned.containsKey("ratio")) {
      out.remove("shared");
    } else if (pinned.containsKey("shared")) {
      out.remove("ratio");
    }
    return out;
  }

  /**
   * A configuration: flag name → value, drawn from {@code space} (an empty map stands for the
   * defaults).
   */
  static Map<String, String> draw(Map<String, Dist> space, SplittableRandom rnd) {
    Map<String, String> c = new LinkedHashMap<>();
    for (Map.Entry<String, Dist> e : space.entrySet()) {
      c.put(e.getKey(), e.getValue().draw(rnd));
    }
    if (c.containsKey("ratio") && c.containsKey("shared")) {
      c.remove(rnd.nextBoolean() ? "ratio" : "shared"); // per-row or shared negatives, not both
    }
    return c;
  }
}
