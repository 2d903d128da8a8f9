/**
 * Translation metrics usable on their own, all on a 0-100 scale over whitespace tokens:
 * {@link org.bgtai.metrics.Bleu} (corpus BLEU-1..4, Papineni, optional smoothing),
 * {@link org.bgtai.metrics.RougeL} (sentence ROUGE-L F averaged), {@link org.bgtai.metrics.Wer}
 * (corpus word error rate) and {@link org.bgtai.metrics.ChrF} (character n-gram F-score).
 * Captioning metrics on their own scales, with one or more references per item:
 * {@link org.bgtai.metrics.CiderD} (CIDEr-D as the COCO caption evaluation computes it, 0-10) and
 * {@link org.bgtai.metrics.Meteor} (METEOR with exact matching only, 0-1). Retrieval, linear
 * probes, FID ({@link org.bgtai.metrics.Fid}) and the Inception Score
 * ({@link org.bgtai.metrics.InceptionScore}) are here too.
 */
package org.bgtai.metrics;
