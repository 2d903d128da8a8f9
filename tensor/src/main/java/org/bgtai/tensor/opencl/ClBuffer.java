package org.bgtai.tensor.opencl;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Storage;
import org.jocl.CL;
import org.jocl.cl_mem;

/**
 * Storage of an OpenCL device: one {@code cl_mem} of {@link #length()} floats, shared by the
 * tensor and its views. {@link #close()} frees it at once; a buffer that becomes unreachable
 * without being closed is freed by a {@link Cleaner}. Using a tensor whose buffer is closed
 * throws {@link IllegalStateException} naming the tensor's shape.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(data, 4, 3).to(Device.parse("opencl:0"));
 * try (ClBuffer b = (ClBuffer) x.storage()) {
 *     ... use x ...
 * }                                  // device memory released here
 * }</pre>
 *
 * <p>Releasing a buffer while queued kernels still read it is safe: OpenCL keeps the memory
 * until those commands finish.
 */
public final class ClBuffer implements Storage, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final OpenClDevice device;
    private final int length;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    /** The part the cleaner holds: must not reference the ClBuffer itself. */
    private static final class Release implements Runnable {
        private cl_mem mem;
        private final long bytes;
        private final AtomicLong live;

        Release(cl_mem mem, long bytes, AtomicLong live) {
            this.mem = mem;
            this.bytes = bytes;
            this.live = live;
        }

        synchronized cl_mem mem() {
            return mem;
        }

        @Override
        public void run() {
            cl_mem m;
            synchronized (this) {
                m = mem;
                mem = null;
            }
            if (m != null) {
                CL.clReleaseMemObject(m);
                live.addAndGet(-bytes);
            }
        }
    }

    ClBuffer(OpenClDevice device, cl_mem mem, int length, long bytes, AtomicLong live) {
        this.device = device;
        this.length = length;
        this.release = new Release(mem, bytes, live);
        this.cleanable = CLEANER.register(this, release);
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public int length() {
        return length;
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return release.mem() == null;
    }

    /** The buffer, or null when closed. */
    cl_mem memOrNull() {
        return release.mem();
    }

    /** Frees the device memory now (idempotent). Tensors over this buffer become unusable. */
    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "ClBuffer[" + length + " floats on " + device.name() + (isClosed() ? ", closed" : "") + "]";
    }
}
