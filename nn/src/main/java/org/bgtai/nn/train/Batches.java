package org.bgtai.nn.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.bgtai.tensor.Rng;

/**
 * Batch plans for {@link Recipe#batches}: index arrays cut from a seeded order.
 *
 * <pre>{@code
 * List<int[]> plain = Batches.shuffled(rng.permutation(n), 32, true);
 * List<int[]> byLength = Batches.bucketed(rng.permutation(n), lengths, 32, 50, false, rng);
 * }</pre>
 */
public final class Batches {
    private Batches() {}

    /** {@code order} cut into consecutive chunks of {@code batch}; a last partial chunk is kept unless {@code dropLast}. */
    public static List<int[]> shuffled(int[] order, int batch, boolean dropLast) {
        if (batch < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batch);
        List<int[]> out = new ArrayList<>();
        for (int lo = 0; lo < order.length; lo += batch) {
            int hi = Math.min(order.length, lo + batch);
            if (hi - lo < batch && dropLast) break;
            out.add(Arrays.copyOfRange(order, lo, hi));
        }
        return out;
    }

    /**
     * Batches of similar length, so one long example does not pad a whole batch: {@code order} is
     * cut into buckets of {@code bucketBatches * batch} examples, each bucket sorted by
     * {@code lengths} (stable) and cut into batches, and the batches are visited in an order drawn
     * from {@code rng}. A partial batch (at the end of a bucket) is kept unless {@code dropLast}.
     */
    public static List<int[]> bucketed(int[] order, int[] lengths, int batch, int bucketBatches, boolean dropLast, Rng rng) {
        if (batch < 1 || bucketBatches < 1)
            throw new IllegalArgumentException("batch and bucket sizes must be >= 1, got " + batch + " and " + bucketBatches);
        List<int[]> plan = new ArrayList<>();
        int bucket = batch * bucketBatches;
        for (int lo = 0; lo < order.length; lo += bucket) {
            int hi = Math.min(order.length, lo + bucket);
            Integer[] chunk = new Integer[hi - lo];
            for (int i = lo; i < hi; i++) chunk[i - lo] = order[i];
            Arrays.sort(chunk, Comparator.comparingInt(i -> lengths[i]));
            for (int i = 0; i < chunk.length; i += batch) {
                int len = Math.min(batch, chunk.length - i);
                if (len < batch && dropLast) break;
                int[] b = new int[len];
                for (int j = 0; j < len; j++) b[j] = chunk[i + j];
                plan.add(b);
            }
        }
        int[] visit = rng.permutation(plan.size());
        List<int[]> out = new ArrayList<>(plan.size());
        for (int i : visit) out.add(plan.get(i));
        return out;
    }
}
