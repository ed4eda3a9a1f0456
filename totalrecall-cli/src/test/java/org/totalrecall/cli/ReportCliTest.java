package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.SyntheticData;
import org.w3c.dom.Document;

/**
 * {@code report} and {@code train --report}: the page and its charts exist, every PNG decodes to a
 * non-blank image, every SVG parses as SVG, the page embeds every chart and shows the metrics of
 * both directions; {@code --compare} puts two models on one page; bad flags are usage errors.
 */
class ReportCliTest {
  @TempDir static Path dir;
  static Path ncf;
  static Path a;
  static Path b;

  @BeforeAll
  static void train() throws IOException {
    ncf = dir.resolve("syn-ncf");
    NcfWriter.write(
        SyntheticData.generate(new SyntheticData.Spec(300, 200, 5, 12, 0.9, 9L)),
        ncf,
        "syn",
        99,
        4L);
    a = dir.resolve("a.trm");
    b = dir.resolve("b.trm");
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--dim",
            "16",
            "--epochs",
            "4",
            "--threads",
            "1",
            "--validation",
            "--model",
            a.toString(),
            "--report",
            dir.resolve("train-report").toString());
    assertEquals(0, r.exitCode(), r.toString());
    r =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--dim",
            "16",
            "--epochs",
            "3",
            "--threads",
            "1",
            "--objective",
            "bpr",
            "--validation",
            "--model",
            b.toString());
    assertEquals(0, r.exitCode(), r.toString());
  }

  /** Checks every chart of a report directory; returns the chart stems. */
  static List<String> checkCharts(Path out) throws Exception {
    List<String> stems = new ArrayList<>();
    try (var files = Files.list(out)) {
      for (Path p : files.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".png")) {
          byte[] bytes = Files.readAllBytes(p);
          assertEquals("\u0089PNG", new String(bytes, 0, 4, StandardCharsets.ISO_8859_1), name);
          BufferedImage img = ImageIO.read(p.toFile());
          assertNotNull(img, name);
          assertTrue(img.getWidth() >= 400 && img.getHeight() >= 200, name);
          assertTrue(distinctColours(img) > 3, name + " is blank");
          stems.add(name.substring(0, name.length() - 4));
          Path svg = out.resolve(stems.get(stems.size() - 1) + ".svg");
          assertTrue(Files.exists(svg), svg + " missing");
          DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
          f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
          Document d = f.newDocumentBuilder().parse(svg.toFile());
          assertEquals("svg", d.getDocumentElement().getNodeName(), svg.toString());
          assertTrue(
              d.getElementsByTagName("path").getLength()
                      + d.getElementsByTagName("text").getLength()
                  > 10,
              svg.toString());
        }
      }
    }
    String html = Files.readString(out.resolve("index.html"));
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    int embedded = 0;
    while (m.find()) {
      BufferedImage img =
          ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
      assertNotNull(img);
      embedded++;
    }
    assertEquals(stems.size(), embedded, "every chart is embedded in the page");
    assertTrue(!html.contains("<script"), "the page runs no script");
    return stems;
  }

  private static int distinctColours(BufferedImage img) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) {
      for (int x = 0; x < img.getWidth(); x += 7) {
        seen.add(img.getRGB(x, y));
      }
    }
    return seen.size();
  }

  @Test
  void trainReportHasCurvesBothDirectionsAndCandidates() throws Exception {
    Path out = dir.resolve("train-report");
    List<String> stems = checkCharts(out);
    assertTrue(
        stems.containsAll(
            List.of("loss", "validation-ndcg-10", "popularity-items", "popularity-users")),
        stems.toString());
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(
        html.contains(">u2i (sampled)</th>") && html.contains(">i2u (full)</th>"),
        "both directions");
    assertTrue(html.contains("<td class=\"k\">ndcg@10</td>"));
    assertTrue(html.contains("id=\"candidates\""));
  }

  @Test
  void reportComparesModelsOnOnePage() throws Exception {
    Path out = dir.resolve("compare");
    CliRunner.Result r =
        CliRunner.run(
            "report",
            "--compare",
            a.toString(),
            b.toString(),
            "--data",
            ncf.toString(),
            "--out",
            out.toString(),
            "--k",
            "10",
            "--json",
            "--threads",
            "1");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.json().get("files").size() >= 9, r.toString());
    checkCharts(out);
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(
        html.contains("a.trm u2i (sampled)") && html.contains("b.trm u2i (sampled)"),
        "tables side by side");
    Path one = dir.resolve("one");
    r =
        CliRunner.run(
            "report",
            "--model",
            b.toString(),
            "--data",
            ncf.toString(),
            "--out",
            one.toString(),
            "--protocol",
            "ncf");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(Files.readString(one.resolve("index.html")).contains("protocol <code>ncf</code>"));
    r =
        CliRunner.run(
            "report",
            "--model",
            b.toString(),
            "--data",
            ncf.toString(),
            "--out",
            one.toString(),
            "--protocol",
            "loo");
    assertEquals(
        ExitCodes.DATA,
        r.exitCode(),
        "another protocol's test part overlaps the model's training data\n" + r);
  }

  @Test
  void badFlagsAreUsageErrors() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    String[][] cases = {
      {"report", "--data", ncf.toString(), "--out", dir.resolve("x").toString()},
      {
        "report",
        "--model",
        a.toString(),
        "--compare",
        a.toString(),
        b.toString(),
        "--data",
        ncf.toString(),
        "--out",
        "x"
      },
      {"report", "--compare", a.toString(), "--data", ncf.toString(), "--out", "x"},
      {"report", "--model", a.toString(), "--data", ncf.toString(), "--out", file.toString()},
      {"report", "--model", a.toString(), "--data", ncf.toString(), "--out", "x", "--k", "0"},
      {
        "train",
        "--data",
        ncf.toString(),
        "--model",
        dir.resolve("c.trm").toString(),
        "--report",
        file.toString()
      },
    };
    for (String[] c : cases) {
      CliRunner.Result r = CliRunner.run(c);
      assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", c) + "\n" + r);
      assertEquals(1, r.err().strip().lines().count(), r.toString());
    }
  }
}
