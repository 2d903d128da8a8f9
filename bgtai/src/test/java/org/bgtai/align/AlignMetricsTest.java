package org.bgtai.align;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class AlignMetricsTest {
    @Test
    void frameAccuracyCountsMatchingFrames() {
        assertEquals(0.75, AlignMetrics.frameAccuracy(new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> AlignMetrics.frameAccuracy(new int[] {0}, new int[] {0, 1}));
    }

    @Test
    void labelsOfSpans() {
        assertArrayEquals(new int[] {0, 0, 1, 2, 2}, AlignMetrics.labels(new int[] {0, 2, 3}, new int[] {2, 3, 5}, 5));
    }

    @Test
    void boundaryErrorIsDistanceToTheGap() {
        // frames of 20 ms; gaps [100, 200] ms and [400, 420] ms
        double[] s = {0, 200, 420}, e = {100, 400, 600};
        // boundary 1 at (6 - 0.5) * 20 = 110 ms: inside gap -> 0; boundary 2 at (25 - 0.5) * 20 = 490 ms -> 70 ms
        assertEquals(35.0, AlignMetrics.boundaryErrorMs(new int[] {0, 6, 25}, 20, s, e), 1e-9);
        // boundary before the gap: (3 - 0.5) * 20 = 50 -> 50 ms short of 100
        assertEquals(50.0, AlignMetrics.boundaryErrorMs(new int[] {0, 3}, 20, new double[] {0, 200}, new double[] {100, 300}), 1e-9);
        assertTrue(Double.isNaN(AlignMetrics.boundaryErrorMs(new int[] {0}, 20, new double[] {0}, new double[] {100})));
    }

    @Test
    void truthLabelsSplitAtGapMidpoints() {
        // clips [0,100) and [200,300) ms: midpoint 150 ms; frames at 0, 50, ..., 250
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, AlignMetrics.truthLabels(6, 50, new double[] {0, 200}, new double[] {100, 300}));
    }

    @Test
    void quantileAndRejection() {
        double[] v = {4, 1, 3, 2, 5};
        assertEquals(3.0, AlignMetrics.quantile(v, 0.5), 1e-12);
        assertEquals(4.8, AlignMetrics.quantile(v, 0.95), 1e-12); // numpy.quantile([1..5], 0.95)
        assertEquals(0.2, AlignMetrics.rejectionRate(v, 4.8), 1e-12);
        assertEquals(0.0, AlignMetrics.rejectionRate(v, 5), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> AlignMetrics.quantile(v, 1.5));
    }

    @Test
    void meanStdIgnoresNaN() {
        double[] ms = AlignMetrics.meanStd(new double[] {1, 3, Double.NaN});
        assertEquals(2.0, ms[0], 1e-12);
        assertEquals(Math.sqrt(2), ms[1], 1e-12);
    }

    @Test
    void tilingSplitsSkippedRunsAtTheirMiddle() {
        // selection: skip, 0 0, skip x4, 1, skip x3, 2, skip
        int[] sel = {-1, 0, 0, -1, -1, -1, -1, 1, -1, -1, -1, 2, -1};
        var s = AlignMetrics.tiling(sel, 3);
        // leading run to token 0; the run of 4 between 0 and 1: 2 to each; the run of 3 between 1 and 2: 1 to token 1, 2 to token 2; trailing to 2
        assertArrayEquals(new int[] {0, 5, 9}, s.starts());
        assertArrayEquals(new int[] {5, 9, 13}, s.ends());
        // the same convention as the truth: extents [1, 3) and [7, 8) columns (centres), gap 3..6 split at its middle
        int[] truth = AlignMetrics.truthLabels(9, 1, new double[] {0.5, 6.5}, new double[] {2.5, 7.5});
        assertArrayEquals(AlignMetrics.labels(AlignMetrics.tiling(new int[] {-1, 0, 0, -1, -1, -1, -1, 1, -1}, 2).starts(),
            AlignMetrics.tiling(new int[] {-1, 0, 0, -1, -1, -1, -1, 1, -1}, 2).ends(), 9), truth);
        assertThrows(IllegalArgumentException.class, () -> AlignMetrics.tiling(new int[] {-1, -1}, 1));
        assertThrows(IllegalArgumentException.class, () -> AlignMetrics.tiling(new int[] {1, 0}, 2), "out of order");
        assertThrows(IllegalArgumentException.class, () -> AlignMetrics.tiling(new int[] {0, 0}, 2), "token 1 selects nothing");
    }
}
