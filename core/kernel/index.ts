/**
 * The backend-neutral half of jit's compilers: a jaxpr lowered to fused loop kernels and opaque
 * calls (`lowerJaxpr`), the kernel description every backend generates code from (`ir.ts`), and
 * buffer planning by liveness (`planBuffers`). The CPU backend generates JavaScript from it
 * (backends/cpu/compile); a WebGPU backend generates WGSL from the same kernels.
 */
export * from "./ir.js"
export { type IndexMap } from "./indexmap.js"
export { lowerJaxpr } from "./lower.js"
export { type BufferPlan, type CallStep, type KernelStep, planBuffers, type Program, type Step } from "./program.js"
export { isLibraryCall, kernelOp, type KernelOpInfo, kernelOps } from "./ops.js"
