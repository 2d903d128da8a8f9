package org.bgtai.data;

/**
 * A spoken digit string with its image strip and the ground-truth alignment.
 *
 * @param audio      clips of one speaker joined by silences [samples] at {@code sampleRate}
 * @param sampleRate Hz
 * @param image      horizontal strip of MNIST digits, [1, 28, 28 * digits.length]
 * @param text       "three seven one"
 * @param gloss      "THREE SEVEN ONE"
 * @param digits     the digits in order
 * @param speaker    FSDD speaker
 * @param starts     first sample of clip {@code i} in {@code audio}
 * @param ends       one past the last sample of clip {@code i}
 */
public record DigitString(float[] audio, int sampleRate, Image image, String text, String gloss, int[] digits,
                          String speaker, int[] starts, int[] ends) {}
