/** `npm run bench`: every benchmark, with peers measured in the same run. */
import { config } from "../index.js"
import { convBench } from "./conv.js"
import { devicesBench } from "./devices.js"
import { fftBench } from "./fft.js"
import { foundation } from "./foundation.js"
import { report } from "./harness.js"
import { importTimeBench } from "./import-time.js"
import { jitBench } from "./jit.js"
import { linalgBench } from "./linalg.js"
import { matmulBench } from "./matmul.js"
import { parallelBench } from "./parallel.js"
import { transformerBench } from "./transformer.js"
import { vmapBench } from "./vmap.js"
import { webgpuBench } from "./webgpu.js"

// A worker CPU device for the devices benchmarks (unless JAXFX_CPU_DEVICES says otherwise).
if (process.env.JAXFX_CPU_DEVICES === undefined) config.update("jaxfxCpuDevices", 2)

// `npx tsx bench/run.ts linalg,fft` runs the named suites, in one table.
const only = process.argv[2]?.split(",")
const suites: Record<string, () => Promise<ReturnType<typeof report> extends void ? Awaited<ReturnType<typeof foundation>> : never>> = {
  import: importTimeBench,
  foundation,
  jit: jitBench,
  vmap: vmapBench,
  devices: devicesBench,
  transformer: transformerBench,
  conv: convBench,
  linalg: linalgBench,
  matmul: matmulBench,
  fft: fftBench,
  parallel: parallelBench
}
// only when asked for (`npm run bench -- webgpu`): it needs a WebGPU adapter, and a software one is slow
if (only?.includes("webgpu") === true) suites.webgpu = webgpuBench
const rows = []
for (const [name, run] of Object.entries(suites)) if (only === undefined || only.includes(name)) rows.push(...(await run()))
report(rows)
