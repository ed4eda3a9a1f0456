package org.totalrecall.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;

class GoldenModelFileTest {
  @Test
  void versionOneGoldenFileKeepsLoadingWithTheRecipeValues()
      throws IOException, URISyntaxException {
    URL url = GoldenModelFileTest.class.getResource(GoldenModelFile.RESOURCE_V1);
    assertNotNull(
        url, "golden file " + GoldenModelFile.RESOURCE_V1 + " missing from test resources");
    FactorModel m = ModelFormat.read(Path.of(url.toURI()));

    assertEquals(GoldenModelFile.DIM, m.dim());
    assertEquals(GoldenModelFile.USER_IDS, m.userIds().ids());
    assertEquals(GoldenModelFile.NUM_ITEMS, m.numItems());
    assertEquals("3", m.itemIds().idOf(3));
    assertEquals(Scorer.cosine(0.25f), m.scorer());
    for (int r = 0; r < m.numUsers(); r++) {
      for (int k = 0; k < m.dim(); k++) {
        assertEquals(
            Float.floatToRawIntBits(GoldenModelFile.userValue(r, k)),
            Float.floatToRawIntBits(m.userTable().get(r, k)),
            "user " + r + " dim " + k);
      }
    }
    for (int r = 0; r < m.numItems(); r++) {
      for (int k = 0; k < m.dim(); k++) {
        assertEquals(
            GoldenModelFile.itemValue(r, k), m.itemTable().get(r, k), "item " + r + " dim " + k);
      }
    }
    assertEquals(5, m.seen().size());
    assertEquals(List.of(0, 2), List.of(m.seen().cols()[0], m.seen().cols()[1]));
    assertEquals(0, m.seen().rowLength(2));
    assertEquals(2, m.seen().rowLength(3));
    Map<String, Object> meta = m.metadata();
    assertEquals("BI_INFONCE", meta.get("objective"));
    assertEquals(Map.of("dim", 3, "lr", 0.01), meta.get("config"));
    assertEquals(Map.of("ndcg@10", 0.5), ((Map<?, ?>) meta.get("summary")).get("bestValidation"));
    assertEquals(List.of("a", "b"), meta.get("tags"));
  }

  @Test
  void versionTwoGoldenFileLoadsTheGmfScorerWithItsWeights()
      throws IOException, URISyntaxException {
    URL url = GoldenModelFileTest.class.getResource(GoldenModelFile.RESOURCE_V2);
    assertNotNull(
        url, "golden file " + GoldenModelFile.RESOURCE_V2 + " missing from test resources");
    FactorModel m = ModelFormat.read(Path.of(url.toURI()));

    assertEquals(Scorer.gmf(GoldenModelFile.GMF_WEIGHTS), m.scorer());
    assertEquals(GoldenModelFile.USER_IDS, m.userIds().ids());
    for (int r = 0; r < m.numUsers(); r++) {
      for (int k = 0; k < m.dim(); k++) {
        assertEquals(
            Float.floatToRawIntBits(GoldenModelFile.userValue(r, k)),
            Float.floatToRawIntBits(m.userTable().get(r, k)),
            "user " + r + " dim " + k);
      }
    }
    for (int r = 0; r < m.numItems(); r++) {
      for (int k = 0; k < m.dim(); k++) {
        assertEquals(
            GoldenModelFile.itemValue(r, k), m.itemTable().get(r, k), "item " + r + " dim " + k);
      }
    }
    // φ(alice, item 0) = Σ h_k u_k i_k = 0.5·0.5·1 + (−1)·0.25·0 + 2·0·0 = 0.25
    assertEquals(0.25f, m.score(0, 0), 1e-7f);
    assertEquals(5, m.seen().size());
    assertEquals("golden model, format version 2", m.metadata().get("note"));
  }
}
