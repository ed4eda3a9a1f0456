package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.totalrecall.model.Scorer;
import org.totalrecall.util.Checks;

/**
 * The model a run trains: embedding width, scorer (dot, cosine with temperature τ, or gmf with a
 * learned weight vector h; TotalRecall eq. 2) and the N(0, σ²) initialisation of both tables (h
 * starts at 1).
 *
 * @param dim embedding width shared by both towers, at most {@link TrainConfig#MAX_DIM}
 * @param scorer cosine, dot or gmf
 * @param temperature τ of the cosine scorer (kept but unused for dot and gmf)
 * @param initStd σ of the initialisation
 */
public record ModelSpec(int dim, Scorer.Kind scorer, float temperature, float initStd) {
  public ModelSpec {
    Checks.positive("dim", dim);
    if (dim > TrainConfig.MAX_DIM) {
      throw new IllegalArgumentException("dim must be <= " + TrainConfig.MAX_DIM + ", got " + dim);
    }
    Checks.notNull("scorer", scorer);
    Checks.positive("temperature", temperature);
    Checks.positive("initStd", initStd);
  }

  /**
   * The scorer these settings train: cosine with τ or dot.
   *
   * @throws IllegalStateException for gmf, whose h is learned: use {@link #toScorer(float[])}
   */
  public Scorer toScorer() {
    if (scorer == Scorer.Kind.GMF) {
      throw new IllegalStateException(
          "the gmf scorer's weights are learned: ask the trained model for its scorer");
    }
    return toScorer(null);
  }

  /**
   * The scorer with the learned gmf weights {@code h} (copied; ignored, and may be null, for dot
   * and cosine).
   */
  public Scorer toScorer(float[] h) {
    return switch (scorer) {
      case COSINE -> Scorer.cosine(temperature);
      case DOT -> Scorer.dot();
      case GMF -> Scorer.gmf(h);
    };
  }

  public ModelSpec withDim(int d) {
    return new ModelSpec(d, scorer, temperature, initStd);
  }

  public ModelSpec withScorer(Scorer.Kind s) {
    return new ModelSpec(dim, s, temperature, initStd);
  }

  public ModelSpec withTemperature(float t) {
    return new ModelSpec(dim, scorer, t, initStd);
  }

  public ModelSpec withInitStd(float s) {
    return new ModelSpec(dim, scorer, temperature, s);
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dim", dim);
    m.put("scorer", scorer.name().toLowerCase(Locale.ROOT));
    m.put("temperature", MapValues.decimal(temperature));
    m.put("initStd", MapValues.decimal(initStd));
    return m;
  }

  static ModelSpec fromMap(Map<String, ?> m) {
    return new ModelSpec(
        MapValues.integer(m, "dim"),
        Scorer.Kind.valueOf(MapValues.string(m, "scorer").toUpperCase(Locale.ROOT)),
        MapValues.real(m, "temperature"),
        MapValues.real(m, "initStd"));
  }
}
