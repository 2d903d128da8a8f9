package org.bgtai.align;

import org.bgtai.nn.align.SelfPaced;

/**
 * Switches and weights of the alignment terms of the full BGTAI objective (spec items 3-6):
 * <pre>
 *   L_total = L_InfoNCE + a L_CE-align + b L_aux + c L_gloss,    L_aux = self-paced SP-Loss (Eq. 6) or L2
 * </pre>
 * {@code c} is {@link org.bgtai.model.ModelConfig#glossWeight()}. {@link #OFF} (a = b = 0, no
 * selection, no Result Filter) is the plain {@link org.bgtai.model.JointModel} objective; each
 * ablation is one {@code with...} call.
 *
 * @param ceWeight      a, weight of the alignment cross-entropy against the DTW teacher path (Eq. 5)
 * @param auxWeight     b, weight of the position loss {@link #aux}
 * @param aux           SP: self-paced SP-Loss (mean |p^_q - p*_q|); L2: mean (p^_q - p*_q)^2 (the regression variant)
 * @param selfPaced     self-paced weight schedule of the SP-Loss (per pair, per epoch; logged)
 * @param selection     data-pair selection: each epoch skip the least DS-Net-confident training pairs
 * @param selectStart   skipped fraction in the first scored epoch, falling linearly to 0 at the last nominal epoch
 * @param resultFilter  apply the Result Filter at evaluation (drop retrieval results above the calibrated cost)
 * @param rfQuantile    quantile of validation true-pair costs used as the Result Filter threshold
 * @param rfTopK        results checked by the Result Filter per query
 * @param dsWidth       DS-Net width D
 * @param selectBy      what data-pair selection ranks pairs by
 */
public record AlignConfig(double ceWeight, double auxWeight, Aux aux, SelfPaced selfPaced, boolean selection, double selectStart,
                          boolean resultFilter, double rfQuantile, int rfTopK, int dsWidth, SelectBy selectBy) {
    /** The position loss beside the alignment cross-entropy. */
    public enum Aux { SP, L2 }

    /**
     * The score of data-pair selection: DSNET, DS-Net's confidence in its own alignment of the
     * pair (the paper's selection, updated as the pair is trained on); TEACHER, the DTW teacher's
     * alignment cost of the pair's gloss prototypes against its audio (fixed before training; the
     * ablation that asks whether the signal is in the data or in DS-Net).
     */
    public enum SelectBy { DSNET, TEACHER }

    /** Everything off: the plain joint objective. */
    public static final AlignConfig OFF = new AlignConfig(0, 0, Aux.SP, SelfPaced.hard(0.1, 1.5, 1.0), false, 0.2, false, 0.95, 10, 32, SelectBy.DSNET);

    public AlignConfig {
        if (!(ceWeight >= 0) || !(auxWeight >= 0)) throw new IllegalArgumentException("alignment weights a, b must be >= 0, got a=" + ceWeight + ", b=" + auxWeight);
        if (selectBy == null) throw new IllegalArgumentException("selectBy must be set (SelectBy.DSNET or SelectBy.TEACHER)");
        if (aux == null || selfPaced == null) throw new IllegalArgumentException("aux loss and self-paced schedule must be set (e.g. Aux.SP, SelfPaced.hard(0.1, 1.5, 1.0))");
        if (!(selectStart >= 0 && selectStart < 1)) throw new IllegalArgumentException("selectStart must be in [0, 1), got " + selectStart);
        if (!(rfQuantile > 0 && rfQuantile <= 1)) throw new IllegalArgumentException("rfQuantile must be in (0, 1], got " + rfQuantile);
        if (rfTopK < 1 || dsWidth < 1) throw new IllegalArgumentException("rfTopK and dsWidth must be >= 1, got " + rfTopK + ", " + dsWidth);
        if ((selection || resultFilter) && ceWeight == 0 && auxWeight == 0)
            throw new IllegalArgumentException("pair selection and the Result Filter score pairs with DS-Net, which only learns with a > 0 or b > 0; set withCe(...) or withAux(...)");
    }

    /** The full method's default: a = 0.2, b = 1 (self-paced SP-Loss), data-pair selection from 20 % down. */
    public static final AlignConfig FULL = OFF.withCe(0.2).withAux(Aux.SP, 1.0).withSelection(true);

    /** The switches and weights as JSON-ready values (saved with a trained model). */
    public java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a_ce_align", ceWeight);
        m.put("b_aux", auxWeight);
        m.put("aux", aux.name());
        m.put("selection", selection);
        m.put("select_start", selectStart);
        m.put("select_by", selectBy.name());
        m.put("result_filter", resultFilter);
        m.put("ds_width", dsWidth);
        return m;
    }

    /** DS-Net takes part (trained, and used for selection or filtering). */
    public boolean usesDsNet() {
        return ceWeight > 0 || auxWeight > 0;
    }

    public AlignConfig withCe(double a) {
        return new AlignConfig(a, auxWeight, aux, selfPaced, selection, selectStart, resultFilter, rfQuantile, rfTopK, dsWidth, selectBy);
    }

    public AlignConfig withAux(Aux kind, double b) {
        return new AlignConfig(ceWeight, b, kind, selfPaced, selection, selectStart, resultFilter, rfQuantile, rfTopK, dsWidth, selectBy);
    }

    public AlignConfig withSelection(boolean on) {
        return new AlignConfig(ceWeight, auxWeight, aux, selfPaced, on, selectStart, resultFilter, rfQuantile, rfTopK, dsWidth, selectBy);
    }

    public AlignConfig withResultFilter(boolean on) {
        return new AlignConfig(ceWeight, auxWeight, aux, selfPaced, selection, selectStart, on, rfQuantile, rfTopK, dsWidth, selectBy);
    }

    public AlignConfig withSelectBy(SelectBy by) {
        return new AlignConfig(ceWeight, auxWeight, aux, selfPaced, selection, selectStart, resultFilter, rfQuantile, rfTopK, dsWidth, by);
    }

    public AlignConfig withSelfPaced(SelfPaced s) {
        return new AlignConfig(ceWeight, auxWeight, aux, s, selection, selectStart, resultFilter, rfQuantile, rfTopK, dsWidth, selectBy);
    }
}
