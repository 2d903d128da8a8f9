package org.bgtai.tensor;

/**
 * Seeded, counter-based random numbers: draw {@code i} of a generator is a pure function of
 * {@code (seed, counter + i)} (the SplitMix64 output function), so results are identical across
 * runs and thread counts, and the state is two longs that checkpoints save and restore.
 *
 * <pre>{@code
 * Rng rng = new Rng(42);
 * Tensor w = rng.normal(0f, 0.02f, 256, 256);
 * long[] state = rng.state();   // save; new Rng(state) continues the same stream
 * }</pre>
 */
public final class Rng {
    private long seed;
    private long counter;

    public Rng(long seed) {
        this.seed = seed;
    }

    /** Restores a generator from {@link #state()}. */
    public Rng(long[] state) {
        if (state.length != 2) throw new IllegalArgumentException("Rng state must be [seed, counter], got " + state.length + " values");
        this.seed = state[0];
        this.counter = state[1];
    }

    /** Continues from {@link #state()} in place (for generators owned by layers, e.g. dropout). */
    public void setState(long[] state) {
        if (state.length != 2) throw new IllegalArgumentException("Rng state must be [seed, counter], got " + state.length + " values");
        this.seed = state[0];
        this.counter = state[1];
    }

    /** {@code [seed, counter]}. */
    public long[] state() {
        return new long[] {seed, counter};
    }

    /** An independent generator derived from this one (advances this one by one draw). */
    public Rng fork() {
        return new Rng(nextLong());
    }

    /** The SplitMix64 increment ("golden gamma"). */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    /** The SplitMix64 output function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Draw {@code i} of the stream with this seed: the whole definition of the generator (kernels that draw in bulk must match it). */
    public static long draw(long seed, long i) {
        return mix(seed + (i + 1) * GAMMA);
    }

    private long at(long i) {
        return draw(seed, i);
    }

    private static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    public long nextLong() {
        return at(counter++);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return unit(nextLong());
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        return (int) (nextDouble() * bound);
    }

    /** Standard normal (Box-Muller). */
    public double nextGaussian() {
        double u1 = unit(nextLong()), u2 = unit(nextLong());
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Uniform in [lo, hi). */
    public Tensor uniform(float lo, float hi, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        long base = counter;
        counter += d.length;
        Parallel.forRange(d.length, 1 << 14, (s, e) -> {
            for (int i = s; i < e; i++) d[i] = (float) (lo + (hi - lo) * unit(at(base + i)));
        });
        return Tensor.of(d, shape);
    }

    /** Normal with the given mean and standard deviation. */
    public Tensor normal(float mean, float std, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        long base = counter;
        counter += 2L * d.length;
        Parallel.forRange(d.length, 1 << 14, (s, e) -> {
            for (int i = s; i < e; i++) {
                double u1 = unit(at(base + 2L * i)), u2 = unit(at(base + 2L * i + 1));
                d[i] = (float) (mean + std * Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2));
            }
        });
        return Tensor.of(d, shape);
    }

    /** 1 with probability {@code p}, else 0. */
    public Tensor bernoulli(float p, int... shape) {
        return bernoulli(p, Device.CPU, shape);
    }

    /**
     * 1 with probability {@code p}, else 0, drawn on {@code device} ({@link Backend#bernoulli}):
     * the same values on every device, and nothing copied from the host.
     *
     * <pre>{@code
     * Tensor keep = rng.bernoulli(0.9f, Device.parse("opencl:0"), 32, 128);   // a dropout keep-mask
     * }</pre>
     */
    public Tensor bernoulli(float p, Device device, int... shape) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli p must be in [0, 1], got " + p);
        long base = counter;
        counter += Shape.numel(shape);
        return device.backend().bernoulli(seed, base, p, shape);
    }

    /** A random permutation of {@code [0, n)} (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int) (unit(nextLong()) * (i + 1));
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
