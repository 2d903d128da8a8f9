package org.bgtai.tensor.opencl;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.bgtai.tensor.testing.OpenClTesting;

/**
 * jqwik counterpart of {@link OpenClTesting#device()}: skips the property container when no
 * OpenCL device opens, unless {@code BGTAI_REQUIRE_OPENCL=1}, in which case the properties run
 * and fail on their first use of the device.
 */
public final class OpenClSkipHook implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        String reason = OpenClTesting.unavailableReason();
        if (reason == null || OpenClTesting.required()) return SkipResult.doNotSkip();
        return SkipResult.skip(reason);
    }
}
