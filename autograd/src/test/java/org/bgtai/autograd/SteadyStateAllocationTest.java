package org.bgtai.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A training-style loop of matmul + backward reaches a steady state: after warm-up each
 * iteration allocates only the op results themselves (the product, its gradient temporaries),
 * never packing buffers, contiguous copies of transposed operands, or a growing graph. Measured
 * with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} on one thread.
 */
class SteadyStateAllocationTest {
    @Test
    void matmulBackwardLoopAllocatesOnlyItsResults() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int before = Parallel.threads();
        Parallel.setThreads(1);  // all work on this thread, so its counter sees every byte
        try {
            int m = 256, k = 256, n = 256;
            Rng rng = new Rng(1);
            Var x = Var.of(rng.normal(0, 1, m, k));
            Var w = Var.param(rng.normal(0, 0.05f, n, k));
            Tensor gOut = rng.normal(0, 1, m, n);
            Runnable step = () -> {
                Var y = x.matmul(w.mT());     // transposed view: must not be copied
                y.backward(gOut);             // dW = gOut^T x, accumulated in place into w.grad
            };
            for (int i = 0; i < 100; i++) step.run();
            // Vector API code allocates while it is still interpreted or C1-compiled, so take the
            // quietest of several windows as the steady state.
            long perIter = Long.MAX_VALUE;
            long tid = Thread.currentThread().threadId();
            for (int window = 0; window < 8; window++) {
                long t0 = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 10; i++) step.run();
                perIter = Math.min(perIter, (mx.getThreadAllocatedBytes(tid) - t0) / 10);
            }
            // results per iteration: y [m, n] and the weight-gradient temporary [n, k]
            long results = 4L * (m * n + n * k);
            assertTrue(perIter < results * 1.1 + 32_768,
                "steady-state allocation per iteration " + perIter + " bytes, expected about " + results
                    + " (the two results); something copies operands or buffers");
        } finally {
            Parallel.setThreads(before);
        }
    }
}
