/**
 * The error of a primitive the WebGPU device has no kernel for (coverage.ts lists them). There is
 * no silent fallback: the computation must be moved to a CPU device explicitly.
 */
import { DeviceError } from "../../core/errors.js"

export const missingKernel = (name: string): DeviceError =>
  new DeviceError(
    `the WebGPU device has no kernel for the primitive "${name}" yet (jaxfx's backends/webgpu/coverage.ts lists the primitives it runs); ` +
      `run this computation on a CPU device instead: devicePut(x, devices("cpu")[0]), or jit it with the inputs there.`
  )
