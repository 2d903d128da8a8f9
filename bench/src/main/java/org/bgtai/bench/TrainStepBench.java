package org.bgtai.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.bgtai.autograd.Var;
import org.bgtai.nn.Activation;
import org.bgtai.nn.TransformerConfig;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Devices;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.io.Json;

/**
 * Times full training steps (forward, backward, AdamW) of a seq2seq transformer: source vocab
 * 3000, target vocab 1100, d_model 256, 4 heads, 3 + 3 layers, feed-forward 1024, dropout 0.1,
 * batch 32, source length 24, target length 12 (causal), output projection to 1100,
 * cross-entropy with label smoothing 0.1. The reference is {@code bench/train_step_torch.py}
 * (PyTorch, same model, {@code torch.set_num_threads} = our thread count, {@code OMP_WAIT_POLICY=PASSIVE}
 * unless set) run in the same invocation when {@code /usr/bin/python3} has torch.
 *
 * <pre>
 * usage: TrainStepBench [--steps N] [--warmup N] [--rounds N] [--threads N] [--json FILE] [--no-torch] [--device NAME]
 * </pre>
 * Prints ms/step, tokens/s (source + target tokens per second), the ratio to PyTorch, peak heap,
 * and the used heap after a full GC at step 10 and at the last step (steady state must not grow).
 * Ours and PyTorch are timed in {@code rounds} alternating rounds (default 3) of {@code steps}
 * steps each, and the fastest round of each side is compared: a shared machine's speed drifts by
 * tens of percent over seconds, and timing one side after the other compared different machines.
 * Both sides first run {@code warmup} untimed steps (default 10; ours before its first round,
 * PyTorch in each of its processes): with 3, the JIT was still compiling through our first two
 * rounds (each ~15 % slower than the later ones).
 *
 * <p>{@code --device NAME} (default: {@code -Dbgtai.device} / {@code BGTAI_DEVICE}, else the CPU)
 * moves the model to that device ({@link org.bgtai.nn.Module#to}); off the CPU the same steps are
 * also timed on the CPU in the same run ({@code cpu_ms_per_step}, {@code ratio_vs_cpu} in the
 * JSON) and the PyTorch (CPU) reference is skipped. On PoCL use few steps, e.g.
 * {@code --steps 3 --warmup 1}.
 */
public final class TrainStepBench {
    static final int SRC_VOCAB = 3000, TGT_VOCAB = 1100, D = 256, HEADS = 4, LAYERS = 3, FF = 1024;
    static final float DROPOUT = 0.1f;
    static final int BATCH = 32, SRC_LEN = 24, TGT_LEN = 12;

    private TrainStepBench() {}

    /** The benchmark model (same parameter count as the PyTorch one: 6,862,924). */
    public static Seq2SeqModel model(Rng rng) {
        var cfg = new TransformerConfig(D, HEADS, FF, DROPOUT, Activation.RELU, false, 1e-5f);
        return new Seq2SeqModel(SRC_VOCAB, TGT_VOCAB, cfg, LAYERS, LAYERS, rng);
    }

    public static void main(String[] args) throws Exception {
        int steps = 20, warmup = 10, rounds = 3, threads = Parallel.threads();
        String json = null;
        boolean torch = true;
        String deviceName = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    System.out.println("TrainStepBench [--steps N] [--warmup N] [--rounds N] [--threads N] [--json FILE] [--no-torch] [--device NAME]");
                    return;
                }
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Math.max(1, Integer.parseInt(args[++i]));
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--json" -> json = args[++i];
                case "--no-torch" -> torch = false;
                case "--device" -> deviceName = args[++i];
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                    + "'; usage: TrainStepBench [--steps N] [--warmup N] [--rounds N] [--threads N] [--json FILE] [--no-torch] [--device NAME]");
            }
        }
        Parallel.setThreads(threads);
        Device device = deviceName == null ? Devices.fromEnvironment() : Device.parse(deviceName);
        boolean onCpu = device == Device.CPU;
        System.out.printf(Locale.ROOT, "TrainStepBench: seq2seq transformer, %,d parameters, batch %d, src %d, tgt %d, %d threads, device %s%n",
            model(new Rng(0)).numParameters(), BATCH, SRC_LEN, TGT_LEN, threads, device.name());
        // The PyTorch reference is a CPU run: compared only when we run on the CPU.
        boolean withTorch = torch && onCpu && torchAvailable();
        Run run = new Run(device);
        List<Double> oursRounds = new ArrayList<>(), torchRounds = new ArrayList<>();
        Measured ours = null;
        for (int r = 0; r < rounds; r++) {
            Measured m = run.measure(r == 0 ? warmup : 0, steps);
            if (ours == null) ours = m;
            oursRounds.add(m.ms);
            Double t = withTorch ? runTorch(steps, warmup, threads) : null;
            if (t != null) torchRounds.add(t);
            System.out.printf(Locale.ROOT, "  round %d: ours %.1f ms/step%s%n", r + 1, m.ms, t == null ? "" : String.format(Locale.ROOT, ", torch %.1f ms/step", t));
        }
        double ms = oursRounds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        long params = ours.params;
        double tokensPerS = BATCH * (SRC_LEN + TGT_LEN) / (ms / 1000);
        System.out.printf(Locale.ROOT, "  ours : %.1f ms/step (fastest of %d rounds), %.0f tokens/s (loss %.4f)%n", ms, rounds, tokensPerS, ours.lastLoss);
        System.out.printf(Locale.ROOT, "  peak heap %.1f MB; used heap after GC: %sstep %d %.1f MB%n", ours.peakMb,
            ours.usedAt10 == null ? "" : String.format(Locale.ROOT, "step 10 %.1f MB, ", ours.usedAt10), steps, ours.usedAtEnd);

        Double cpuMs = null, cpuRatio = null;
        if (!onCpu) {
            cpuMs = new Run(Device.CPU).measure(warmup, steps).ms;
            cpuRatio = ms / cpuMs;
            System.out.printf(Locale.ROOT, "  cpu  : %.1f ms/step -> ratio %s/cpu %.3f%n", cpuMs, device.name(), cpuRatio);
        }
        Double torchMs = torchRounds.isEmpty() ? null : torchRounds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        Double ratio = torchMs == null ? null : ms / torchMs;
        if (torchMs != null) {
            System.out.printf(Locale.ROOT, "  torch: %.1f ms/step (fastest of %d rounds) -> ratio ours/torch %.3f (medians %.1f / %.1f ms = %.3f)%n",
                torchMs, torchRounds.size(), ratio, median(oursRounds), median(torchRounds), median(oursRounds) / median(torchRounds));
        }
        if (json != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ms_per_step", ms);
            r.put("tokens_per_s", tokensPerS);
            r.put("params", params);
            r.put("torch_ms_per_step", torchMs);
            r.put("ratio", ratio);
            r.put("peak_heap_mb", ours.peakMb);
            r.put("used_heap_mb_step10", ours.usedAt10);
            r.put("used_heap_mb_last", ours.usedAtEnd);
            r.put("steps", steps);
            r.put("threads", threads);
            r.put("device", device.name());
            r.put("cpu_ms_per_step", cpuMs);
            r.put("ratio_vs_cpu", cpuRatio);
            r.put("ms_per_step_rounds", oursRounds);
            r.put("torch_ms_per_step_rounds", torchRounds);
            Json.writeFile(Path.of(json), Map.of("train_step", r));
            System.out.println("  wrote " + json);
        }
    }

    /** Timing of one run: mean ms per step, last loss, heap figures. */
    /** {@code usedAt10} is null when fewer than 10 steps ran. */
    private record Measured(double ms, float lastLoss, long params, Double usedAt10, double usedAtEnd, double peakMb) {}

    private static double median(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The model (seed 0) built on the CPU and moved to the device, AdamW built after the move, and
     * one fixed batch. Token ids stay host {@link IntTensor}s (uploaded by the backend in each
     * indexing op); {@code loss.item()} reads one float per step.
     */
    private static final class Run {
        final Seq2SeqModel model;
        final AdamW opt;
        final IntTensor src, in, out;

        Run(Device device) {
            Rng rng = new Rng(0);
            model = model(rng);
            model.to(device);
            opt = new AdamW(model.trainableParameters(), 1e-4, 0.9, 0.98, 1e-9, 0.01);
            int[] srcIds = new int[BATCH * SRC_LEN], tgt = new int[BATCH * (TGT_LEN + 1)];
            for (int i = 0; i < srcIds.length; i++) srcIds[i] = 1 + rng.nextInt(SRC_VOCAB - 1);
            for (int i = 0; i < tgt.length; i++) tgt[i] = 1 + rng.nextInt(TGT_VOCAB - 1);
            int[] tgtIn = new int[BATCH * TGT_LEN], tgtOut = new int[BATCH * TGT_LEN];
            for (int b = 0; b < BATCH; b++) for (int t = 0; t < TGT_LEN; t++) {
                tgtIn[b * TGT_LEN + t] = tgt[b * (TGT_LEN + 1) + t];
                tgtOut[b * TGT_LEN + t] = tgt[b * (TGT_LEN + 1) + t + 1];
            }
            src = IntTensor.of(srcIds, BATCH, SRC_LEN);
            in = IntTensor.of(tgtIn, BATCH, TGT_LEN);
            out = IntTensor.of(tgtOut, BATCH, TGT_LEN);
        }

        /** Runs {@code warmup} untimed then {@code steps} timed steps. */
        Measured measure(int warmup, int steps) {
            for (int i = 0; i < warmup; i++) step(model, opt, src, in, out);
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
            long total = 0;
            Double usedAt10 = null;
            float lastLoss = 0;
            for (int i = 1; i <= steps; i++) {
                long t0 = System.nanoTime();
                lastLoss = step(model, opt, src, in, out);
                total += System.nanoTime() - t0;
                if (i == 10) usedAt10 = usedAfterGc();
            }
            double usedAtEnd = usedAfterGc();
            return new Measured(total / 1e6 / steps, lastLoss, model.numParameters(), usedAt10, usedAtEnd, peakHeapMb());
        }
    }

    /** One step: zero grads, forward, loss, backward, AdamW; returns the loss. */
    static float step(Seq2SeqModel model, AdamW opt, IntTensor src, IntTensor in, IntTensor out) {
        opt.zeroGrad();
        Var logits = model.forward(src, in);
        Var loss = CrossEntropy.loss(logits, out, 0.1f, -100);
        loss.backward();
        opt.step();
        return loss.item();
    }

    private static double usedAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
    }

    private static double peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) sum += p.getPeakUsage().getUsed();
        return sum / 1048576.0;
    }

    /** Whether the PyTorch reference can run; prints why not. */
    private static boolean torchAvailable() throws InterruptedException {
        if (BenchIo.script("train_step_torch.py") != null && hasTorch()) return true;
        System.out.println("  note: PyTorch reference skipped (needs /usr/bin/python3 with torch, e.g. apt-get install python3-torch, and bench/train_step_torch.py)");
        return false;
    }

    /** Runs bench/train_step_torch.py once; null (with a note) when it fails. */
    private static Double runTorch(int steps, int warmup, int threads) throws IOException, InterruptedException {
        Path script = BenchIo.script("train_step_torch.py");   // torchAvailable() found it
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--steps", Integer.toString(steps),
            "--warmup", Integer.toString(warmup), "--threads", Integer.toString(threads)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // OpenMP threads that spin while waiting lose badly on a shared machine (3-4x slower here);
        // passive waiting is PyTorch's best configuration, so it is the reference we compare with.
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        String outText = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.out.println("  note: PyTorch reference failed: " + outText.strip());
            return null;
        }
        double ms = BenchIo.number(BenchIo.lastJsonObject(outText), "ms_per_step");
        if (Double.isNaN(ms)) {
            System.out.println("  note: unexpected PyTorch output: " + outText.strip());
            return null;
        }
        return ms;
    }

    private static boolean hasTorch() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
