package org.bgtai.nn.optim;

import java.util.Map;
import org.bgtai.tensor.Tensor;

/**
 * A checkpointable optimizer state: the step count and named state tensors
 * ({@code "<param>.exp_avg"}, {@code "<param>.exp_avg_sq"}, {@code "<param>.momentum_buffer"}).
 */
public record OptimizerState(long step, Map<String, Tensor> tensors) {}
