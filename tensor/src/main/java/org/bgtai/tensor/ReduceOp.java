package org.bgtai.tensor;

/** Reductions along axes. */
public enum ReduceOp {
    SUM, MEAN, MAX, MIN, PROD, LOGSUMEXP
}
