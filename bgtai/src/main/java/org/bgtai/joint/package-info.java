/**
 * Joint training of UniBriVL and BGTAI (spec item 6) on the training loop of {@code nn.train}:
 * <pre>
 *   L_total = L_InfoNCE + a L_CE-align + b L_SP + c L_gloss
 * </pre>
 * {@link org.bgtai.joint.JointRecipe} is the recipe: the plain objective of
 * {@link org.bgtai.model.JointModel#loss(org.bgtai.model.Batch)}, or with the DS-Net terms and
 * data-pair selection of {@link org.bgtai.align.JointAlignment}. {@link org.bgtai.joint.Run} is
 * one run on a {@link org.bgtai.joint.DataSource} (built-in world, AV-Digits, digit strings) with
 * its test metrics; {@link org.bgtai.joint.Report} draws its curves and example retrievals.
 *
 * <pre>{@code
 * AlignConfig ac = AlignConfig.OFF.withCe(0.2).withAux(AlignConfig.Aux.SP, 1.0).withSelection(true);
 * JointAlignment ja = new JointAlignment(ac, teacherPaths, glossVocab.size(), cfg.dModel(), rng);
 * new Trainer(TrainOptions.of(20, 16, 2e-3)).fit(new JointRecipe(model, ja, train, 28, 140));
 * }</pre>
 */
package org.bgtai.joint;
