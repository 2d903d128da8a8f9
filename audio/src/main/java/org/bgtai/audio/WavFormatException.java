package org.bgtai.audio;

import java.io.IOException;

/**
 * A WAV file that cannot be decoded: not RIFF/WAVE, truncated, inconsistent header, or an
 * unsupported codec. The message names the file and the problem, e.g.
 * {@code "clip.wav: unsupported WAV codec MPEG Layer 3 (format tag 0x0055); convert to PCM or float WAV first"}.
 */
public class WavFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;

    /**
     * @param file    the file or stream name the problem was found in
     * @param problem what is wrong, and what to do where that is known
     */
    public WavFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The file or stream name the problem was found in. */
    public String file() {
        return file;
    }
}
