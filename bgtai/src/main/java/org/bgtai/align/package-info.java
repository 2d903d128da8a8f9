/**
 * DS-Net and everything around it (spec items 3-5): {@link org.bgtai.align.DsNet} predicts a
 * monotonic alignment of a target sequence (gloss tokens) to any source sequence (audio frames,
 * {@link org.bgtai.align.AlignFeatures}; image columns, {@link org.bgtai.align.ColumnFeatures});
 * trained against DTW teacher paths ({@link org.bgtai.align.DictionaryAligner}, {@link org.bgtai.align.AlignTeacher})
 * with the alignment cross-entropy (Eq. 5) it is the Result Filter
 * ({@link org.bgtai.align.ResultFilter}), with the self-paced SP-Loss (Eq. 6) as an auxiliary term;
 * {@link org.bgtai.align.DsNetRecipe} trains it on its own, {@link org.bgtai.align.JointAlignment}
 * wires its terms into joint training, and {@link org.bgtai.align.Selection} is the data-pair
 * selection schedule both use. {@link org.bgtai.align.AlignMetrics} scores alignments against the
 * ground-truth boundaries of digit strings.
 */
package org.bgtai.align;
