/// <reference types="@webgpu/types" />
/**
 * Acquiring a GPU: the WebGPU entry point of the platform (a browser's `navigator.gpu`; in Node,
 * Dawn's binding from the optional `webgpu` npm package, loaded only here and only when asked for,
 * so jaxfx imports without it), then an adapter and a device with the adapter's own limits.
 * Each way this can fail is a DeviceError that says what to install or enable.
 */
import { DeviceError } from "../../core/errors.js"

export interface AcquiredGpu {
  readonly device: GPUDevice
  /**
   * The entry point and adapter the device came from. Whoever holds the device must hold these too:
   * Dawn's Node binding crashes the process (a destroyed mutex) when its instance is garbage
   * collected while a device made from it is still in use.
   */
  readonly owners: readonly [GPU, GPUAdapter]
  /** A description of the adapter ("llvmpipe (LLVM ...)", a GPU's name). */
  readonly name: string
}

const isNode = (): boolean => typeof process !== "undefined" && typeof process.versions?.node === "string"

/** The WebGPU entry point: navigator.gpu, or Dawn's in Node. */
const entryPoint = async (): Promise<GPU> => {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator
  if (nav?.gpu !== undefined) return nav.gpu
  if (!isNode()) {
    throw new DeviceError(
      "this JavaScript environment has no WebGPU (navigator.gpu is undefined): use a browser with WebGPU enabled " +
        "(Chrome/Edge 113+, or Chromium with --enable-unsafe-webgpu), served from a secure context (https or localhost)."
    )
  }
  // A specifier in a variable: bundlers for the browser leave this Node-only import alone.
  const spec = "webgpu"
  let mod: { create: (flags: string[]) => GPU }
  try {
    mod = (await import(/* @vite-ignore */ spec)) as { create: (flags: string[]) => GPU }
  } catch (e) {
    throw new DeviceError(
      "WebGPU in Node needs Dawn's binding, the optional dependency `webgpu`: run `npm install webgpu` " +
        `(it could not be loaded: ${e instanceof Error ? e.message : String(e)}).`
    )
  }
  return mod.create([])
}

const noAdapter = (): DeviceError =>
  new DeviceError(
    "WebGPU found no adapter (requestAdapter() returned null). " +
      (isNode()
        ? "Dawn needs a Vulkan driver: on a machine without a GPU install Mesa 25's lavapipe (sh scripts/provision-webgpu.sh does it on " +
          "Debian 12; the stock Mesa 22 is rejected) and set VK_ICD_FILENAMES=$HOME/.cache/mesa25/lvp_icd.json and " +
          "LD_LIBRARY_PATH=$HOME/.cache/mesa25/usr/lib/x86_64-linux-gnu; with a GPU, install its Vulkan driver and libvulkan1."
        : "Enable WebGPU in the browser (chrome://flags/#enable-unsafe-webgpu on Linux) or use one that supports it.")
  )

/** Acquire a GPU device (asynchronous: the adapter and the device are requested). */
export const acquireGpu = async (): Promise<AcquiredGpu> => {
  const gpu = await entryPoint()
  let adapter: GPUAdapter | null
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" })
  } catch (e) {
    throw new DeviceError(`WebGPU: requesting an adapter failed: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (adapter === null) throw noAdapter()
  const l = adapter.limits
  let device: GPUDevice
  try {
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup
      }
    })
  } catch (e) {
    throw new DeviceError(`WebGPU: requesting a device from the adapter failed: ${e instanceof Error ? e.message : String(e)}`)
  }
  const info = adapter.info
  const name = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s !== undefined && s !== "").join(" ") || "webgpu"
  return { device, name, owners: [gpu, adapter] }
}
