package org.bgtai.experiments;

import org.bgtai.autograd.GradMode;
import org.bgtai.autograd.Var;
import org.bgtai.model.Batch;
import org.bgtai.langue2gloss.Langue2Gloss;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.loss.CrossEntropy;
import org.bgtai.nn.train.Loss;
import org.bgtai.nn.train.Recipe;
import org.bgtai.nn.train.TrainOptions;
import org.bgtai.nn.train.Trainer;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.bgtai.model.MelAugment;

/**
 * The supervised-from-scratch baseline of Table 2: the same audio path as the joint models
 * (log-mel, strided Conv1d front end, the transformer of the language encoder, masked mean pool)
 * with a linear classifier on the pooled features, trained with cross-entropy on the digit labels:
 * <pre>
 *   logits = W h + b,   h = h_L of the universal language encoder (Langue2Gloss, encoder only),   L = CE(logits, digit)
 * </pre>
 * Its frozen {@code h} is probed like the joint models' audio embeddings.
 */
public final class SupervisedAudio extends Module {
    private final Langue2Gloss encoder;
    private final Linear head;
    private final ModelConfig cfg;

    public SupervisedAudio(ModelConfig cfg, int classes, Rng rng) {
        this.cfg = cfg;
        encoder = registerModule("lang", new Langue2Gloss(cfg.withVariant(ModelConfig.Variant.UNIBRIVL).language(5, 5), rng));
        head = registerModule("head", new Linear(cfg.dModel(), classes, true, rng));
    }

    public Langue2Gloss encoder() {
        return encoder;
    }

    /** @return pooled audio features h [B, dModel] */
    public Var features(Batch b) {
        return encoder.encode(JointModel.audioInput(b)).pooled();
    }

    /** @return class logits [B, classes] */
    public Var logits(Batch b) {
        return head.forward(features(b));
    }

    /**
     * Trains with the loop's defaults (AdamW, warm-up over at most 100 steps then cosine, clipping
     * at 1) and log-mel augmentation; leaves the model in eval mode.
     *
     * @param train  prepared single-digit samples (labels 0..classes-1)
     * @param height image height of the prepared samples (images are not used)
     */
    public void fit(Prepared[] train, int height, int width, int epochs, int batch, double lr, MelAugment augment, long seed, boolean quiet) {
        TrainOptions o = TrainOptions.of(epochs, batch, lr).withSeed(seed).withLog(quiet ? null : System.err);
        new Trainer(o).fit(new Recipe() {
            @Override
            public Module model() {
                return SupervisedAudio.this;
            }

            @Override
            public int size() {
                return train.length;
            }

            @Override
            public Loss loss(int[] idx, Step step) {
                Batch b = Batch.of(train, idx, cfg.nMels(), cfg.imageChannels(), height, width);
                if (augment != null) b = augment.apply(b, step.rng());
                return Loss.of(CrossEntropy.loss(logits(b), IntTensor.of(b.labels(), b.size())));
            }
        });
        train(false);
    }

    /** Frozen pooled features [N][dModel] and the classifier's predictions of {@code data}. */
    public record Output(float[][] features, int[] predictions, int[] labels) {
        public double accuracy() {
            int ok = 0;
            for (int i = 0; i < labels.length; i++) if (predictions[i] == labels[i]) ok++;
            return (double) ok / labels.length;
        }
    }

    public Output embed(Prepared[] data, int height, int width) {
        boolean was = isTraining();
        eval();
        int n = data.length;
        float[][] f = new float[n][];
        int[] pred = new int[n], lab = new int[n];
        try (var ignored = GradMode.noGrad()) {
            for (int lo = 0; lo < n; lo += 64) {
                int hi = Math.min(n, lo + 64);
                Batch b = Batch.of(data, java.util.stream.IntStream.range(lo, hi).toArray(), cfg.nMels(), cfg.imageChannels(), height, width);
                Var h = features(b);
                Tensor lg = head.forward(h).value().contiguous();
                float[] hd = h.value().contiguous().toArray(), ld = lg.toArray();
                int d = h.size(1), k = lg.size(1);
                for (int r = 0; r < hi - lo; r++) {
                    f[lo + r] = java.util.Arrays.copyOfRange(hd, r * d, (r + 1) * d);
                    int arg = 0;
                    for (int c = 1; c < k; c++) if (ld[r * k + c] > ld[r * k + arg]) arg = c;
                    pred[lo + r] = arg;
                    lab[lo + r] = b.labels()[r];
                }
            }
        } finally {
            train(was);
        }
        return new Output(f, pred, lab);
    }
}
