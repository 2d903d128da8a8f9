package org.bgtai.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bgtai.tensor.Rng;
import org.junit.jupiter.api.Test;

class Seq2SeqModelTest {
    @Test
    void parameterCountEqualsTorchModel() {
        // torch: nn.Transformer(256, 4, 3, 3, 1024) + Embedding(3000, 256) + Embedding(1100, 256) + Linear(256, 1100)
        assertEquals(6_862_924L, TrainStepBench.model(new Rng(0)).numParameters());
    }
}
