package org.bgtai.tensor.opencl;

import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;

import org.jocl.CLException;

/**
 * An OpenCL failure with a message that says what was attempted, on which device, and what to do
 * (missing driver, kernel build log, requested bytes when out of memory).
 */
public final class OpenClException extends RuntimeException {
    OpenClException(String message) {
        super(message);
    }

    OpenClException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True for the status codes a failed allocation produces. */
    static boolean isOutOfMemory(CLException e) {
        int s = e.getStatus();
        return s == CL_MEM_OBJECT_ALLOCATION_FAILURE || s == CL_OUT_OF_RESOURCES || s == CL_OUT_OF_HOST_MEMORY;
    }

    /** Wraps a JOCL exception naming the operation and device. */
    static OpenClException wrap(String what, String device, CLException e) {
        String hint = isOutOfMemory(e)
            ? "; the device ran out of memory: close tensors you no longer need (ClBuffer.close()) or use smaller batches"
            : "";
        return new OpenClException("OpenCL error in " + what + " on " + device + ": " + e.getMessage() + hint, e);
    }
}
