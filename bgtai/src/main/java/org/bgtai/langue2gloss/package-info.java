/**
 * Langue2Gloss (BGTAI spec items 1-2, paper Eq. 1-2): text or audio to sign-language gloss.
 *
 * <ul>
 * <li>{@link org.bgtai.langue2gloss.EncoderInput} (sealed: {@code Text}, {@code Audio}) and
 *     {@link org.bgtai.langue2gloss.Modality}: what the universal language encoder reads; audio goes
 *     through the joint model's front end ({@link org.bgtai.model.AudioEncoder}, time / 4) when the
 *     config has {@code nMels > 0}. {@link org.bgtai.langue2gloss.Sources}: in-memory inputs of one
 *     modality, batched on demand.
 * <li>{@link org.bgtai.langue2gloss.Langue2Gloss}: encoder ({@code o_1:N}, pooled {@code h_L}) and
 *     transformer decoder with cross-attention over {@code [h_L; o_1:N]};
 *     {@link org.bgtai.langue2gloss.L2GConfig} its architecture.
 * <li>{@link org.bgtai.langue2gloss.Search}: batched greedy and beam search (length penalty, max
 *     length) on the incremental decoder cache.
 * <li>{@link org.bgtai.langue2gloss.Langue2GlossRecipe}: teacher-forced cross-entropy with label
 *     smoothing over one or more tasks sharing the encoder, for the training loop of {@code nn.train}
 *     (AdamW + warm-up schedule, clipping, per-epoch atomic checkpoints, resume, best-epoch selection,
 *     checkpoint averaging); {@link org.bgtai.langue2gloss.L2gTraining} runs it on PHOENIX-2014T
 *     (dev BLEU-4 selection) or on in-memory {@link org.bgtai.langue2gloss.Sources} (audio + text of
 *     spoken digit strings; validation sequence accuracy, early stopping).
 * <li>{@link org.bgtai.langue2gloss.ModelDir}: the model folder (config, vocabularies, weights) and
 *     compatibility checks, and ensemble folders (members decoded together by
 *     {@link org.bgtai.langue2gloss.Search}, each reading the source with its own tokenizer, so word
 *     and BPE members mix; they share the gloss vocabulary); {@link org.bgtai.langue2gloss.ParallelCorpus}: validated data loading;
 *     {@link org.bgtai.langue2gloss.Evaluation}: BLEU-1..4, ROUGE-L, WER, chrF, sequence accuracy of a split.
 * </ul>
 *
 * <pre>
 * bin/bgtai l2g train --out runs/l2g                 # the default recipe: an ensemble of six (--members 6), word and BPE sources in turn
 * bin/bgtai l2g train --out runs/one --members 1     # one model of that recipe (word source)
 * bin/bgtai l2g eval --model runs/l2g --split dev,test --beam 5 --json runs/l2g/eval.json
 * bin/bgtai l2g translate --model runs/l2g "am tag regen im norden"
 * bin/bgtai experiments l2g-audio --seeds 3          # audio -> gloss on spoken FSDD digit strings
 * </pre>
 */
package org.bgtai.langue2gloss;
