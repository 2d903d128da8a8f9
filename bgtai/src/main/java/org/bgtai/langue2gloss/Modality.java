package org.bgtai.langue2gloss;

/** The input modality of the universal language encoder; the ordinal is the row of the modality embedding. */
public enum Modality {
    TEXT, AUDIO
}
