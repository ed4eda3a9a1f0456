package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
  @Test
  void demoRecoversThePlantedClustersInBothDirections() {
    CliRunner.Result r = CliRunner.run("demo", "--json", "--epochs", "2", "--threads", "2");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode doc = r.json();
    JsonNode planted = doc.get("plantedStructure");
    double chance = planted.get("chance").asDouble();
    // chance is 1/10: a model that learned the clusters puts most of every top-10 in them
    assertTrue(planted.get("u2iInClusterShareAt10").asDouble() > 5 * chance, planted.toString());
    assertTrue(planted.get("i2uInClusterShareAt10").asDouble() > 5 * chance, planted.toString());
    assertTrue(planted.get("recovered").asBoolean());
    JsonNode metrics = doc.get("evaluation").get("metrics");
    assertTrue(
        metrics.get("hr@10").asDouble() > 0.05, metrics.toString()); // random: 10 / 1000 items
    assertEquals(2, doc.get("examples").get("recommendations").size());
    assertEquals(10, doc.get("examples").get("groupAudience").get("results").size());
  }

  @Test
  void demoPrintsAReadableReport() {
    CliRunner.Result r = CliRunner.run("demo", "--quiet", "--epochs", "1", "--threads", "2");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("top 10 items for user u0"), r.out());
    assertTrue(r.out().contains("planted clusters:"), r.out());
  }
}
