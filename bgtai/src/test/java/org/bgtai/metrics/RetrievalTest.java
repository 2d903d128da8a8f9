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
        assertEquals(1.0, Retrieval.recallAt(new float[][] {{1, 0}}, new int[] {1}, g, gl, 1), 0);
        assertEquals(2.0 / 3, Retrieval.recallAt(q, ql, g, gl, 2), 1e-12);
    }

    @Test
    void tiedItemsCountAsInARandomOrder() {
        // every gallery item has the same embedding (a collapsed model): one relevant item among three tied
        float[][] same = {{1, 1}, {1, 1}, {1, 1}};
        int[] gl = {0, 1, 2};
        float[][] q = {{0.3f, 1}, {1, 0.2f}, {1, 1}};
        int[] ql = {0, 1, 2};
        Retrieval.Scores s = Retrieval.retrieve(q, ql, same, gl);
        // the relevant item is first, second or third with probability 1/3 each: chance, not 0 and not 1
        assertEquals(1.0 / 3, s.r1(), 1e-12);
        assertEquals(1.0, s.r5(), 1e-12);
        assertEquals((1.0 + 1.0 / 2 + 1.0 / 3) / 3, s.mrr(), 1e-12);
        assertEquals(2.0 / 3, Retrieval.recallAt(q, ql, same, gl, 2), 1e-12);
        // two relevant items tied with one irrelevant: first with probability 2/3
        assertEquals(2.0 / 3, Retrieval.retrieve(new float[][] {{1, 1}}, new int[] {0}, same, new int[] {0, 0, 1}).r1(), 1e-12);
        // per-query ranks never credit a tie
        assertArrayEquals(new int[] {3, 3, 3}, Retrieval.ranks(q, ql, same, gl));
        // zero-shot: classes 0 and 1 share one embedding, so each of their queries is right half the time
        float[][] classes = {{1, 0}, {1, 0}, {0, 1}};
        assertEquals((0.5 + 0.5 + 1) / 3, Retrieval.zeroShot(new float[][] {{1, 0}, {1, 0.1f}, {0, 1}}, new int[] {0, 1, 2}, classes), 1e-12);
        // distinct classes: argmax
        assertEquals(1.0, Retrieval.zeroShot(new float[][] {{1, 0.1f}, {0.1f, 1}}, new int[] {0, 1}, new float[][] {{1, 0}, {0, 1}}), 0);
    }
}
