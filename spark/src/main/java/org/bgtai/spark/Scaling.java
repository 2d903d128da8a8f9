package org.bgtai.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a data-parallel run measured, and what it implies for more workers. Measured: the compute
 * seconds per training sample of one worker (its K steps, from the rounds' task times), the
 * fixed cost of a round beyond compute (scheduling, broadcast, aggregation: round wall time minus
 * the workers' mean compute) and the state shipped per round. Projected, for W workers at
 * {@code gbit} Gbit/s with the same batch per worker and K:
 * <pre>
 *   state S = 4 bytes x (weights + AdamW moments);   volume per round = S x W x 2 (broadcast + aggregate)
 *   t_comm(W) = S x ceil(log2 W) / bw   (torrent broadcast, a tree of peers)
 *             + 2 x sqrt(W) x S / bw    (treeAggregate depth 2: sqrt(W) partial sums into each of two levels)
 *   epoch(W)  = N t_s / W + N / (W K b) x (t_comm(W) + t_round)
 *   speed-up  = epoch of the local loop (N t_s) / epoch(W)
 * </pre>
 * where N is the training samples of an epoch, b the batch per worker, t_s the seconds per sample
 * and t_round the measured fixed cost per round (on one machine, so without network time).
 */
public record Scaling(long paramFloats, double secondsPerSample, double roundOverhead, long samplesPerEpoch, int batchPerWorker, int localSteps, int workers,
                      double gbit) {
    /** From a run's rounds (the first round, with the JIT still cold, left out when there are others). */
    public static Scaling of(DataParallel.Result r, int batchPerWorker, int workers, int localSteps, double gbit) {
        double compute = 0, samples = 0, over = 0;
        int n = 0;
        List<DataParallel.Round> rounds = r.rounds();
        for (int i = rounds.size() > 1 ? 1 : 0; i < rounds.size(); i++) {
            DataParallel.Round x = rounds.get(i);
            compute += x.computeSeconds();
            samples += (double) x.samples() / workers;
            over += Math.max(0, x.seconds() - x.computeSeconds());
            n++;
        }
        long perEpoch = r.history().isEmpty() ? 0 : r.history().get(r.history().size() - 1).examples();
        return new Scaling(r.paramFloats(), compute / samples, over / n, perEpoch, batchPerWorker, localSteps, workers, gbit);
    }

    /** Bytes of the state shipped to and from each worker per round. */
    public long stateBytes() {
        return 4 * paramFloats;
    }

    /** Communication seconds of one round at {@code w} workers. */
    public double commSeconds(int w) {
        double bw = gbit * 1e9 / 8;
        return stateBytes() * Math.ceil(Math.log(w) / Math.log(2)) / bw + 2 * Math.sqrt(w) * stateBytes() / bw;
    }

    /** Projected seconds per epoch at {@code w} workers. */
    public double epochSeconds(int w) {
        double rounds = (double) samplesPerEpoch / ((double) w * localSteps * batchPerWorker);
        return samplesPerEpoch * secondsPerSample / w + rounds * (commSeconds(w) + roundOverhead);
    }

    /** Projected speed-up over the local loop at {@code w} workers. */
    public double speedUp(int w) {
        return samplesPerEpoch * secondsPerSample / epochSeconds(w);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("param_floats", paramFloats);
        m.put("state_bytes", stateBytes());
        m.put("seconds_per_sample", secondsPerSample);
        m.put("round_overhead_seconds", roundOverhead);
        m.put("samples_per_epoch", samplesPerEpoch);
        m.put("batch_per_worker", batchPerWorker);
        m.put("local_steps", localSteps);
        m.put("bandwidth_gbit", gbit);
        List<Object> rows = new ArrayList<>();
        for (int w : new int[] {1, 2, 8, 64, 512}) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("workers", w);
            row.put("volume_per_round_bytes", stateBytes() * w * 2);
            row.put("comm_seconds_per_round", commSeconds(w));
            row.put("epoch_seconds", epochSeconds(w));
            row.put("speed_up", speedUp(w));
            rows.add(row);
        }
        m.put("projection", rows);
        return m;
    }

    /** The projection as a Markdown table. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
            "state %d floats (%.2f MB: weights + AdamW moments), %.3f ms compute per sample, %.1f ms per round beyond compute, %d samples per epoch, "
                + "batch %d per worker, K = %d, %.0f Gbit/s%n", paramFloats, stateBytes() / 1e6, secondsPerSample * 1e3, roundOverhead * 1e3, samplesPerEpoch,
            batchPerWorker, localSteps, gbit));
        sb.append("| workers | volume per round | comm per round | epoch | speed-up |\n|---|---|---|---|---|\n");
        for (int w : new int[] {1, 2, 8, 64, 512})
            sb.append(String.format(Locale.ROOT, "| %d | %.1f MB | %.1f ms | %.2f s | %.1fx |%n", w, stateBytes() * w * 2 / 1e6, commSeconds(w) * 1e3, epochSeconds(w),
                speedUp(w)));
        return sb.toString();
    }
}
