/// <reference types="@webgpu/types" />
/**
 * Compute pipelines compiled once and cached by their WGSL source (shapes and constants are part of
 * the source), with explicit bind group layouts per binding signature (`inputs` read-only storage
 * buffers, then `outputs` writable ones), so a kernel that ignores one of its inputs still binds it.
 */
import { Lru } from "../../core/lru.js"

export class PipelineCache {
  private readonly pipelines = new Lru<string, GPUComputePipeline>(2048)
  private readonly layouts = new Map<string, GPUBindGroupLayout>()
  /** Pipelines compiled so far (for tests of the cache). */
  compiled = 0
  constructor(private readonly device: GPUDevice) {}

  layout(inputs: number, outputs: number): GPUBindGroupLayout {
    const key = `${inputs}:${outputs}`
    let l = this.layouts.get(key)
    if (l === undefined) {
      const entries: GPUBindGroupLayoutEntry[] = []
      for (let i = 0; i < inputs + outputs; i++) {
        entries.push({ binding: i, visibility: 4 /* GPUShaderStage.COMPUTE */, buffer: { type: i < inputs ? "read-only-storage" : "storage" } })
      }
      l = this.device.createBindGroupLayout({ entries })
      this.layouts.set(key, l)
    }
    return l
  }

  /** The pipeline of `source` (entry point `main`), compiled on first use. */
  get(source: string, inputs: number, outputs: number): GPUComputePipeline {
    const key = `${inputs}:${outputs}\n${source}`
    let p = this.pipelines.get(key)
    if (p === undefined) {
      const module = this.device.createShaderModule({ code: source })
      p = this.device.createComputePipeline({
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [this.layout(inputs, outputs)] }),
        compute: { module, entryPoint: "main" }
      })
      this.compiled++
      this.pipelines.set(key, p)
    }
    return p
  }

  get size(): number {
    return this.pipelines.size
  }
}
