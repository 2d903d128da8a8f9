package org.bgtai.data;

/**
 * One audio-image-language example: the common record of AV-Digits and the built-in world.
 *
 * @param audio      mono waveform [samples] at {@code sampleRate}
 * @param sampleRate Hz
 * @param image      the paired image
 * @param text       lower-case caption ("seven", "big red circle")
 * @param gloss      upper-case gloss tokens separated by spaces ("SEVEN", "BIG RED CIRCLE")
 * @param label      class index (digit, or world class id)
 * @param speaker    speaker / voice id ("" when none)
 */
public record Sample(float[] audio, int sampleRate, Image image, String text, String gloss, int label, String speaker) {}
