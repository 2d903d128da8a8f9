package org.bgtai.spark;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The scaling projection's arithmetic on round numbers. */
class ScalingTest {
    @Test
    void projectionFromMeasuredFigures() {
        // 1e6 floats (4 MB), 1 ms per sample, 10 ms per round beyond compute, 12800 samples, batch 32, K = 4, 8 Gbit/s = 1e9 bytes/s
        Scaling s = new Scaling(1_000_000, 1e-3, 0.01, 12_800, 32, 4, 2, 8);
        assertEquals(4_000_000, s.stateBytes());
        assertEquals(4e6 * 0 / 1e9 + 2 * 4e6 / 1e9, s.commSeconds(1), 1e-12, "one worker: no broadcast tree, the aggregate");
        assertEquals(4e6 * 3 / 1e9 + 2 * Math.sqrt(8) * 4e6 / 1e9, s.commSeconds(8), 1e-12);
        // 8 workers: 12.8 s / 8 of compute, 12800 / (8 * 4 * 32) = 12.5 rounds of comm + overhead
        double epoch8 = 12.8 / 8 + 12.5 * (s.commSeconds(8) + 0.01);
        assertEquals(epoch8, s.epochSeconds(8), 1e-12);
        assertEquals(12.8 / epoch8, s.speedUp(8), 1e-12);
        assertTrue(s.speedUp(64) > s.speedUp(8) && s.speedUp(512) < 512, "more workers help, sub-linearly");
        assertTrue(s.table().contains("| 512 | 4096.0 MB |"), s.table());
    }
}
