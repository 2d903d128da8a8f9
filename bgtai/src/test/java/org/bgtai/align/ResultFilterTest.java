package org.bgtai.align;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ResultFilterTest {
    @Test
    void thresholdIsThe95thPercentileOfTrueCosts() {
        // costs 0.01 .. 1.00 in shuffled order: numpy.quantile(c, 0.95) = 0.95 + 0.05 * 0.01 = 0.9505
        double[] c = new double[100];
        for (int i = 0; i < 100; i++) c[i] = ((i * 37) % 100 + 1) / 100.0;
        double thr = ResultFilter.calibrate(c, 0.95);
        assertEquals(0.9505, thr, 1e-12);
        int above = 0;
        for (double v : c) if (v > thr) above++;
        assertEquals(5, above, "5% of the calibration pairs lie above the threshold");
        assertEquals(1.0, ResultFilter.calibrate(c, 1.0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ResultFilter.calibrate(new double[0], 0.95));
    }

    @Test
    void rerankMovesRejectedTopResultsToTheEnd() {
        int[] ranking = {3, 1, 4, 0, 2};
        assertArrayEquals(new int[] {3, 4, 0, 2, 1}, ResultFilter.rerank(ranking, 3, g -> g == 1));
        // only the top k are checked: 0 is rejected but ranked 4th
        assertArrayEquals(new int[] {3, 1, 4, 0, 2}, ResultFilter.rerank(ranking, 3, g -> g == 0));
        assertArrayEquals(new int[] {0, 2, 3, 1, 4}, ResultFilter.rerank(ranking, 10, g -> g == 3 || g == 1 || g == 4));
    }

    @Test
    void filteringRecoversTheRightResultWhenTheWrongOneAlignsBadly() {
        // query 0 (label 7) is nearest to gallery 0 (label 5), then gallery 1 (label 7)
        float[][] q = {{1, 0}, {0, 1}};
        float[][] g = {{1, 0.1f}, {1, 0.3f}, {0, 1}};
        int[] ql = {7, 9}, gl = {5, 7, 9};
        // cost: high when labels differ
        ResultFilter.Cost cost = (qi, gi) -> ql[qi] == gl[gi] ? 0.1 : 0.9;
        var plain = ResultFilter.retrieve(q, ql, g, gl, 3, Double.POSITIVE_INFINITY, cost);
        assertEquals(0.5, plain.scores().r1(), 1e-12);
        assertEquals(0.0, plain.rejected(), 1e-12);
        var f = ResultFilter.retrieve(q, ql, g, gl, 3, 0.5, cost);
        assertEquals(1.0, f.scores().r1(), 1e-12);
        assertEquals(1.0, f.scores().mrr(), 1e-12);
        // 6 checked results (3 per query), 4 with another label
        assertEquals(4.0 / 6, f.rejected(), 1e-12);
    }

    @Test
    void operatingPointsAndTheRiskCoverageCurve() {
        double[] cost = {0.1, 0.4, 0.2, 0.9, 0.4};
        boolean[] ok = {true, false, true, false, true};
        var all = ResultFilter.at(cost, ok, Double.POSITIVE_INFINITY);
        assertEquals(1.0, all.coverage(), 0);
        assertEquals(0.6, all.precisionAt1(), 1e-12);
        var half = ResultFilter.at(cost, ok, 0.4);   // keeps 0.1, 0.4, 0.2, 0.4: 3 of 4 right
        assertEquals(0.8, half.coverage(), 1e-12);
        assertEquals(0.75, half.precisionAt1(), 1e-12);
        assertTrue(Double.isNaN(ResultFilter.at(cost, ok, 0.05).precisionAt1()), "nothing kept");
        var curve = ResultFilter.riskCoverage(cost, ok);
        // thresholds 0.1, 0.2, 0.4 (both 0.4 at once), 0.9
        assertEquals(4, curve.size());
        assertEquals(0.2, curve.get(0).coverage(), 1e-12);
        assertEquals(1.0, curve.get(0).precisionAt1(), 1e-12);
        assertEquals(0.4, curve.get(1).coverage(), 1e-12);
        assertEquals(half, curve.get(2));
        assertEquals(all.precisionAt1(), curve.get(3).precisionAt1(), 1e-12);
    }

    @Test
    void queryCostsReadModelOutputsOnly() {
        var s = org.bgtai.testing.TinyWorld.of();
        var model = new org.bgtai.model.JointModel(org.bgtai.testing.TinyWorld.BGTAI, s.text(), s.gloss(), new org.bgtai.tensor.Rng(5));
        JointAlignment ja = new JointAlignment(AlignConfig.OFF.withCe(0.2), s.paths(), s.gloss().size(), org.bgtai.testing.TinyWorld.BGTAI.dModel(),
            new org.bgtai.tensor.Rng(9));
        double[] costs = ja.queryCosts(model, s.train(), 4);
        // the same queries with their gold gloss, text, image and label wiped: the filter never reads them
        org.bgtai.model.Prepared[] blind = new org.bgtai.model.Prepared[s.train().length];
        for (int i = 0; i < blind.length; i++) {
            var p = s.train()[i];
            blind[i] = new org.bgtai.model.Prepared(p.mel(), p.frames(), new float[p.image().length], new int[p.text().length], new int[p.gloss().length], -1);
        }
        assertArrayEquals(costs, ja.queryCosts(model, blind, 4), 0.0);
        for (double c : costs) assertTrue(c >= 0 && c <= 1, "a cost is 1 - confidence: " + c);
    }
}
