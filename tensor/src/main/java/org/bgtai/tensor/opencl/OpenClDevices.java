package org.bgtai.tensor.opencl;

import static org.jocl.CL.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.DeviceProvider;
import org.bgtai.tensor.Devices;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Discovery and selection of OpenCL devices. Devices are numbered across all platforms in the
 * order the ICD loader reports them: {@code opencl:0}, {@code opencl:1}, ... {@link Provider} serves
 * the {@code opencl} prefix to {@link Devices}, so {@code Device.parse("opencl:0")},
 * {@code --device opencl:0} and {@code BGTAI_DEVICE=opencl:0} all resolve here.
 *
 * <p>Without an OpenCL runtime the first use throws {@link OpenClException} naming the packages to
 * install ({@code ocl-icd-libopencl1} plus a driver such as {@code pocl-opencl-icd}).
 */
public final class OpenClDevices {
    /** The {@code opencl} prefix for {@link Devices} (listed in {@code META-INF/services/org.bgtai.tensor.DeviceProvider}). */
    public static final class Provider implements DeviceProvider {
        @Override
        public String prefix() {
            return "opencl";
        }

        @Override
        public Device device(String name) {
            return parse(name);
        }
    }

    private record Found(cl_platform_id platform, cl_device_id device, String description) {}

    /** Discovered once; opened devices are cached so that each name maps to one instance. */
    private static List<Found> found;
    private static OpenClDevice[] opened;

    private OpenClDevices() {}

    /** The device {@code opencl:index}. */
    public static synchronized OpenClDevice get(int index) {
        List<Found> all = discover();
        if (index < 0 || index >= all.size())
            throw new IllegalArgumentException("OpenCL device opencl:" + index + " not found; this machine has " + all.size()
                + " OpenCL device(s): " + String.join(", ", describe()));
        if (opened[index] == null) {
            Found f = all.get(index);
            opened[index] = new OpenClDevice(index, f.platform(), f.device(), f.description());
        }
        return opened[index];
    }

    /** {@code opencl} or {@code opencl:N}. */
    public static Device parse(String name) {
        if (name.equals("opencl")) return get(0);
        String idx = name.substring(name.indexOf(':') + 1);
        try {
            return get(Integer.parseInt(idx));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad OpenCL device name '" + name + "'; use opencl:N with N a device number, e.g. opencl:0");
        }
    }

    /** Number of OpenCL devices (throws {@link OpenClException} when OpenCL is unusable). */
    public static synchronized int count() {
        return discover().size();
    }

    /** One line per device: {@code opencl:0 = platform / device}. */
    public static synchronized List<String> describe() {
        List<String> out = new ArrayList<>();
        List<Found> all = discover();
        for (int i = 0; i < all.size(); i++) out.add("opencl:" + i + " = " + all.get(i).description());
        return out;
    }

    private static List<Found> discover() {
        if (found != null) return found;
        List<Found> list = new ArrayList<>();
        try {
            CL.setExceptionsEnabled(true);
            int[] np = new int[1];
            clGetPlatformIDs(0, null, np);
            if (np[0] == 0) throw noPlatform(null);
            cl_platform_id[] platforms = new cl_platform_id[np[0]];
            clGetPlatformIDs(platforms.length, platforms, null);
            for (cl_platform_id p : platforms) {
                int[] nd = new int[1];
                try {
                    clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, nd);
                } catch (CLException e) {
                    if (e.getStatus() == CL_DEVICE_NOT_FOUND) continue;
                    throw e;
                }
                cl_device_id[] ds = new cl_device_id[nd[0]];
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ds.length, ds, null);
                String pn = platformString(p, CL_PLATFORM_NAME);
                for (cl_device_id d : ds) list.add(new Found(p, d, pn + " / " + deviceString(d, CL_DEVICE_NAME)));
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new OpenClException("OpenCL is not available: the OpenCL library could not be loaded (" + e.getMessage()
                + "); install the ICD loader and a driver, e.g. `apt-get install ocl-icd-libopencl1 pocl-opencl-icd` (CPU)"
                + " or your GPU vendor's OpenCL driver", e);
        } catch (CLException e) {
            if (e.getStatus() == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */) throw noPlatform(e);
            throw new OpenClException("OpenCL device discovery failed: " + e.getMessage()
                + "; check the driver installation (ocl-icd-libopencl1 plus e.g. pocl-opencl-icd, /etc/OpenCL/vendors/*.icd)", e);
        }
        if (list.isEmpty()) throw noPlatform(null);
        found = List.copyOf(list);
        opened = new OpenClDevice[found.size()];
        return found;
    }

    private static OpenClException noPlatform(Throwable cause) {
        return new OpenClException("no OpenCL platform or device found (no driver registered in /etc/OpenCL/vendors);"
            + " install one, e.g. `apt-get install pocl-opencl-icd` for the CPU or your GPU vendor's OpenCL driver", cause);
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    private static String cString(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) n--;
        return new String(b, 0, n, StandardCharsets.UTF_8).trim();
    }
}
