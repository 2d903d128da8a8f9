/**
 * The full BGTAI objective in joint training (spec items 3-6):
 * <pre>
 *   L_total = L_InfoNCE + a L_CE-align + b L_SP + c L_gloss
 * </pre>
 * {@link org.bgtai.align.JointAlignment} runs DS-Net on the shared encoder's per-position audio
 * outputs against each pair's gloss tokens and adds the alignment cross-entropy (Eq. 5, DTW
 * teacher from {@link org.bgtai.align.AlignTeacher}) and the self-paced SP-Loss (Eq. 6) or its L2
 * variant through {@link org.bgtai.model.JointModel#loss(org.bgtai.model.Batch, org.bgtai.model.JointModel.ExtraLoss)};
 * {@link org.bgtai.joint.AlignedTrainer} trains model and DS-Net together with DS-Net data-pair
 * selection and an optional wall-clock budget; {@link org.bgtai.align.ResultFilter} drops
 * retrieval results whose alignment cost is above a threshold calibrated on validation.
 * Every switch lives in {@link org.bgtai.align.AlignConfig}; {@code AlignConfig.OFF} is the plain
 * joint objective.
 *
 * <pre>{@code
 * AlignConfig ac = AlignConfig.OFF.withCe(0.2).withAux(AlignConfig.Aux.SP, 1.0).withSelection(true);
 * JointAlignment ja = new JointAlignment(ac, teacherPaths, glossVocab.size(), cfg.dModel(), rng);
 * new AlignedTrainer(model, ja, trainCfg, train, 28, 140).fit(0, null);
 * }</pre>
 */
package org.bgtai.joint;

import org.bgtai.align.AlignConfig;
import org.bgtai.align.JointAlignment;
