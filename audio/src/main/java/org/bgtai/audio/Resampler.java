package org.bgtai.audio;

/**
 * Band-limited resampling between any two integer rates with a polyphase Kaiser-windowed sinc
 * filter.
 *
 * <p>With {@code L / M = to / from} reduced by their gcd, output sample {@code j} is the
 * band-limited interpolation of the input at time {@code j * M / L} (input samples):
 * <pre>
 *   y[j] = sum_k x[k] g(j M / L - k),   g(u) = 2 fc sinc(2 fc u) kaiser(u / H)
 * </pre>
 * with cutoff {@code fc} (cycles per input sample) halfway between the pass-band and stop-band
 * edges of the {@link ResampleConfig} and half-width {@code H} from Kaiser's formula for the
 * transition width and attenuation. The {@code L} phases of {@code g} are tabulated once and
 * each normalised to unit DC gain. Samples outside the signal count as zero; the output has
 * {@code ceil(n L / M)} samples (as {@code scipy.signal.resample_poly}) and is aligned so that
 * {@code y[0]} is {@code x[0]}'s instant (no delay).
 *
 * <p>With the default config: pass band 0 .. 0.9 x the lower Nyquist frequency (ripple &lt;
 * 0.001 dB), stop band from 1.0 x the lower Nyquist frequency (&gt;= 80 dB down). For 8 kHz to
 * 16 kHz that is 103 taps per output sample; 16 kHz to 8 kHz, 203.
 *
 * <pre>{@code
 * float[] y = Resampler.of(8000, 16000).apply(x);   // y.length == 2 * x.length
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Resampler {
    /** Above this many tabulated coefficients, taps are computed per output sample instead. */
    private static final long MAX_TABLE = 1L << 20;

    private final int from, to, up, down;
    private final ResampleConfig config;
    private final double fc;   // cutoff, cycles per input sample
    private final double half; // half-width H in input samples
    private final double beta;
    private final double i0Beta;
    private final int k;       // taps per phase = 2k + 1
    private final float[] table; // [up, 2k+1], or null when computed on the fly

    private Resampler(int from, int to, ResampleConfig config) {
        if (from <= 0 || to <= 0) throw new IllegalArgumentException("sample rates must be positive, got " + from + " -> " + to);
        this.from = from;
        this.to = to;
        this.config = config;
        int g = gcd(from, to);
        this.up = to / g;
        this.down = from / g;
        double nyq = Math.min(from, to) / 2.0;
        double pass = config.passband() * nyq, stop = config.stopband() * nyq;
        this.fc = (pass + stop) / 2 / from;
        double a = config.attenuationDb();
        this.beta = a > 50 ? 0.1102 * (a - 8.7) : a >= 21 ? 0.5842 * Math.pow(a - 21, 0.4) + 0.07886 * (a - 21) : 0;
        this.i0Beta = besselI0(beta);
        double deltaOmega = 2 * Math.PI * (stop - pass) / from;
        double length = (a - 7.95) / (2.285 * deltaOmega) + 1;
        this.half = length / 2;
        this.k = (int) Math.ceil(half);
        int taps = 2 * k + 1;
        if ((long) up * taps <= MAX_TABLE && up != down) {
            table = new float[up * taps];
            double[] row = new double[taps];
            for (int p = 0; p < up; p++) {
                taps(p, row);
                for (int i = 0; i < taps; i++) table[p * taps + i] = (float) row[i];
            }
        } else {
            table = null;
        }
    }

    /** A resampler from {@code fromRate} to {@code toRate} Hz with {@link ResampleConfig#DEFAULT}. */
    public static Resampler of(int fromRate, int toRate) {
        return new Resampler(fromRate, toRate, ResampleConfig.DEFAULT);
    }

    /** A resampler from {@code fromRate} to {@code toRate} Hz with the given filter design. */
    public static Resampler of(int fromRate, int toRate, ResampleConfig config) {
        return new Resampler(fromRate, toRate, config);
    }

    public int fromRate() {
        return from;
    }

    public int toRate() {
        return to;
    }

    public ResampleConfig config() {
        return config;
    }

    /** Filter taps applied per output sample ({@code 2 ceil(H) + 1}); 0 when the rates are equal. */
    public int tapsPerOutput() {
        return up == down ? 0 : 2 * k + 1;
    }

    /** {@code ceil(length * to / from)}. */
    public int outputLength(int length) {
        return (int) ((length * (long) up + down - 1) / down);
    }

    /**
     * @param x [samples] at {@code fromRate}
     * @return [outputLength(x.length)] at {@code toRate}; a copy of x when the rates are equal
     */
    public float[] apply(float[] x) {
        if (up == down) return x.clone();
        int n = x.length;
        int taps = 2 * k + 1;
        int out = outputLength(n);
        float[] xp = new float[n + 2 * k + 1];
        System.arraycopy(x, 0, xp, k, n);
        float[] y = new float[out];
        if (down == 1 && table != null) {
            // integer upsampling: output j = p + m * up has phase p and base m, a plain FIR per phase
            for (int p = 0; p < up && p < out; p++) {
                int count = (out - p + up - 1) / up;
                Kernels.fir(xp, table, p * taps, taps, y, p, up, count);
            }
            return y;
        }
        double[] row = table == null ? new double[taps] : null;
        float[] rowF = table == null ? new float[taps] : null;
        for (int j = 0; j < out; j++) {
            long num = (long) j * down;
            int base = (int) (num / up);
            int p = (int) (num % up);
            if (table != null) {
                y[j] = Kernels.dot(xp, base, table, p * taps, taps);
            } else {
                taps(p, row);
                for (int i = 0; i < taps; i++) rowF[i] = (float) row[i];
                y[j] = Kernels.dot(xp, base, rowF, 0, taps);
            }
        }
        return y;
    }

    /** Resamples every channel of {@code a} to {@code toRate}. */
    public Audio apply(Audio a) {
        if (a.sampleRate() != from) {
            throw new IllegalArgumentException("resampler is for " + from + " Hz input, audio is " + a.sampleRate() + " Hz");
        }
        float[][] out = new float[a.channelCount()][];
        for (int c = 0; c < out.length; c++) out[c] = apply(a.channel(c));
        return new Audio(to, out);
    }

    /**
     * Taps of phase {@code p} in input order: {@code row[i]} multiplies {@code x[base - k + i]},
     * at time offset {@code u = k - i + p / up} from the output instant; normalised to sum 1.
     */
    private void taps(int p, double[] row) {
        double frac = p / (double) up;
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            double u = k - i + frac;
            double v = 0;
            if (Math.abs(u) < half) {
                double r = u / half;
                v = 2 * fc * sinc(2 * fc * u) * besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
            }
            row[i] = v;
            sum += v;
        }
        for (int i = 0; i < row.length; i++) row[i] /= sum;
    }

    private static double sinc(double x) {
        if (x == 0) return 1;
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order 0 (power series). */
    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int m = 1; m < 500; m++) {
            term *= q / ((double) m * m);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
