/**
 * The CPU jit compiler: `compileJaxpr(jaxpr)` optimizes the program (core/passes), lowers it to
 * fused kernels and calls (core/kernel), plans pooled buffers, and generates one JavaScript
 * function per kernel and one driver (executable.ts). Executables are cached per Jaxpr object
 * (weakly: a program nobody holds is collected), until `releaseJaxpr` frees them early.
 * `compileReport(jaxpr)` shows what the compiler made of a program: its kernels, the primitives
 * fused into each, its calls, and its buffers.
 */
import type { Executable } from "../../../core/backend.js"
import { ClosedJaxpr, type Jaxpr } from "../../../core/ir.js"
import { printKernel } from "../../../core/kernel/ir.js"
import { lowerJaxpr } from "../../../core/kernel/lower.js"
import { type BufferPlan, planBuffers, type Program } from "../../../core/kernel/program.js"
import { isEagerProgram } from "../../../core/devices/eager.js"
import { dce, optimize, simplify } from "../../../core/passes/index.js"
import type { CpuBackend } from "../index.js"
import { buildExecutable, type CompiledProgram } from "./executable.js"
import { convEpilogue } from "./conv-epilogue.js"

interface Prepared {
  readonly optimized: Jaxpr
  readonly program: Program
  readonly plan: BufferPlan
}

const prepared = new WeakMap<Jaxpr, Prepared>()
const prepare = (jaxpr: Jaxpr): Prepared => {
  let p = prepared.get(jaxpr)
  if (p === undefined) {
    const optimized = isEagerProgram(jaxpr) ? dce(simplify(jaxpr)) : optimize(jaxpr)
    const program = lowerJaxpr(optimized)
    p = { optimized, program, plan: planBuffers(program) }
    prepared.set(jaxpr, p)
  }
  return p
}

const executables = new WeakMap<Jaxpr, WeakMap<CpuBackend, CompiledProgram>>()
const compiled = (jaxpr: Jaxpr, backend: CpuBackend): CompiledProgram => {
  let byBackend = executables.get(jaxpr)
  if (byBackend === undefined) executables.set(jaxpr, (byBackend = new WeakMap()))
  let c = byBackend.get(backend)
  if (c === undefined) {
    const p = prepare(jaxpr)
    c = buildExecutable(p.program, p.plan, backend, !isEagerProgram(jaxpr))
    byBackend.set(backend, c)
  }
  return c
}

/** Compile a program for the CPU (cached per Jaxpr object). Inputs: constvars, then invars. */
export const compileJaxpr = (jaxpr: Jaxpr, backend: CpuBackend): Executable => compiled(jaxpr, backend).run

/** Release what `compileJaxpr(jaxpr, backend)` built: its pooled buffers and unshared kernels. */
export const releaseJaxpr = (jaxpr: Jaxpr, backend: CpuBackend): void => {
  const byBackend = executables.get(jaxpr)
  byBackend?.get(backend)?.release()
  byBackend?.delete(backend)
  prepared.delete(jaxpr)
}

export { compilerStats } from "./executable.js"

export interface KernelReport {
  readonly name: string
  /** The primitives fused into this kernel, one per equation. */
  readonly primitives: ReadonlyArray<string>
  readonly domain: ReadonlyArray<number>
  readonly reducedAxes: ReadonlyArray<number>
  readonly inputs: number
  readonly outputs: number
  /** The kernel IR, printed. */
  readonly ir: string
}

export interface CompileReport {
  /** Equations before and after the program optimizations. */
  readonly eqns: { readonly before: number; readonly after: number }
  /** Steps in execution order: `kernel k0`, `call dot_general`, ... */
  readonly steps: ReadonlyArray<string>
  readonly kernels: ReadonlyArray<KernelReport>
  /** Primitives run as calls (not fused), in order. */
  readonly calls: ReadonlyArray<string>
  /**
   * The calls jit runs fused with the kernel after them (conv-epilogue.ts), as
   * `conv_general_dilated + k3`: the call's output goes through kernel k3 block by block.
   */
  readonly epilogues: ReadonlyArray<string>
  /** Values that get a buffer but are neither program inputs nor outputs. */
  readonly intermediates: number
  /** Distinct pooled buffers those intermediates share. */
  readonly poolBuffers: number
  /** Everything above as text. */
  toString(): string
}

/** What the CPU compiler makes of a program (a Jaxpr, or a ClosedJaxpr whose constants become inputs). */
export const compileReport = (program: Jaxpr | ClosedJaxpr): CompileReport => {
  const jaxpr = program instanceof ClosedJaxpr ? program.jaxpr : program
  const p = prepare(jaxpr)
  const outputs = new Set(p.program.outputs.filter((o): o is number => typeof o === "number"))
  let intermediates = 0
  for (let s = p.program.inputs; s < p.program.slots.length; s++) if (!outputs.has(s)) intermediates++
  const kernels: KernelReport[] = []
  const calls: string[] = []
  const steps = p.program.steps.map((s) => {
    if (s.kind === "call") {
      calls.push(s.eqn.primitive.name)
      return `call ${s.eqn.primitive.name}`
    }
    const k = s.kernel
    kernels.push({
      name: k.name,
      primitives: k.primitives,
      domain: k.domain,
      reducedAxes: k.reduced.flatMap((r, d) => (r ? [d] : [])),
      inputs: k.inputs.length,
      outputs: k.outputs.length,
      ir: printKernel(k)
    })
    return `kernel ${k.name} [${k.primitives.join(", ")}]`
  })
  const epilogues = p.program.steps.flatMap((s, si) => {
    const e = convEpilogue(p.program, p.plan, si)
    return e === undefined || s.kind !== "call" ? [] : [`${s.eqn.primitive.name} + ${e.kernel.kernel.name}`]
  })
  const poolBuffers = p.plan.buffers.length
  const text = [
    `${jaxpr.eqns.length} equations, ${p.optimized.eqns.length} after optimization; ${kernels.length} kernels, ${calls.length} calls; ` +
      `${intermediates} intermediates in ${poolBuffers} pooled buffers`,
    ...steps.map((s) => `  ${s}`),
    ...(epilogues.length > 0 ? [`fused epilogues: ${epilogues.join(", ")}`] : []),
    ...kernels.map((k) => k.ir)
  ].join("\n")
  return {
    eqns: { before: jaxpr.eqns.length, after: p.optimized.eqns.length },
    steps,
    kernels,
    calls,
    epilogues,
    intermediates,
    poolBuffers,
    toString: () => text
  }
}
