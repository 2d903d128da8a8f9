/**
 * Translation metrics usable on their own, all on a 0-100 scale over whitespace tokens:
 * {@link org.bgtai.metrics.Bleu} (corpus BLEU-1..4, Papineni, optional smoothing),
 * {@link org.bgtai.metrics.RougeL} (sentence ROUGE-L F averaged), {@link org.bgtai.metrics.Wer}
 * (corpus word error rate) and {@link org.bgtai.metrics.ChrF} (character n-gram F-score).
 */
package org.bgtai.metrics;
