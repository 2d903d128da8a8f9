package org.bgtai.data;

/** Train / validation / test split of a data set. */
public enum Split {
    TRAIN, VAL, TEST;

    /** Lower-case name as used in file and report names. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
