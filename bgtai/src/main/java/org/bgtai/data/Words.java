package org.bgtai.data;

/** English digit words and their glosses. */
public final class Words {
    private Words() {}

    public static final String[] DIGITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

    /** "seven" for 7. */
    public static String digit(int d) {
        return DIGITS[d];
    }

    /** "SEVEN" for 7. */
    public static String digitGloss(int d) {
        return DIGITS[d].toUpperCase(java.util.Locale.ROOT);
    }
}
