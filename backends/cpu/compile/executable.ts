/**
 * The executable of a lowered program: one generated driver function that runs the steps in
 * order with every decision made at compile time. Kernels are generated functions (cached by
 * source, shared between executables); calls go to the eager backend's kernels or, for
 * primitives with an impl (control flow, nested jit), to `evalPrimitive`. Intermediates live in
 * pooled buffers assigned by liveness (`planBuffers`), allocated on the first call and reused by
 * every later one; program outputs are fresh buffers (arrays escape to the user and are immutable),
 * except in the program's `RunInto` form (run-into.ts: a second driver, generated alongside), which
 * writes them into buffers its caller owns: loops run their sub-programs that way.
 * The hot path allocates only the outputs and the array that returns them. `release()` drops the
 * pool and the kernels no other live executable uses (jit calls it when a program leaves its cache).
 */
import { ArrayImpl, type ShapedArray } from "../../../core/array.js"
import type { DeviceBuffer, Executable, KernelInput } from "../../../core/backend.js"
import { allocationFailure, type AnyTypedArray, type DType, itemsize } from "../../../core/dtype.js"
import { UnexpectedTracerError, ValueError } from "../../../core/errors.js"
import { Lit } from "../../../core/ir.js"
import { Lru } from "../../../core/lru.js"
import type { BufferPlan, CallStep, Program } from "../../../core/kernel/program.js"
import type { Kernel } from "../../../core/kernel/ir.js"
import type { Primitive } from "../../../core/primitive.js"
import { evalPrimitive } from "../../../core/trace.js"
import type { CpuBackend } from "../index.js"
import { alloc } from "../layout.js"
import { jsInt, jsNumber } from "../codegen.js"
import { routineFor } from "../routines.js"
import { generateKernel } from "./codegen.js"
import { type CallFn, controlCall } from "./control.js"
import { blockArgs, blockKernel, convEpilogue, type ConvEpiloguePlan } from "./conv-epilogue.js"
import { convFused } from "../conv.js"
import type { ConvParams } from "../../../core/primitives/conv.js"
import type { DotParams } from "../../../core/primitives/dot.js"
import { dotFused } from "../dot.js"
import { kernelHelpers } from "./fastmath.js"
import { registerRunInto, type RunInto } from "./run-into.js"

export type KernelFn = (...buffers: AnyTypedArray[]) => void
type Driver = (ins: ReadonlyArray<KernelInput>, pool: ReadonlyArray<AnyTypedArray>) => DeviceBuffer[]
type IntoDriver = (ins: ReadonlyArray<KernelInput>, pool: ReadonlyArray<AnyTypedArray>, outs: ReadonlyArray<AnyTypedArray>) => void

// ---------------------------------------------------------------------------------------------
// Kernel functions, cached by source

interface CompiledKernel {
  readonly fn: KernelFn
  readonly source: string
  /** Executables built with this kernel and not yet released. */
  users: number
}

/**
 * Kernel functions by source, least recently used evicted first. An executable keeps its own
 * kernel functions, so eviction only means a later program compiles that source again.
 */
const kernelCache = new Lru<string, CompiledKernel>(1024)

/** How many distinct kernel functions are compiled (for tests of the cache). */
export const kernelCacheSize = (): number => kernelCache.size

export const compileKernel = (k: Kernel): CompiledKernel => {
  const { source, scratch } = generateKernel(k)
  let c = kernelCache.get(source)
  if (c === undefined) {
    let fn: KernelFn
    try {
      fn = new Function("H", "S", `"use strict";\n${source}`)(
        kernelHelpers,
        scratch.map((n) => new Float64Array(n))
      ) as KernelFn
    } catch (e) {
      throw new Error(`jaxfx cpu compiler: failed to compile kernel ${k.name}: ${String(e)}\n${source}`)
    }
    c = { fn, source, users: 0 }
    kernelCache.set(source, c)
  }
  return c
}

/** Live figures of the compiler's caches, for tests and diagnostics. */
export const compilerStats = {
  /** Executables of jit programs built, and how many of them were released (eager operations' are not counted). */
  executables: 0,
  released: 0,
  /** Pools of intermediates allocated (first call, or first call after a release) and released. */
  poolsAllocated: 0,
  poolsReleased: 0,
  /** Bytes in pools allocated and not released (executables dropped without release are not subtracted). */
  pooledBytes: 0,
  /** Conv calls built fused with the elementwise kernel after them (conv-epilogue.ts), jit programs only. */
  convEpilogues: 0,
  /** dot_general calls built fused with the elementwise kernel after them (conv-epilogue.ts), jit programs only. */
  dotEpilogues: 0,
  /** Kernel functions cached now. */
  get kernels(): number {
    return kernelCache.size
  }
}

// ---------------------------------------------------------------------------------------------
// Calls

const callFn = (step: CallStep, program: Program, plan: BufferPlan, backend: CpuBackend): CallFn => {
  const eqn = step.eqn
  const prim = eqn.primitive as Primitive
  const outs: ReadonlyArray<ShapedArray> = eqn.outVars.map((v) => v.aval)
  // Which buffer arguments (the slot inputs, in order) are pooled: a result that aliases one of
  // them (an impl returning its operand) is copied out, since the pool reuses the buffer later.
  const slotInputs = step.inputs.filter((x): x is number => typeof x === "number")
  const pooled = slotInputs.flatMap((x, j) => (plan.bufferOf[x]! >= 0 ? [j] : []))
  const guard = (res: ReadonlyArray<DeviceBuffer>, args: ReadonlyArray<DeviceBuffer>): ReadonlyArray<DeviceBuffer> => {
    if (pooled.length === 0) return res
    let copy: DeviceBuffer[] | undefined
    for (let o = 0; o < res.length; o++) {
      for (const i of pooled) {
        if (res[o] === args[i]) {
          copy ??= [...res]
          copy[o] = (res[o] as AnyTypedArray).slice()
        }
      }
    }
    return copy ?? res
  }
  // Control flow: loops and branches over compiled sub-programs, with no read-back per iteration.
  const ctl = controlCall(eqn, (j) => backend.compile(j))
  if (ctl !== undefined) {
    // The sub-programs take every input, literals included (the driver passes slot buffers only).
    if (step.inputs.every((x) => !(x instanceof Lit))) return (bufs) => guard(ctl(bufs), bufs)
    return (bufs) => {
      let j = 0
      return guard(ctl(step.inputs.map((x) => (x instanceof Lit ? x.value.buffer : bufs[j++]!))), bufs)
    }
  }
  if (prim.impl !== undefined) {
    const device = backend.device
    if (device === undefined) throw new Error("jaxfx cpu compiler: the backend has no device")
    return (bufs) => {
      let j = 0
      // Avals from the equation: a slot may hold an aliased view of another shape (a reshape).
      const arrays = step.inputs.map((x, i) => (x instanceof Lit ? x.value : new ArrayImpl(eqn.inputs[i]!.aval, bufs[j++]!, device)))
      const res = evalPrimitive(prim, arrays, eqn.params).map((a) => {
        if (!(a instanceof ArrayImpl)) {
          throw new UnexpectedTracerError(
            `the impl of ${prim.name} returned a traced value (${a.aval.str()}) at run time: it uses a tracer captured from a transformation. ` +
              "Compute the outputs from the impl's arguments only."
          )
        }
        return a.buffer
      })
      return guard(res, bufs)
    }
  }
  // Kernel inputs are built once; each call only swaps their buffers in.
  const inputs: { buffer: DeviceBuffer; aval: ShapedArray }[] = step.inputs.map((x, i) =>
    x instanceof Lit ? { buffer: x.value.buffer, aval: x.value.aval } : { buffer: EMPTY, aval: eqn.inputs[i]!.aval }
  )
  const slotArgs = step.inputs.flatMap((x, i) => (x instanceof Lit ? [] : [i]))
  const routine = routineFor(prim)
  if (routine === undefined) {
    throw new ValueError(`jaxfx cpu backend: no kernel or routine for primitive "${prim.name}"; give the primitive an impl rule in terms of other primitives.`)
  }
  const params = eqn.params
  return (bufs) => {
    for (let j = 0; j < slotArgs.length; j++) inputs[slotArgs[j]!]!.buffer = bufs[j]!
    const res = routine(inputs, params, outs)
    for (let j = 0; j < slotArgs.length; j++) inputs[slotArgs[j]!]!.buffer = EMPTY
    return guard(res, bufs)
  }
}

const EMPTY: DeviceBuffer = new Float32Array(0)

/**
 * A conv or dot call and the kernel fused after it (conv-epilogue.ts): writes the kernel's outputs, and
 * returns the conv's output where the plan keeps it (else an empty array).
 */
type FusedFn = (convBufs: ReadonlyArray<DeviceBuffer>, kernelBufs: ReadonlyArray<AnyTypedArray>, outs: ReadonlyArray<AnyTypedArray>) => AnyTypedArray

/**
 * The fused step's function. Block kernels are compiled per block height on first use (the conv
 * picks it: a full block and a last one) and added to `kernels`, so `release` accounts for them.
 */
const fusedFn = (e: ConvEpiloguePlan, whole: CompiledKernel, kernels: CompiledKernel[]): FusedFn => {
  const eqn = e.conv.eqn
  const inputs: { buffer: DeviceBuffer; aval: ShapedArray }[] = eqn.inputs.map((v) => ({ buffer: EMPTY, aval: v.aval }))
  const slotArgs = e.conv.inputs.flatMap((x, i) => (x instanceof Lit ? [] : [i]))
  e.conv.inputs.forEach((x, i) => {
    if (x instanceof Lit) inputs[i]!.buffer = x.value.buffer
  })
  const out = eqn.outVars[0]!.aval
  const routine = e.op === "conv" ? convFused : dotFused
  const byRows = new Map<number, KernelFn>()
  const blockFn = (rows: number): KernelFn => {
    let fn = byRows.get(rows)
    if (fn === undefined) {
      const c = compileKernel(blockKernel(e, rows))
      c.users++
      kernels.push(c)
      byRows.set(rows, (fn = c.fn))
    }
    return fn
  }
  const O = e.features
  return (convBufs, kernelBufs, outs) => {
    for (let j = 0; j < slotArgs.length; j++) inputs[slotArgs[j]!]!.buffer = convBufs[j]!
    // The kernel's inputs with a placeholder where the conv's output goes.
    const ins = [...kernelBufs.slice(0, e.convInput), EMPTY as AnyTypedArray, ...kernelBufs.slice(e.convInput)]
    let kept: AnyTypedArray = e.keep ? new Float32Array(out.size) : (EMPTY as AnyTypedArray)
    try {
      routine(
        inputs,
        eqn.params as ConvParams & DotParams,
        out,
        (block, m0, m1) => {
          if (e.keep) kept.set(block, m0 * O)
          blockFn(m1 - m0)(...blockArgs(e, block, m0, m1, ins, outs))
        },
        (full) => {
          if (e.keep) kept = full
          ins[e.convInput] = full
          whole.fn(...ins, ...outs)
        }
      )
      return kept
    } finally {
      for (let j = 0; j < slotArgs.length; j++) inputs[slotArgs[j]!]!.buffer = EMPTY
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The driver

const ctorName = (d: DType): string => {
  switch (d) {
    case "float32":
      return "Float32Array"
    case "float64":
      return "Float64Array"
    case "int32":
      return "Int32Array"
    case "uint32":
      return "Uint32Array"
    case "bool":
      return "Uint8Array"
    default:
      // Narrow dtypes never reach the kernels: backends/cpu/narrow.ts computes them in 32 bits.
      throw new Error(`jaxfx internal: ${d} reached the CPU kernel compiler`)
  }
}

export interface CompiledProgram {
  readonly run: Executable
  /** Free the pool and unshared kernels; `run` stays usable (it allocates a pool again). */
  readonly release: () => void
  readonly kernels: ReadonlyArray<CompiledKernel>
  readonly driverSource: string
}

/**
 * Build a program's executable. `counted`: whether `compilerStats` counts it (jit programs are;
 * eager operations' one-equation programs, cached apart, are not).
 */
export const buildExecutable = (program: Program, plan: BufferPlan, backend: CpuBackend, counted = true): CompiledProgram => {
  const kernels: CompiledKernel[] = []
  const calls: CallFn[] = []
  const fused: FusedFn[] = []
  let skip = -1
  const L: string[] = []
  /** The same driver writing the program's outputs into caller-given buffers `O` (`runInto`). */
  const I: string[] = []
  const both = (line: string): void => {
    L.push(line)
    I.push(line)
  }
  // An output slot written by a kernel and returned once is written straight into its `O` buffer;
  // every other output (an input, a call's result, a repeated slot, a literal) is copied there.
  const outCount = new Map<number, number>()
  for (const o of program.outputs) if (typeof o === "number") outCount.set(o, (outCount.get(o) ?? 0) + 1)
  const direct = new Map<number, number>()
  program.outputs.forEach((o, j) => {
    if (typeof o === "number" && outCount.get(o) === 1 && plan.bufferOf[o]! < 0) direct.set(o, j)
  })
  const slot = (s: number): string => `s${s}`
  for (let i = 0; i < program.inputs; i++) both(`  const ${slot(i)} = ins[${i}].buffer;`)
  const allocate = (outputs: ReadonlyArray<number>): void => {
    for (const o of outputs) {
      const a = program.slots[o]!
      const b = plan.bufferOf[o]!
      const fresh = b >= 0 ? `  const ${slot(o)} = P[${b}];` : `  const ${slot(o)} = new ${ctorName(a.dtype)}(${jsInt(a.size)});`
      L.push(fresh)
      const j = direct.get(o)
      I.push(j === undefined ? fresh : `  const ${slot(o)} = O[${j}];`)
    }
  }
  program.steps.forEach((step, si) => {
    if (si === skip) return
    if (step.kind === "kernel") {
      const c = compileKernel(step.kernel)
      const kj = kernels.length
      kernels.push(c)
      allocate(step.outputs)
      both(`  K${kj}(${[...step.inputs.map(slot), ...step.outputs.map(slot)].join(", ")});`)
      return
    }
    const epilogue = convEpilogue(program, plan, si)
    if (epilogue !== undefined) {
      // The conv and the kernel after it as one step: the conv's output is never materialized.
      const k = epilogue.kernel
      const whole = compileKernel(k.kernel)
      kernels.push(whole)
      const fj = fused.length
      fused.push(fusedFn(epilogue, whole, kernels))
      allocate(k.outputs)
      const convArgs = step.inputs.flatMap((x) => (typeof x === "number" ? [slot(x)] : []))
      const kernelArgs = k.inputs.filter((_, j) => j !== epilogue.convInput).map(slot)
      const call = `F${fj}([${convArgs.join(", ")}], [${kernelArgs.join(", ")}], [${k.outputs.map(slot).join(", ")}]);`
      both(epilogue.keep ? `  const ${slot(step.outputs[0]!)} = ${call}` : `  ${call}`)
      skip = si + 1
      if (counted) compilerStats[epilogue.op === "conv" ? "convEpilogues" : "dotEpilogues"]++
      return
    }
    const cj = calls.length
    calls.push(callFn(step, program, plan, backend))
    const args = step.inputs.flatMap((x) => (typeof x === "number" ? [slot(x)] : []))
    both(`  const r${si} = C${cj}([${args.join(", ")}]);`)
    step.outputs.forEach((o, j) => both(`  const ${slot(o)} = r${si}[${j}];`))
  })
  const kernelOut = new Set(program.steps.flatMap((s) => (s.kind === "kernel" ? s.outputs : [])))
  const outs = program.outputs.map((o) => (typeof o === "number" ? slot(o) : `${ctorName(o.aval.dtype)}.of(${jsNumber(o.val)})`))
  L.push(`  return [${outs.join(", ")}];`)
  program.outputs.forEach((o, j) => {
    if (typeof o !== "number") I.push(`  O[${j}].fill(${jsNumber(o.val)});`)
    else if (!(kernelOut.has(o) && direct.has(o))) I.push(`  O[${j}].set(${slot(o)});`)
  })
  const head = [
    ...kernels.map((_, j) => `const K${j} = K[${j}];`),
    ...calls.map((_, j) => `const C${j} = C[${j}];`),
    ...fused.map((_, j) => `const F${j} = F[${j}];`)
  ]
  const driverSource = [...head, "return function run(ins, P) {", ...L, "};"].join("\n")
  const intoSource = [...head, "return function runInto(ins, P, O) {", ...I, "};"].join("\n")
  let driver: Driver
  let intoDriver: IntoDriver
  try {
    driver = new Function("K", "C", "F", `"use strict";\n${driverSource}`)(
      kernels.map((k) => k.fn),
      calls,
      fused
    ) as Driver
    intoDriver = new Function("K", "C", "F", `"use strict";\n${intoSource}`)(
      kernels.map((k) => k.fn),
      calls,
      fused
    ) as IntoDriver
  } catch (e) {
    throw new Error(`jaxfx cpu compiler: failed to build the driver: ${String(e)}\n${driverSource}`)
  }

  const allocPool = (): AnyTypedArray[] => plan.buffers.map((b) => alloc(b.dtype, b.size))
  const poolBytes = plan.buffers.reduce((n, b) => n + itemsize(b.dtype) * b.size, 0)
  let pool: AnyTypedArray[] | undefined
  let busy = false
  /** The driver allocates the program's outputs itself: an output too large for the engine is a DeviceError too. */
  const guarded = (ins: ReadonlyArray<KernelInput>, p: ReadonlyArray<AnyTypedArray>): DeviceBuffer[] => {
    try {
      return driver(ins, p)
    } catch (e) {
      const big = program.outputs.reduce<ShapedArray | undefined>((m, o) => {
        const a = typeof o === "number" ? program.slots[o]! : o.aval
        return m === undefined || a.size > m.size ? a : m
      }, undefined)
      throw big === undefined ? e : allocationFailure(e, big.dtype, big.size)
    }
  }
  /** The executable's own pool, allocated on first use. */
  const ownPool = (): NonNullable<typeof pool> => {
    if (pool === undefined) {
      pool = allocPool()
      if (counted) {
        compilerStats.poolsAllocated++
        compilerStats.pooledBytes += poolBytes
      }
    }
    return pool
  }
  const run: Executable = (ins) => {
    // A re-entrant call (a program reached again from inside one of its own calls) gets its own buffers.
    if (busy) return guarded(ins, allocPool())
    busy = true
    try {
      // The driver gets the pool as an argument: a release during this call (from a callback it
      // makes) drops the executable's reference, not the buffers this call is using.
      return guarded(ins, ownPool())
    } finally {
      busy = false
    }
  }
  const into: RunInto = (ins, outs) => {
    if (busy) return intoDriver(ins, allocPool(), outs)
    busy = true
    try {
      intoDriver(ins, ownPool(), outs)
    } finally {
      busy = false
    }
  }
  registerRunInto(run, into)
  for (const k of kernels) k.users++
  if (counted) compilerStats.executables++
  let released = false
  const release = (): void => {
    if (pool !== undefined) {
      pool = undefined
      if (counted) {
        compilerStats.poolsReleased++
        compilerStats.pooledBytes -= poolBytes
      }
    }
    if (released) return
    released = true
    if (counted) compilerStats.released++
    // A kernel no live executable uses leaves the cache (this driver keeps its own reference).
    for (const k of kernels) if (--k.users === 0 && kernelCache.peek(k.source) === k) kernelCache.delete(k.source)
  }
  return { run, release, kernels, driverSource }
}
