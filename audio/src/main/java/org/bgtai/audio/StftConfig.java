package org.bgtai.audio;

/**
 * Short-time Fourier transform settings.
 *
 * <p>{@link #of(int)} gives the defaults of {@code torch.stft} / {@code librosa.stft}
 * ({@code hop = n_fft / 4}, {@code win_length = n_fft}, periodic Hann, {@code center=True},
 * reflect padding; note librosa 0.10 changed its default pad mode to constant).
 * {@link #SPEECH_16K} is the usual 16 kHz speech front end (25 ms window, 10 ms hop: n_fft 400,
 * hop 160), the setting of Whisper's and the project's STFT fixture.
 *
 * <pre>{@code
 * StftConfig c = StftConfig.of(512).withHop(160).withWindow(Window.HAMMING);
 * }</pre>
 *
 * @param nFft      FFT size; spectra have {@code nFft / 2 + 1} bins
 * @param hop       samples between frame starts, >= 1
 * @param winLength window length, 1..nFft; a shorter window is zero-padded on both sides to nFft (as torch does)
 * @param window    the window shape (always periodic, as torch.stft with torch.hann_window)
 * @param center    pad {@code nFft / 2} samples on both sides so that frame t is centered at {@code t * hop}
 * @param padMode   how the centered signal is padded
 */
public record StftConfig(int nFft, int hop, int winLength, Window window, boolean center, PadMode padMode) {
    /** n_fft 400, hop 160, win 400, periodic Hann, centered, reflect (matches {@code stft.safetensors}). */
    public static final StftConfig SPEECH_16K = new StftConfig(400, 160, 400, Window.HANN, true, PadMode.REFLECT);

    public StftConfig {
        if (nFft < 1) throw new IllegalArgumentException("n_fft must be >= 1, got " + nFft);
        if (hop < 1) throw new IllegalArgumentException("hop must be >= 1, got " + hop);
        if (winLength < 1 || winLength > nFft) {
            throw new IllegalArgumentException("win_length must be in [1, n_fft=" + nFft + "], got " + winLength);
        }
        if (window == null || padMode == null) throw new IllegalArgumentException("window and padMode must not be null");
    }

    /** torch.stft defaults for {@code nFft}: hop nFft/4, Hann window of nFft, centered, reflect. */
    public static StftConfig of(int nFft) {
        return new StftConfig(nFft, Math.max(1, nFft / 4), nFft, Window.HANN, true, PadMode.REFLECT);
    }

    public StftConfig withHop(int h) {
        return new StftConfig(nFft, h, winLength, window, center, padMode);
    }

    public StftConfig withWinLength(int w) {
        return new StftConfig(nFft, hop, w, window, center, padMode);
    }

    public StftConfig withWindow(Window w) {
        return new StftConfig(nFft, hop, winLength, w, center, padMode);
    }

    public StftConfig withCenter(boolean c) {
        return new StftConfig(nFft, hop, winLength, window, c, padMode);
    }

    public StftConfig withPadMode(PadMode p) {
        return new StftConfig(nFft, hop, winLength, window, center, p);
    }

    /** Number of frequency bins, {@code nFft / 2 + 1}. */
    public int bins() {
        return nFft / 2 + 1;
    }

    /**
     * Number of frames for a signal of {@code length} samples: {@code 1 + (L - nFft) / hop} with
     * {@code L = length + 2 * (nFft / 2)} when centered (so {@code 1 + length / hop} for even nFft),
     * else {@code L = length}; 0 when {@code L < nFft}.
     */
    public int frames(int length) {
        long padded = center ? length + 2L * (nFft / 2) : length;
        return padded < nFft ? 0 : (int) (1 + (padded - nFft) / hop);
    }
}
