package org.bgtai.audio;

/**
 * An STFT result: real and imaginary parts, each [bins, frames] row-major
 * ({@code real[b * frames + t]}), as {@code torch.stft(..., return_complex=True)} for one signal.
 *
 * @param bins   frequency bins, {@code n_fft / 2 + 1}
 * @param frames time frames
 * @param real   [bins, frames]
 * @param imag   [bins, frames]
 */
public record ComplexSpectrogram(int bins, int frames, float[] real, float[] imag) {
    public ComplexSpectrogram {
        long n = (long) bins * frames;
        if (real == null || imag == null || real.length != n || imag.length != n) {
            throw new IllegalArgumentException("real and imag must each have bins x frames = " + bins + " x " + frames + " values");
        }
    }

    /** {@code |X| = sqrt(re^2 + im^2)}, [bins, frames]. */
    public Spectrogram magnitude() {
        float[] m = new float[real.length];
        for (int i = 0; i < m.length; i++) m[i] = (float) Math.sqrt((double) real[i] * real[i] + (double) imag[i] * imag[i]);
        return new Spectrogram(bins, frames, m);
    }

    /** {@code |X|^2}, [bins, frames]. */
    public Spectrogram power() {
        float[] p = new float[real.length];
        for (int i = 0; i < p.length; i++) p[i] = real[i] * real[i] + imag[i] * imag[i];
        return new Spectrogram(bins, frames, p);
    }

    /** Phase {@code atan2(im, re)} in radians, [bins, frames]. */
    public Spectrogram phase() {
        float[] p = new float[real.length];
        for (int i = 0; i < p.length; i++) p[i] = (float) Math.atan2(imag[i], real[i]);
        return new Spectrogram(bins, frames, p);
    }
}
