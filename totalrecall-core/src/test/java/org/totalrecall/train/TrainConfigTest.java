package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.totalrecall.loss.InfoNceLoss;
import org.totalrecall.model.Scorer;

class TrainConfigTest {
  @Test
  void defaultsAreThePaperAndPeerRecipeWithLinearDecay() {
    TrainConfig c = TrainConfig.defaults();
    assertEquals(64, c.dim());
    assertEquals(512, c.batchSize());
    assertEquals(0.125f, c.temperature());
    assertEquals(0.003f, c.learningRate());
    assertEquals(LearningRateSchedule.Decay.LINEAR, c.learningRateDecay());
    assertEquals(0.1f, c.initStd());
    assertEquals(InfoNceSpec.biInfoNce(), c.objective());
    assertEquals(new InBatchSamplerSpec(), c.sampler());
    assertEquals(OptimizerKind.ADAM, c.optimizer());
    assertEquals(Scorer.Kind.COSINE, c.scorer());
    assertEquals(0.9f, c.objective().correctionWeight());
    assertEquals(Scorer.cosine(0.125f), c.toScorer());
  }

  @Test
  void invalidFieldsAreRejectedByName() {
    TrainConfig c = TrainConfig.defaults();
    assertMessage("dim", () -> c.withDim(0));
    assertMessage("dim", () -> c.withDim(TrainConfig.MAX_DIM + 1));
    assertMessage("learningRate", () -> c.withLearningRate(Float.NaN));
    assertMessage("temperature", () -> c.withTemperature(-1f));
    assertMessage("l2", () -> c.withL2(-0.1f));
    assertMessage("beta2", () -> c.withBeta2(1f));
    assertMessage("threads", () -> c.withThreads(0));
    assertMessage("batchSize", () -> c.withBatchSize(TrainConfig.MAX_BLOCK + 1));
    assertMessage("patience", () -> c.withPatience(-1));
    assertMessage("evalEveryRecords", () -> c.withEvalEveryRecords(-5));
    assertMessage("--extra-negatives", () -> new MixedSamplerSpec(0));
    assertMessage(
        "--batch-size 512 with --sampler mixed",
        () -> c.withSampler(new MixedSamplerSpec(46_340 - 511)));
    assertMessage("--logq-weight", () -> InfoNceSpec.biInfoNce().withLogQWeight(-0.5f));
    assertMessage("--logq-weight", () -> InfoNceSpec.biInfoNce().withLogQWeight(Float.NaN));
    assertMessage("--logq-weight", () -> InfoNceSpec.biInfoNce().withLogQWeight(11f));
    assertMessage("--weight-temperature", () -> new ImportanceBprSpec(0f));
    assertMessage("--weight-temperature", () -> new ImportanceBprSpec(Float.NaN));
  }

  private static void assertMessage(String field, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().startsWith(field + " "), ex.getMessage());
  }

  @Test
  void objectivesAndSamplersParseTheirNamesAndParameters() {
    assertEquals(InfoNceSpec.biInfoNce(), ObjectiveSpec.parse("bi-infonce", Params.none()));
    assertEquals(
        new InfoNceSpec(InfoNceLoss.Direction.U2I, false, 0.9f),
        ObjectiveSpec.parse("infonce-u2i", Params.of(Map.of("logq", "false"))));
    assertEquals(
        new InfoNceSpec(InfoNceLoss.Direction.I2U, true, 1.5f),
        ObjectiveSpec.parse("infonce-i2u", Params.of(Map.of("logq-weight", "1.5"))));
    assertEquals(
        new MixedSamplerSpec(64),
        SamplerSpec.parse("mixed", Params.of(Map.of("extra-negatives", "64"))));
    assertEquals(new ImportanceBprSpec(1f), ObjectiveSpec.parse("is-bpr", Params.none()));
    assertEquals(
        new ImportanceBprSpec(2.5f),
        ObjectiveSpec.parse("is-bpr", Params.of(Map.of("weight-temperature", "2.5"))));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> ObjectiveSpec.parse("frobnicate", Params.none()));
    assertEquals(
        "--objective must be one of "
            + String.join(", ", ObjectiveSpec.types().stream().map(SpecType::name).toList())
            + "; got \"frobnicate\"",
        unknown.getMessage());
    assertTrue(
        unknown
            .getMessage()
            .startsWith("--objective must be one of bi-infonce, infonce-u2i, infonce-i2u, "),
        unknown.getMessage());
    IllegalArgumentException foreign =
        assertThrows(
            IllegalArgumentException.class,
            () -> SamplerSpec.parse("in-batch", Params.of(Map.of("extra-negatives", "64"))));
    assertEquals("--extra-negatives does not apply to --sampler in-batch", foreign.getMessage());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> ObjectiveSpec.parse("bi-infonce", Params.of(Map.of("logq-weight", "x"))));
    assertEquals("--logq-weight must be a number, got \"x\"", bad.getMessage());
  }

  @Test
  void everyMethodHasAUniqueNameAndADescription() {
    Set<String> names = new HashSet<>();
    for (SpecType<?> t : List.<SpecType<?>>copyOf(ObjectiveSpec.types())) {
      assertTrue(names.add("objective " + t.name()), t.name());
      assertTrue(t.description().length() > 20, t.name());
    }
    for (SpecType<?> t : List.<SpecType<?>>copyOf(SamplerSpec.types())) {
      assertTrue(names.add("sampler " + t.name()), t.name());
      assertTrue(t.description().length() > 20, t.name());
    }
    // every objective's default sampler exists and fits it
    for (SpecType<ObjectiveSpec> t : ObjectiveSpec.types()) {
      ObjectiveSpec o = t.parse(Params.none(), "--objective");
      SamplerSpec s = SamplerSpec.parse(o.defaultSampler(), Params.none());
      assertTrue(o.layouts().contains(s.layout()), t.name());
    }
  }

  /** Every objective and sampler, with non-default parameters, survives toMap → JSON → fromMap. */
  @Test
  void everySpecRoundTripsThroughTheMetadataJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (SpecType<ObjectiveSpec> ot : ObjectiveSpec.types()) {
      for (SpecType<SamplerSpec> st : SamplerSpec.types()) {
        ObjectiveSpec o = ot.parse(Params.none(), "--objective");
        SamplerSpec s = st.parse(Params.none(), "--sampler");
        if (!o.layouts().contains(s.layout()) || s.objectiveProblem(o) != null) {
          continue;
        }
        TrainConfig d = TrainConfig.defaults();
        TrainConfig base = d.withModel(d.model().withScorer(o.preferredScorer()));
        if (o.modelProblem(base.model()) != null) {
          base = base.withTemperature(1f); // ccl: raw cosine scores
        }
        if (s.modelProblem(base.model()) != null) {
          base =
              base.withScorer(org.totalrecall.model.Scorer.Kind.DOT); // aobpr: dot-product factors
          if (o.modelProblem(base.model()) != null) {
            continue;
          }
        }
        TrainConfig c =
            base.withMethod(o, s)
                .withDim(24)
                .withSeed(-7)
                .withOptimizer(OptimizerKind.SGD)
                .withLearningRateDecay(LearningRateSchedule.Decay.CONSTANT)
                .withPatience(2)
                .withL2(0.01f)
                .withUpdate(new SidedUpdateSpec(false, true));
        @SuppressWarnings("unchecked")
        Map<String, Object> back =
            json.readValue(json.writeValueAsString(c.toMap()), LinkedHashMap.class);
        assertEquals(c, TrainConfig.fromMap(back), ot.name() + " + " + st.name());
      }
    }
    for (String sampler : new String[] {"uniform", "popularity"}) {
      TrainConfig shared =
          TrainConfig.defaults()
              .withMethod(
                  ObjectiveSpec.parse("sampled-softmax", Params.none()),
                  SamplerSpec.parse(sampler, Params.of(Map.of("shared", "64"))));
      @SuppressWarnings("unchecked")
      Map<String, Object> sharedBack =
          json.readValue(json.writeValueAsString(shared.toMap()), LinkedHashMap.class);
      assertEquals(shared, TrainConfig.fromMap(sharedBack));
    }
    TrainConfig alpha =
        TrainConfig.defaults()
            .withObjective(new InfoNceSpec(InfoNceLoss.Direction.U2I, false, 1.75f))
            .withSampler(new MixedSamplerSpec(100));
    @SuppressWarnings("unchecked")
    Map<String, Object> back =
        json.readValue(json.writeValueAsString(alpha.toMap()), LinkedHashMap.class);
    assertEquals(alpha, TrainConfig.fromMap(back));
    for (String weight : new String[] {"auc", "top:7", "harmonic"}) {
      TrainConfig warp =
          TrainConfig.defaults()
              .withScorer(org.totalrecall.model.Scorer.Kind.GMF)
              .withMethod(
                  ObjectiveSpec.parse(
                      "warp", Params.of(Map.of("rank-weight", weight, "margin", "0.5"))),
                  SamplerSpec.parse("uniform", Params.of(Map.of("ratio", "0:16"))));
      @SuppressWarnings("unchecked")
      Map<String, Object> warpBack =
          json.readValue(json.writeValueAsString(warp.toMap()), LinkedHashMap.class);
      assertEquals(warp, TrainConfig.fromMap(warpBack), weight);
    }
  }

  @Test
  void birServesOnlyTheInfoNceObjectivesWithAU2iSoftmax() {
    SamplerSpec bir = SamplerSpec.parse("bir", Params.of(Map.of("draws", "64")));
    assertEquals(new BirSamplerSpec(64), bir);
    for (String ok : new String[] {"bi-infonce", "infonce-u2i"}) {
      TrainConfig c =
          TrainConfig.defaults().withMethod(ObjectiveSpec.parse(ok, Params.none()), bir);
      assertEquals(bir, c.sampler(), ok);
    }
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainConfig.defaults()
                    .withMethod(ObjectiveSpec.parse("infonce-i2u", Params.none()), bir));
    assertEquals(
        "--sampler bir resamples the items of a u2i softmax: use --objective bi-infonce or"
            + " infonce-u2i, not infonce-i2u",
        bad.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> SamplerSpec.parse("bir", Params.of(Map.of("draws", "0"))));
  }

  @Test
  void toMapNamesMethodsAndEnumsByCliName() {
    var m = TrainConfig.defaults().withOptimizer(OptimizerKind.SGD).toMap();
    assertEquals(
        Map.of("name", "bi-infonce", "logq", true, "logq-weight", 0.9), m.get("objective"));
    assertEquals(Map.of("name", "in-batch"), m.get("sampler"));
    assertEquals("sgd", ((Map<?, ?>) m.get("optimizer")).get("name"));
    assertEquals("cosine", ((Map<?, ?>) m.get("model")).get("scorer"));
  }
}
