package org.bgtai.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.bgtai.audio.Audio;
import org.bgtai.audio.LogMel;
import org.bgtai.audio.Resampler;
import org.bgtai.audio.Spectrogram;
import org.bgtai.audio.WavReader;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.io.Json;
import org.bgtai.tensor.io.SharedFiles;

/**
 * Log-mel throughput over a folder of WAV clips (default: the 3,000 FSDD recordings), against
 * the same pipeline in NumPy ({@code bench/logmel_numpy.py}) measured in the same run.
 *
 * <p>Per clip: read the WAV, resample to 16 kHz ({@link Resampler}, 8 kHz to 16 kHz for FSDD),
 * STFT (n_fft 512, hop 160, periodic Hann, centered, reflect), power, 64 Slaney mel bands, natural
 * log with floor 1e-10. Clips are spread over {@link Parallel}'s threads. The JIT is warmed up on
 * two full passes first; the best of three timed passes is reported (NumPy: best of two).
 *
 * <pre>
 *   LogMelBench [--data DIR] [--json FILE] [--threads N] [--python python3] [--script bench/logmel_numpy.py] [--no-numpy]
 * </pre>
 * JSON: {@code {"logmel": {"clips":.., "seconds":.., "clips_per_s":.., "numpy_clips_per_s":.., "ratio":..}}}.
 */
public final class LogMelBench {
    private LogMelBench() {}

    public static void main(String[] args) throws Exception {
        Path data = null, json = null, script = null;
        String python = "python3";
        boolean numpy = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(value(args, ++i, "--data"));
                case "--json" -> json = Path.of(value(args, ++i, "--json"));
                case "--threads" -> Parallel.setThreads(Integer.parseInt(value(args, ++i, "--threads")));
                case "--python" -> python = value(args, ++i, "--python");
                case "--script" -> script = Path.of(value(args, ++i, "--script"));
                case "--no-numpy" -> numpy = false;
                case "-h", "--help" -> {
                    System.out.println("LogMelBench [--data DIR] [--json FILE] [--threads N] [--python EXE] [--script logmel_numpy.py] [--no-numpy]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        if (data == null) {
            data = SharedFiles.find("data/fsdd/recordings");
            if (data == null) {
                throw new IllegalArgumentException("FSDD recordings not found: pass --data DIR or set BGTAI_SHARED to the shared/ folder");
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(data)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".wav")).sorted().toList();
        }
        if (files.isEmpty()) throw new IllegalArgumentException("no .wav files in " + data);

        LogMel logMel = LogMel.of(16000, 512, 160, 64);
        System.out.printf(Locale.ROOT, "log-mel over %d clips in %s, %d threads%n", files.size(), data, Parallel.threads());
        for (int w = 0; w < 2; w++) run(files, logMel);
        double best = Double.MAX_VALUE;
        double checksum = 0;
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            checksum = run(files, logMel);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        double rate = files.size() / best;
        System.out.printf(Locale.ROOT, "java : %d clips in %.3f s = %.1f clips/s (checksum %.4f)%n", files.size(), best, rate, checksum);

        double npRate = Double.NaN;
        if (numpy) {
            Path sc = script != null ? script : findScript();
            String out = runPython(python, sc, data);
            Map<String, Object> np = BenchIo.lastJsonObject(out);
            npRate = number(np, out, "clips_per_s");
            double npSum = number(np, out, "checksum");
            System.out.printf(Locale.ROOT, "numpy: %.1f clips/s (checksum %.4f; %s)%n", npRate, npSum, sc);
            if (Math.abs(npSum - checksum) > 1e-3 * Math.abs(checksum)) {
                System.out.printf(Locale.ROOT, "WARNING: checksums differ (java %.6f, numpy %.6f): not the same computation%n", checksum, npSum);
            }
            System.out.printf(Locale.ROOT, "ratio java/numpy: %.2fx%n", rate / npRate);
        }
        if (json != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("clips", files.size());
            r.put("seconds", BenchIo.fixed(best, 4));
            r.put("clips_per_s", BenchIo.fixed(rate, 2));
            r.put("numpy_clips_per_s", BenchIo.fixed(npRate, 3));
            r.put("ratio", BenchIo.fixed(rate / npRate, 3));
            r.put("threads", Parallel.threads());
            Json.writeFile(json, Map.of("logmel", r));
            System.out.println("wrote " + json);
        }
    }

    /** One pass over all clips; returns the sum over clips of the mean log-mel value. */
    static double run(List<Path> files, LogMel logMel) {
        double[] means = new double[files.size()];
        ConcurrentHashMap<Integer, Resampler> resamplers = new ConcurrentHashMap<>();
        IOException[] failure = new IOException[1];
        Parallel.forRange(files.size(), 8, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                try {
                    Audio a = WavReader.read(files.get(i));
                    float[] x = a.mono();
                    if (a.sampleRate() != logMel.sampleRate()) {
                        x = resamplers.computeIfAbsent(a.sampleRate(), r -> Resampler.of(r, logMel.sampleRate())).apply(x);
                    }
                    Spectrogram f = logMel.apply(x);
                    double s = 0;
                    for (float v : f.data()) s += v;
                    means[i] = s / f.data().length;
                } catch (IOException e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }
        });
        if (failure[0] != null) throw new IllegalStateException(failure[0].getMessage(), failure[0]);
        double sum = 0;
        for (double m : means) sum += m;
        return sum;
    }

    private static Path findScript() {
        Path p = BenchIo.script("logmel_numpy.py");
        if (p == null) throw new IllegalArgumentException("bench/logmel_numpy.py not found above " + Path.of("").toAbsolutePath()
            + "; pass --script PATH or --no-numpy");
        return p;
    }

    private static String runPython(String python, Path script, Path data) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, script.toString(), "--data", data.toString(), "--repeat", "2")
            .redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int rc = p.waitFor();
        if (rc != 0) throw new IllegalStateException("numpy reference failed (exit " + rc + "):\n" + out);
        return out;
    }

    private static double number(Map<String, Object> json, String output, String key) {
        double v = BenchIo.number(json, key);
        if (Double.isNaN(v)) throw new IllegalStateException("no '" + key + "' in numpy output:\n" + output);
        return v;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) throw new IllegalArgumentException(opt + " needs a value");
        return args[i];
    }
}
