package org.bgtai.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bgtai.audio.LogMel;
import org.bgtai.audio.MelFilterbank;
import org.bgtai.audio.Spectrogram;
import org.bgtai.audio.Stft;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Log-mel features of a clip at 16 kHz ({@code LogMel.of(16000, 512, 160, 64)}, the front end of
 * {@code bin/bgtai bench logmel}), one thread: {@link LogMel#apply} (JTransforms real FFT, mel
 * product fused per frame) against {@link #plain}, the same pipeline in plain loops (reflect
 * padding, periodic Hann window, iterative radix-2 complex FFT in double, power, dense mel
 * product, natural log with floor 1e-10). Time per clip of {@code seconds} seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LogMelJmh {
    static final int RATE = 16000, N_FFT = 512, HOP = 160, MELS = 64;
    static final double FLOOR = 1e-10;

    @Param({"1"})
    public int seconds;

    float[] clip;
    LogMel logMel;
    float[] window;
    float[][] melWeights;
    double[] cos, sin, re, im;
    int[] bitReverse;

    @Setup
    public void setup() {
        Random r = new Random(7);
        clip = new float[seconds * RATE];
        for (int i = 0; i < clip.length; i++) {
            double t = (double) i / RATE;
            clip[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 1250 * t) + 0.05 * r.nextGaussian());
        }
        logMel = LogMel.of(RATE, N_FFT, HOP, MELS);
        window = new Stft(logMel.stftConfig()).window();
        melWeights = new MelFilterbank(logMel.melConfig()).weights();
        cos = new double[N_FFT / 2];
        sin = new double[N_FFT / 2];
        for (int k = 0; k < N_FFT / 2; k++) {
            cos[k] = Math.cos(-2 * Math.PI * k / N_FFT);
            sin[k] = Math.sin(-2 * Math.PI * k / N_FFT);
        }
        bitReverse = new int[N_FFT];
        int bits = Integer.numberOfTrailingZeros(N_FFT);
        for (int i = 0; i < N_FFT; i++) bitReverse[i] = Integer.reverse(i) >>> (32 - bits);
        re = new double[N_FFT];
        im = new double[N_FFT];
        // both sides compute the same features
        float[] a = fast().data(), b = plain();
        if (a.length != b.length) throw new IllegalStateException("LogMel gives " + a.length + " values, the plain loops " + b.length);
        for (int i = 0; i < a.length; i++)
            if (Math.abs(a[i] - b[i]) > 1e-3f * (1 + Math.abs(b[i])))
                throw new IllegalStateException("LogMel and the plain loops differ at " + i + ": " + a[i] + " vs " + b[i]);
    }

    @Benchmark
    public Spectrogram fast() {
        return logMel.apply(clip);
    }

    @Benchmark
    public float[] reference() {
        return plain();
    }

    /** [MELS, frames], as {@link LogMel#apply}. */
    float[] plain() {
        int p = N_FFT / 2, len = clip.length;
        float[] x = new float[len + 2 * p];
        for (int i = 0; i < x.length; i++) {
            int j = i - p;
            if (j < 0) j = -j;                       // reflect, the edge sample not repeated
            if (j >= len) j = 2 * (len - 1) - j;
            x[i] = clip[j];
        }
        int frames = 1 + (x.length - N_FFT) / HOP, bins = N_FFT / 2 + 1;
        float[] out = new float[MELS * frames];
        double[] power = new double[bins];
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < N_FFT; i++) {
                re[bitReverse[i]] = x[t * HOP + i] * window[i];
                im[bitReverse[i]] = 0;
            }
            for (int size = 2; size <= N_FFT; size <<= 1) {
                int half = size / 2, step = N_FFT / size;
                for (int start = 0; start < N_FFT; start += size) {
                    for (int k = 0; k < half; k++) {
                        double wr = cos[k * step], wi = sin[k * step];
                        int a = start + k, b = a + half;
                        double tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr;
                        re[b] = re[a] - tr;
                        im[b] = im[a] - ti;
                        re[a] += tr;
                        im[a] += ti;
                    }
                }
            }
            for (int f = 0; f < bins; f++) power[f] = re[f] * re[f] + im[f] * im[f];
            for (int m = 0; m < MELS; m++) {
                double s = 0;
                for (int f = 0; f < bins; f++) s += melWeights[m][f] * power[f];
                out[m * frames + t] = (float) Math.log(Math.max(s, FLOOR));
            }
        }
        return out;
    }
}
