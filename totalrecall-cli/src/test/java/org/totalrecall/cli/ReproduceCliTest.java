package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce}: one real row (iALS of TotalRecall Table 1 on ML-1M, which trains in seconds)
 * gives ours, the published figure and their difference in all three outputs; the row registry is
 * well formed; bad flags are errors. Skipped with a message without ../shared/data.
 */
class ReproduceCliTest {
  @TempDir Path dir;

  private static Path dataRoot() {
    for (String p : List.of("../../shared/data", "../shared/data")) {
      if (Files.isDirectory(Path.of(p, "ml-1m-ncf"))) {
        return Path.of(p);
      }
    }
    return null;
  }

  @Test
  void theIalsRowOfTable1RunsAndIsComparedWithThePaper() throws IOException {
    Path root = dataRoot();
    Assumptions.assumeTrue(
        root != null, "../shared/data/ml-1m-ncf is absent: the reproduce test is skipped");
    CliRunner.Result r =
        CliRunner.run(
            "reproduce",
            "--quick",
            "--only",
            "t1-ials",
            "--data-root",
            root.toString(),
            "--out",
            dir.toString(),
            "--json",
            "--threads",
            "2");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode row = r.json().get("rows").get(0);
    assertEquals("t1-ials", row.get("id").asText());
    assertEquals("ok", row.get("status").asText());
    double hr = row.get("ours").get("hr@10").asDouble();
    assertTrue(hr > 0.68 && hr < 0.76, "iALS on ML-1M: HR@10 " + hr);
    assertEquals(0.7109, row.get("published").get("hr@10").asDouble(), 1e-12);
    String md = Files.readString(dir.resolve("reproduce.md"));
    assertTrue(
        md.contains(
            "| TotalRecall (000) Table 1 | iALS (Dacrema et al. 2021) | ml-1m-ncf / ncf | hr@10 | "),
        md);
    assertTrue(md.contains(" | 0.7109 | +") || md.contains(" | 0.7109 | -"), md);
    assertTrue(Files.readString(dir.resolve("index.html")).contains("iALS (Dacrema et al. 2021)"));
    assertTrue(Files.exists(dir.resolve("results.json")));
  }

  @Test
  void everyRowIsWellFormed() {
    Set<String> ids = new HashSet<>();
    for (PaperRows.Row row : PaperRows.ROWS) {
      assertTrue(ids.add(row.id()), "duplicate id " + row.id());
      assertTrue(
          !row.published().isEmpty() && row.quickEpochs() >= 1 && row.quickEpochs() <= row.epochs(),
          row.id());
      assertTrue(List.of("ml-1m-ncf", "ml-1m", "gowalla").contains(row.data()), row.id());
      boolean trainsHere =
          PaperRows.ROWS.stream()
              .filter(x -> x.model().equals(row.model()))
              .findFirst()
              .orElseThrow()
              .equals(row);
      assertTrue(
          !trainsHere || row.train().contains("--objective"),
          row.id() + " trains the model and names its objective");
    }
  }

  @Test
  void badFlagsAreErrors() {
    CliRunner.Result r = CliRunner.run("reproduce", "--only", "nope", "--out", dir.toString());
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.err().contains("matches no row"), r.toString());
    r =
        CliRunner.run(
            "reproduce",
            "--only",
            "t1-ials",
            "--data-root",
            dir.resolve("absent").toString(),
            "--out",
            dir.toString());
    assertEquals(ExitCodes.NO_INPUT, r.exitCode(), r.toString());
  }
}
