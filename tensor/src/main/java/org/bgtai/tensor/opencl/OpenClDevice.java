package org.bgtai.tensor.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bgtai.tensor.Backend;
import org.bgtai.tensor.Device;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * One OpenCL device as a {@link Device}: its context, one in-order command queue, and the kernel
 * program ({@code kernels.cl} and {@code fused.cl}), compiled once when the device is opened and cached with its
 * kernels. Ops enqueue kernels without waiting; only reads back to the host
 * ({@link org.bgtai.tensor.Tensor#toArray()}, {@code item()}, argmax results) block, so a chain
 * of device ops makes no host round trips. Get instances from {@link OpenClDevices} or
 * {@code Device.parse("opencl:0")}; they live as long as the process.
 */
public final class OpenClDevice implements Device {
    static final String KERNELS = "kernels.cl";
    /** The fused ops' kernels ({@link OpenClFusedOps}), compiled in the same program after {@link #KERNELS}. */
    static final String FUSED_KERNELS = "fused.cl";

    private final String name;
    private final String description;
    private final cl_device_id id;
    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_program program;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final OpenClBackend backend;
    private final long maxAlloc;
    private final long globalMem;
    private final int maxWorkGroup;
    private final AtomicLong liveBytes = new AtomicLong();
    private long lastGc;

    OpenClDevice(int index, cl_platform_id platform, cl_device_id id, String description) {
        this.name = "opencl:" + index;
        this.description = description;
        this.id = id;
        try {
            org.jocl.cl_context_properties props = new org.jocl.cl_context_properties();
            props.addProperty(CL_CONTEXT_PLATFORM, platform);
            this.context = clCreateContext(props, 1, new cl_device_id[] {id}, null, null, null);
            this.queue = createQueue(context, id);
            this.maxAlloc = deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
            this.globalMem = deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE);
            this.maxWorkGroup = (int) Math.min(256, deviceSizeT(id, CL_DEVICE_MAX_WORK_GROUP_SIZE));
        } catch (CLException e) {
            throw OpenClException.wrap("opening the device (" + description + ")", name, e);
        }
        this.program = build(loadKernelSource(KERNELS) + "\n" + loadKernelSource(FUSED_KERNELS));
        this.backend = new OpenClBackend(this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** Platform and device name, e.g. {@code Portable Computing Language / cpu-haswell-...}. */
    public String description() {
        return description;
    }

    /** Largest single buffer the device allows, in bytes. */
    public long maxAllocBytes() {
        return maxAlloc;
    }

    /** Bytes currently held by open buffers of this device. */
    public long liveBytes() {
        return liveBytes.get();
    }

    /** Waits until every queued command has finished (for timing; ops never need it). */
    public void synchronize() {
        try {
            clFinish(queue);
        } catch (CLException e) {
            throw OpenClException.wrap("clFinish", name, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    int maxWorkGroup() {
        return maxWorkGroup;
    }

    // ------------------------------------------------------------------ program

    private static String loadKernelSource(String resource) {
        try (InputStream in = OpenClDevice.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("resource " + resource + " missing from the bgtai-tensor jar; rebuild it");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    /** Compiles {@code source} for this device; a failure throws with the compiler's build log. */
    cl_program build(String source) {
        cl_program p;
        try {
            p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        } catch (CLException e) {
            throw OpenClException.wrap("clCreateProgramWithSource", name, e);
        }
        try {
            clBuildProgram(p, 1, new cl_device_id[] {id}, "-cl-std=CL1.2", null, null);
        } catch (CLException e) {
            String log = buildLog(p);
            clReleaseProgram(p);
            throw new OpenClException("OpenCL kernel build failed on " + name + " (" + description + "): " + e.getMessage()
                + "\nbuild log:\n" + log, e);
        }
        return p;
    }

    /** Test hook: builds {@code source} and releases the program (throws with the build log on failure). */
    void compileCheck(String source) {
        clReleaseProgram(build(source));
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] buf = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
            int n = buf.length;
            while (n > 0 && buf[n - 1] == 0) n--;
            return new String(buf, 0, n, StandardCharsets.UTF_8);
        } catch (CLException e) {
            return "(build log unavailable: " + e.getMessage() + ")";
        }
    }

    private cl_kernel kernel(String kname) {
        cl_kernel k = kernels.get(kname);
        if (k == null) {
            k = clCreateKernel(program, kname, null);
            kernels.put(kname, k);
        }
        return k;
    }

    // ------------------------------------------------------------------ memory

    /** A new buffer of {@code n} floats (contents undefined). */
    ClBuffer alloc(int n) {
        long bytes = 4L * Math.max(n, 1);
        if (bytes > maxAlloc)
            throw new OpenClException("cannot allocate " + bytes + " bytes (" + n + " floats) on " + name + ": the device's largest buffer is "
                + maxAlloc + " bytes (CL_DEVICE_MAX_MEM_ALLOC_SIZE); split the tensor or use the CPU");
        maybeCollect(bytes);
        for (int attempt = 0; ; attempt++) {
            try {
                cl_mem m = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
                liveBytes.addAndGet(bytes);
                return new ClBuffer(this, m, n, bytes, liveBytes);
            } catch (CLException e) {
                if (!OpenClException.isOutOfMemory(e) && e.getStatus() != CL_INVALID_BUFFER_SIZE) throw OpenClException.wrap("clCreateBuffer", name, e);
                if (attempt < 3) {
                    collectGarbage(attempt);
                    continue;
                }
                throw new OpenClException("out of device memory on " + name + ": could not allocate " + bytes + " bytes (" + n
                    + " floats); " + liveBytes.get() + " bytes are held by open tensors of " + globalMem
                    + " on the device; close tensors you no longer need (ClBuffer.close()) or use smaller batches", e);
            }
        }
    }

    /**
     * Device memory is invisible to the Java heap, so unclosed temporaries pile up until a GC runs
     * their cleaners; ask for one when open buffers pass half of the device memory.
     */
    private void maybeCollect(long bytes) {
        if (liveBytes.get() + bytes > globalMem / 2) {
            long now = System.nanoTime();
            synchronized (this) {
                if (now - lastGc < 50_000_000L) return;
                lastGc = now;
            }
            System.gc();
        }
    }

    private static void collectGarbage(int attempt) {
        System.gc();
        try {
            Thread.sleep(20L * (attempt + 1));  // let the cleaner thread release buffers
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /** A read-only int buffer holding a copy of {@code data} (index uploads). Caller releases it. */
    cl_mem uploadInts(int[] data) {
        int[] d = data.length == 0 ? new int[1] : data;
        try {
            return clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, 4L * d.length, Pointer.to(d), null);
        } catch (CLException e) {
            throw OpenClException.wrap("uploading " + data.length + " indices", name, e);
        }
    }

    /** A scratch int buffer for {@code n} results. Caller releases it. */
    cl_mem intBuffer(int n) {
        try {
            return clCreateBuffer(context, CL_MEM_READ_WRITE, 4L * Math.max(1, n), null, null);
        } catch (CLException e) {
            throw OpenClException.wrap("allocating " + n + " ints", name, e);
        }
    }

    void write(ClBuffer b, float[] data) {
        if (data.length == 0) return;
        try {
            clEnqueueWriteBuffer(queue, b.memOrNull(), CL_TRUE, 0, 4L * data.length, Pointer.to(data), 0, null, null);
        } catch (CLException e) {
            throw OpenClException.wrap("copying " + data.length + " floats to the device", name, e);
        } finally {
            Reference.reachabilityFence(b);
        }
    }

    /** Blocking read of {@code n} floats from element {@code offset}. */
    float[] read(ClBuffer b, int offset, int n) {
        float[] out = new float[n];
        if (n == 0) return out;
        try {
            clEnqueueReadBuffer(queue, b.memOrNull(), CL_TRUE, 4L * offset, 4L * n, Pointer.to(out), 0, null, null);
        } catch (CLException e) {
            throw OpenClException.wrap("reading " + n + " floats back to the host", name, e);
        } finally {
            Reference.reachabilityFence(b);
        }
        return out;
    }

    int[] readInts(cl_mem m, int n) {
        int[] out = new int[n];
        if (n == 0) return out;
        try {
            clEnqueueReadBuffer(queue, m, CL_TRUE, 0, 4L * n, Pointer.to(out), 0, null, null);
        } catch (CLException e) {
            throw OpenClException.wrap("reading " + n + " ints back to the host", name, e);
        }
        return out;
    }

    // ------------------------------------------------------------------ launch

    /** Bytes of local memory for a {@code local float* / int*} kernel argument. */
    record Local(long bytes) {}

    /**
     * Sets the arguments of kernel {@code kname} and enqueues it (no wait). Arguments: Integer
     * (int), Long (long), Float (float), int[8] (int8), ClBuffer or cl_mem (global buffer), {@link Local}.
     */
    void launch(String kname, long[] global, long[] local, Object... args) {
        if (global[0] == 0) return;
        synchronized (this) {  // clSetKernelArg on a shared kernel object is not thread-safe
            try {
                cl_kernel k = kernel(kname);
                for (int i = 0; i < args.length; i++) setArg(k, i, args[i]);
                clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
            } catch (CLException e) {
                throw OpenClException.wrap("kernel " + kname, name, e);
            } finally {
                Reference.reachabilityFence(args);
            }
        }
    }

    private static void setArg(cl_kernel k, int i, Object a) {
        if (a instanceof Integer v) clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
        else if (a instanceof Long v) clSetKernelArg(k, i, Sizeof.cl_long, Pointer.to(new long[] {v}));
        else if (a instanceof Float v) clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
        else if (a instanceof int[] v) {
            if (v.length != Layout.MAXR) throw new IllegalArgumentException("int8 argument needs 8 values, got " + v.length);
            clSetKernelArg(k, i, (long) Sizeof.cl_int * Layout.MAXR, Pointer.to(v));
        } else if (a instanceof ClBuffer b) {
            cl_mem m = b.memOrNull();
            if (m == null) throw new IllegalStateException("device buffer " + b + " was closed while in use");
            clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
        } else if (a instanceof cl_mem m) clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
        else if (a instanceof Local l) clSetKernelArg(k, i, l.bytes(), null);
        else throw new IllegalArgumentException("unsupported kernel argument " + a);
    }

    @SuppressWarnings("deprecation")  // the 1.2 entry point works on every platform, 2.0 ones too
    private static cl_command_queue createQueue(cl_context context, cl_device_id id) {
        return clCreateCommandQueue(context, id, 0, null);
    }

    private static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceSizeT(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }
}
