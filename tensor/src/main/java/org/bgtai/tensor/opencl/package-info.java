/**
 * OpenCL offload backend through JOCL: the device is a property of the tensor.
 *
 * <pre>{@code
 * Device gpu = Device.parse("opencl:0");          // or Devices.fromEnvironment() with BGTAI_DEVICE=opencl:0
 * Tensor w = Tensor.of(weights, 256, 1024).to(gpu); // explicit transfer
 * Tensor y = x.to(gpu).matmul(w).gelu();           // kernels queued on the device, no host round trip
 * float[] out = y.toArray();                       // the only blocking step: read back
 * }</pre>
 *
 * <ul>
 *   <li>{@link org.bgtai.tensor.opencl.OpenClDevices}: discovery, {@code opencl:N} numbering,
 *       registration with {@link org.bgtai.tensor.Devices}.</li>
 *   <li>{@link org.bgtai.tensor.opencl.OpenClDevice}: context, in-order queue, the kernel program
 *       ({@code kernels.cl}, {@code fused.cl}) compiled once per device.</li>
 *   <li>{@link org.bgtai.tensor.opencl.ClBuffer}: device memory of a tensor, {@code AutoCloseable},
 *       freed by a {@link java.lang.ref.Cleaner} when forgotten.</li>
 *   <li>{@code OpenClBackend}: every {@link org.bgtai.tensor.Backend} op as OpenCL kernels over
 *       strided views; autograd and layers run on it unchanged.</li>
 *   <li>{@code OpenClFusedOps}: the {@link org.bgtai.tensor.FusedOps} the layers call (attention
 *       softmax, layer norm, cross-entropy, dropout, im2col, pooling, optimizer updates) as kernels
 *       of {@code fused.cl}.</li>
 *   <li>{@link org.bgtai.tensor.opencl.OpenClGemmBench}: device GEMM GFLOP/s against the CPU.</li>
 * </ul>
 */
package org.bgtai.tensor.opencl;
