package org.bgtai.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Retrieval#cosine}: the similarity the retrieve command and the l2g-audio experiment print. */
class RetrievalCosineTest {
    @Test
    void cosineOfKnownPairs() {
        assertEquals(1.0, Retrieval.cosine(new float[] {1, 2, 3}, new float[] {2, 4, 6}), 1e-12);
        assertEquals(-1.0, Retrieval.cosine(new float[] {1, 0}, new float[] {-3, 0}), 1e-12);
        assertEquals(0.0, Retrieval.cosine(new float[] {1, 0}, new float[] {0, 5}), 1e-12);
        assertEquals(0.6, Retrieval.cosine(new float[] {3, 4}, new float[] {1, 0}), 1e-12);
        assertEquals(0.0, Retrieval.cosine(new float[] {0, 0}, new float[] {1, 1}), 0);
    }

    @Test
    void cosineOrdersLikeTopK() {
        float[] q = {0.3f, -1.2f, 0.7f};
        float[][] g = {{1, 0, 0}, {0.2f, -1, 0.5f}, {-1, 1, 0}, {0.3f, -1.1f, 0.9f}};
        int[] top = Retrieval.topK(q, g, g.length);
        for (int i = 1; i < top.length; i++) {
            double prev = Retrieval.cosine(q, g[top[i - 1]]), cur = Retrieval.cosine(q, g[top[i]]);
            org.junit.jupiter.api.Assertions.assertTrue(prev >= cur - 1e-7, "rank " + i + ": " + prev + " < " + cur);
        }
    }
}
