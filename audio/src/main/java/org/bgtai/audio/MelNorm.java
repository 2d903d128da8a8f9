package org.bgtai.audio;

/**
 * Normalisation of the triangular mel filters.
 *
 * <ul>
 *   <li>{@link #NONE}: triangles peak at 1 ({@code librosa norm=None}, {@code torchaudio norm=None}, the torchaudio default).</li>
 *   <li>{@link #SLANEY}: each triangle is scaled by {@code 2 / (f_right - f_left)} so it has unit area in Hz
 *       ({@code norm="slaney"} in both; the librosa default).</li>
 * </ul>
 */
public enum MelNorm {
    NONE, SLANEY
}
