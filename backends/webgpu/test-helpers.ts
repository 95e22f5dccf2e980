/**
 * Helpers for the WebGPU tests: acquire the device (finding the Mesa lavapipe driver that
 * scripts/provision-webgpu.sh installs), and compare results with the CPU device.
 *
 * Without an adapter the WebGPU tests are skipped, except where JAXFX_REQUIRE_WEBGPU=1 (`npm test`
 * and CI set it): there a missing adapter fails them, so a suite that tests nothing cannot pass.
 */
import { existsSync } from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import { afterAll, expect } from "vitest"
import type { Array } from "../../core/array.js"
import type { Device } from "../../core/devices/device.js"
import { forgetPlatform, hostDevice, init } from "../../core/devices/registry.js"
import "../../index.js"
import type { WebGpuBackend } from "./backend.js"

/** The lavapipe ICD that scripts/provision-webgpu.sh unpacks. */
const lavapipeIcd = (): string => join(process.env.MESA_PREFIX ?? join(homedir(), ".cache", "mesa25"), "lvp_icd.json")

/**
 * Point the Vulkan loader at the lavapipe driver when it is installed and no other is named. The
 * loader reads VK_ICD_FILENAMES when Dawn creates its instance (on init), so setting it here works;
 * lavapipe runs with the system's libdrm, so LD_LIBRARY_PATH (read only at process start) is not needed.
 */
export const useLavapipe = (): void => {
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(lavapipeIcd())) process.env.VK_ICD_FILENAMES = lavapipeIcd()
}

/**
 * The WebGPU device for a test file, or undefined (tests skip) when there is no adapter and
 * JAXFX_REQUIRE_WEBGPU is not 1. Releases the GPU after the file's tests.
 */
export const webgpuForTests = async (): Promise<Device | undefined> => {
  useLavapipe()
  let gpu: Device | undefined
  try {
    gpu = (await init("webgpu"))[0]
  } catch (e) {
    if (process.env.JAXFX_REQUIRE_WEBGPU === "1") throw e
    console.warn(`WebGPU tests skipped (set JAXFX_REQUIRE_WEBGPU=1 to fail instead): ${String(e)}`)
    return undefined
  }
  afterAll(async () => {
    forgetPlatform("webgpu")
    await gpu!.backend.synchronize()
    ;(gpu!.backend as WebGpuBackend).destroy()
  })
  return gpu
}

/** The calling thread's CPU device (the reference). */
export const cpu = (): Device => hostDevice()

/** Expect a GPU array to equal a CPU array within float32 tolerance (exactly for integers and bool). */
export const expectCloseToCpu = async (gpuValue: Array, cpuValue: Array, rtol = 2e-5, atol = 1e-6): Promise<void> => {
  expect(gpuValue.device.platform).toBe("webgpu")
  expect(gpuValue.shape).toEqual(cpuValue.shape)
  expect(gpuValue.dtype).toBe(cpuValue.dtype)
  const got = await gpuValue.dataAsync()
  const want = await cpuValue.dataAsync()
  if (cpuValue.dtype !== "float32") {
    expect(globalThis.Array.from(got)).toEqual(globalThis.Array.from(want))
    return
  }
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!
    const g = got[i]!
    if (Number.isNaN(w)) expect(g, `element ${i}`).toBeNaN()
    else if (!Number.isFinite(w)) expect(g, `element ${i}`).toBe(w)
    else expect(Math.abs(g - w), `element ${i}: ${g} vs ${w}`).toBeLessThanOrEqual(atol + rtol * Math.abs(w))
  }
}
