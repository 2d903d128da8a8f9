package org.bgtai.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** {@link Retrieval#retrieve}, {@link Retrieval#ranks} and {@link Retrieval#zeroShot} on hand-made embeddings, ties included. */
class RetrievalTest {
    @Test
    void ranksCountIrrelevantItemsAboveTheBestRelevantOne() {
        // query along x; gallery at angles 0, 30, 60, 90 degrees with labels 1, 0, 0, 1
        float[][] g = {{1, 0}, {0.866f, 0.5f}, {0.5f, 0.866f}, {0, 1}};
        int[] gl = {1, 0, 0, 1};
        float[][] q = {{1, 0}, {0, 1}, {0.7f, 0.7f}};
        int[] ql = {0, 0, 2};
        // query 0 (label 0): item 0 (label 1) is above item 1 -> rank 2; query 1: item 3 (label 1) above item 2 -> rank 2; label 2: no relevant item
        assertArrayEquals(new int[] {2, 2, Integer.MAX_VALUE}, Retrieval.ranks(q, ql, g, gl));
        Retrieval.Scores s = Retrieval.retrieve(q, ql, g, gl);
        assertEquals(0, s.r1(), 0);
        assertEquals(2.0 / 3, s.r5(), 1e-12);
        assertEquals((0.5 + 0.5) / 3, s.mrr(), 1e-12);
        assertEquals(1.0, Retrieval.recallAt(Retrieval.ranks(new float[][] {{1, 0}}, new int[] {1}, g, gl), 1), 0);
    }

    @Test
    void tiesCountAgainstTheQuery() {
        // every gallery item has the same embedding (a collapsed model): no query is ranked first
        float[][] same = {{1, 1}, {1, 1}, {1, 1}};
        int[] gl = {0, 1, 2};
        float[][] q = {{0.3f, 1}, {1, 0.2f}, {1, 1}};
        int[] ql = {0, 1, 2};
        assertArrayEquals(new int[] {3, 3, 3}, Retrieval.ranks(q, ql, same, gl));
        assertEquals(0, Retrieval.retrieve(q, ql, same, gl).r1(), 0);
        // zero-shot: two classes with one embedding; queries of either class are misses, the third class is found
        float[][] classes = {{1, 0}, {1, 0}, {0, 1}};
        assertEquals(1.0 / 3, Retrieval.zeroShot(new float[][] {{1, 0}, {1, 0.1f}, {0, 1}}, new int[] {0, 1, 2}, classes), 1e-12);
        // distinct classes: argmax
        assertEquals(1.0, Retrieval.zeroShot(new float[][] {{1, 0.1f}, {0.1f, 1}}, new int[] {0, 1}, new float[][] {{1, 0}, {0, 1}}), 0);
    }
}
