package org.bgtai.tensor;

/**
 * The memory behind one or more tensors (views share it). CPU storage is a heap
 * {@code float[]}; offload backends implement this with device buffers that are
 * {@link AutoCloseable}.
 */
public interface Storage {
    Device device();

    /** Number of float elements. */
    int length();

    /** Heap-backed storage of the CPU device. */
    record Cpu(float[] data) implements Storage {
        @Override
        public Device device() {
            return Device.CPU;
        }

        @Override
        public int length() {
            return data.length;
        }
    }
}
