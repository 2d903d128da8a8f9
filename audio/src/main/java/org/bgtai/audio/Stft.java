package org.bgtai.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Short-time Fourier transform and its inverse, with the semantics of {@code torch.stft} /
 * {@code torch.istft} ({@code onesided=True, normalized=False}).
 *
 * <p>Forward: {@code X[f, t] = sum_{n < nFft} w[n] x_pad[t * hop + n] exp(-2 pi i f n / nFft)} for
 * {@code f < nFft/2 + 1}, where {@code x_pad} is the signal padded by {@code nFft/2} on both sides
 * when {@code center} is set and {@code w} is the periodic window of {@code winLength} zero-padded
 * (centered) to {@code nFft}.
 *
 * <p>Inverse: weighted overlap-add, {@code y = sum_t w * irfft(X[:, t]) shifted by t * hop},
 * divided by the window envelope {@code sum_t w^2 shifted by t * hop}, then the center padding
 * is removed. Reconstruction is exact (to float rounding) wherever the envelope is non-zero
 * (the NOLA condition, e.g. Hann with {@code hop <= winLength / 2}).
 *
 * <pre>{@code
 * Stft stft = new Stft(StftConfig.SPEECH_16K);
 * ComplexSpectrogram X = stft.forward(x);        // [201, 1 + x.length / 160]
 * float[] y = stft.inverse(X, x.length);         // y ~= x
 * }</pre>
 *
 * <p>The FFTs are JTransforms double-precision plans (float in, float out, double inside), one per thread; JTransforms' own threading is switched
 * off (parallelism comes from {@code org.bgtai.tensor.Parallel} at the caller's level).
 * Instances are immutable and thread-safe.
 */
public final class Stft {
    static {
        pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
    }

    private final StftConfig config;
    private final float[] window; // [nFft], zero-padded
    private final int winOff;
    private final ThreadLocal<DoubleFFT_1D> fft;

    public Stft(StftConfig config) {
        this.config = config;
        int n = config.nFft();
        this.winOff = (n - config.winLength()) / 2;
        this.window = new float[n];
        System.arraycopy(config.window().periodic(config.winLength()), 0, window, winOff, config.winLength());
        this.fft = ThreadLocal.withInitial(() -> new DoubleFFT_1D(n));
    }

    public StftConfig config() {
        return config;
    }

    /** The analysis window zero-padded to nFft, [nFft] (a copy). */
    public float[] window() {
        return window.clone();
    }

    /**
     * @param signal [samples]
     * @return [nFft/2 + 1, frames] with {@code frames = config.frames(signal.length)}
     */
    public ComplexSpectrogram forward(float[] signal) {
        int bins = config.bins();
        int frames = checkedFrames(signal.length);
        float[] re = new float[bins * frames];
        float[] im = new float[bins * frames];
        double[] buf = new double[2 * config.nFft()];
        float[] padded = pad(signal);
        for (int t = 0; t < frames; t++) {
            transformFrame(padded, t, buf);
            for (int f = 0; f < bins; f++) {
                re[f * frames + t] = (float) buf[2 * f];
                im[f * frames + t] = (float) buf[2 * f + 1];
            }
        }
        return new ComplexSpectrogram(bins, frames, re, im);
    }

    /**
     * The power spectrogram {@code |X|^2} without materialising the complex one.
     *
     * @param signal [samples]
     * @return [nFft/2 + 1, frames]
     */
    public Spectrogram power(float[] signal) {
        int bins = config.bins();
        int frames = checkedFrames(signal.length);
        float[] p = new float[bins * frames];
        double[] buf = new double[2 * config.nFft()];
        float[] padded = pad(signal);
        for (int t = 0; t < frames; t++) {
            transformFrame(padded, t, buf);
            for (int f = 0; f < bins; f++) {
                double a = buf[2 * f], b = buf[2 * f + 1];
                p[f * frames + t] = (float) (a * a + b * b);
            }
        }
        return new Spectrogram(bins, frames, p);
    }

    /** The magnitude spectrogram {@code |X|}, [nFft/2 + 1, frames]. */
    public Spectrogram magnitude(float[] signal) {
        Spectrogram p = power(signal);
        float[] d = p.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) Math.sqrt(d[i]);
        return p;
    }

    /**
     * Power of frame {@code t} of an already padded signal ({@link #pad}), for fused per-frame
     * pipelines.
     *
     * @param buf   scratch, [2 nFft]
     * @param power out, [nFft/2 + 1]
     */
    void powerFrame(float[] padded, int t, double[] buf, float[] power) {
        transformFrame(padded, t, buf);
        for (int f = 0; f < power.length; f++) {
            double a = buf[2 * f], b = buf[2 * f + 1];
            power[f] = (float) (a * a + b * b);
        }
    }

    /** Frames for a signal of {@code length} samples; throws when there are none. */
    int checkedFrameCount(int length) {
        return checkedFrames(length);
    }

    /**
     * Inverse STFT (as {@code torch.istft(..., length=length)}).
     *
     * @param spec   [nFft/2 + 1, frames]
     * @param length samples to return; the output is cut or zero-extended to it
     * @return [length]
     * @throws IllegalArgumentException when the bins do not match nFft, or the window envelope is
     *     zero somewhere inside the output (NOLA violated: use a smaller hop)
     */
    public float[] inverse(ComplexSpectrogram spec, int length) {
        int n = config.nFft();
        int bins = config.bins();
        if (spec.bins() != bins) {
            throw new IllegalArgumentException("spectrogram has " + spec.bins() + " bins but n_fft=" + n + " needs " + bins);
        }
        int frames = spec.frames();
        int hop = config.hop();
        int total = n + hop * Math.max(0, frames - 1);
        double[] ola = new double[total];
        double[] env = new double[total];
        double[] buf = new double[2 * n];
        DoubleFFT_1D plan = fft.get();
        float[] re = spec.real(), im = spec.imag();
        for (int t = 0; t < frames; t++) {
            if (n % 2 == 0) {
                buf[0] = re[t];
                buf[1] = re[(bins - 1) * frames + t];
                for (int f = 1; f < n / 2; f++) {
                    buf[2 * f] = re[f * frames + t];
                    buf[2 * f + 1] = im[f * frames + t];
                }
                plan.realInverse(buf, true);
            } else {
                buf[0] = re[t];
                buf[1] = 0;
                for (int f = 1; f < bins; f++) {
                    float a = re[f * frames + t], b = im[f * frames + t];
                    buf[2 * f] = a;
                    buf[2 * f + 1] = b;
                    buf[2 * (n - f)] = a;
                    buf[2 * (n - f) + 1] = -b;
                }
                plan.complexInverse(buf, true);
                for (int i = 0; i < n; i++) buf[i] = buf[2 * i];
            }
            int s = t * hop;
            for (int i = winOff; i < winOff + config.winLength(); i++) {
                ola[s + i] += buf[i] * window[i];
                env[s + i] += (double) window[i] * window[i];
            }
        }
        int start = config.center() ? n / 2 : 0;
        float[] y = new float[length];
        int avail = Math.min(length, total - start);
        for (int i = 0; i < avail; i++) {
            double e = env[start + i];
            if (e < 1e-11) {
                throw new IllegalArgumentException("inverse STFT: window envelope is zero at output sample " + i
                    + " (hop " + hop + " is too large for a " + config.window() + " window of " + config.winLength()
                    + "); use hop <= winLength / 2");
            }
            y[i] = (float) (ola[start + i] / e);
        }
        return y;
    }

    // ---------------------------------------------------------------- internals

    private int checkedFrames(int length) {
        int frames = config.frames(length);
        if (frames == 0) {
            throw new IllegalArgumentException("signal of " + length + " samples is shorter than n_fft=" + config.nFft()
                + " with center=false; pad it or use center=true");
        }
        return frames;
    }

    /** The signal with center padding applied (the signal itself when not centered). */
    float[] pad(float[] x) {
        if (!config.center()) return x;
        int p = config.nFft() / 2;
        float[] out = new float[x.length + 2 * p];
        System.arraycopy(x, 0, out, p, x.length);
        PadMode mode = config.padMode();
        for (int i = 0; i < p; i++) {
            out[i] = mode.sample(x, i - p);
            out[p + x.length + i] = mode.sample(x, x.length + i);
        }
        return out;
    }

    /** Windowed FFT of frame t of the padded signal; buf[2f], buf[2f+1] = Re, Im of bin f. */
    private void transformFrame(float[] padded, int t, double[] buf) {
        int n = config.nFft();
        int s = t * config.hop();
        DoubleFFT_1D plan = fft.get();
        if (n % 2 == 0) {
            for (int i = 0; i < n; i++) buf[i] = padded[s + i] * window[i];
            plan.realForward(buf);
            // unpack: buf[1] holds Re(n/2); move it to its own slot
            double nyq = buf[1];
            buf[1] = 0;
            buf[n] = nyq;
            buf[n + 1] = 0;
        } else {
            for (int i = 0; i < n; i++) buf[i] = padded[s + i] * window[i];
            plan.realForwardFull(buf);
        }
    }
}
