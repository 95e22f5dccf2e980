/**
 * GEMM epilogue fusion: a float32 `conv_general_dilated` or `dot_general` call followed by the
 * elementwise kernel that is its only reader (bias add, activation, residual add, the ReLU mask of
 * a backward pass) runs as one step. Both routines produce their result by blocks of rows of the
 * GEMM (conv-f32.ts: [M, O] for a channels-last conv; wasm/index.ts `wasmDotBlocks`: [rows, F]
 * for a product, F its output's last dimension); each block goes through a copy of the kernel over
 * a [rows, F] domain while it is in cache, and the call's output is never materialized. The kernel
 * computes the same per-element operations as unfused, and the routine the same products on the
 * same rows, so the results are bit for bit those of eager execution.
 *
 * Fusable when the next step is a kernel with no reductions and only full outputs, whose every
 * load either follows the domain's row-major order (the call's output, or another buffer of the
 * same size: read by block) or depends only on the last domain axis, which is the output's last
 * (feature) axis (a bias: read whole), with no guards and no iota; a conv has one group, a
 * channels-last input and a dense channels-last output (a product: any dimension numbers); and no
 * kernel output shares a pooled buffer with a call input (the kernel now writes while the routine
 * still reads). When the call's output is also a program output or read by a later step (a
 * backward pass recomputing the relu mask from it), the blocks are copied to it as well: the
 * kernel still reads them from cache. A product the Wasm kernel declines (or splits over intra-op
 * threads) is computed whole at run time and the kernel run over it: the same bits, unfused.
 */
import type { AnyTypedArray } from "../../../core/dtype.js"
import type { Affine, Kernel, Node } from "../../../core/kernel/ir.js"
import { rowMajorStrides, sizeOfShape } from "../../../core/kernel/ir.js"
import type { BufferPlan, CallStep, KernelStep, Program } from "../../../core/kernel/program.js"
import type { Primitive } from "../../../core/primitive.js"
import { convGeneralDilatedP, type ConvParams } from "../../../core/primitives/conv.js"
import { dotGeneralP } from "../../../core/primitives/dot.js"

/**
 * Whether jit fuses conv and dot epilogues (programs compiled while one is false keep that call
 * and the kernel apart; for benchmarks).
 */
export const convEpiloguePolicy = { enabled: true, dot: true }

/** How the block kernel reads each input of the fused kernel. */
export type EpilogueRead = "rows" | "whole"

export interface ConvEpiloguePlan {
  /** Which routine: a channels-last conv or a product. */
  readonly op: "conv" | "dot"
  readonly conv: CallStep
  readonly kernel: KernelStep
  /** The kernel input that is the conv's output. */
  readonly convInput: number
  readonly reads: ReadonlyArray<EpilogueRead>
  /** Output features O (the output's last dimension): the row length of the [M, O] result. */
  readonly features: number
  /** Whether the conv's output is also written (a program output, or read by a later step). */
  readonly keep: boolean
}

const sameArray = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** Channels-last, in order, for a conv of rank `r`: (batch, spatial..., feature). */
const channelsLast = (spec: ReadonlyArray<number>, r: number): boolean => spec[0] === 0 && spec[1] === r - 1 && spec.slice(2).every((d, k) => d === k + 1)

/** The fusion of step `si` (a conv or dot call) with step `si + 1`, or undefined when it does not apply. */
export const convEpilogue = (program: Program, plan: BufferPlan, si: number): ConvEpiloguePlan | undefined => {
  const conv = program.steps[si]
  const next = program.steps[si + 1]
  if (conv?.kind !== "call" || next?.kind !== "kernel") return undefined
  const prim = conv.eqn.primitive as Primitive
  const op = prim === (convGeneralDilatedP as unknown as Primitive) ? "conv" : prim === (dotGeneralP as unknown as Primitive) ? "dot" : undefined
  if (op === undefined || !(op === "conv" ? convEpiloguePolicy.enabled : convEpiloguePolicy.dot)) return undefined
  const out = conv.eqn.outVars[0]!.aval
  const r = out.shape.length
  if (r === 0 || out.dtype !== "float32" || conv.eqn.inputs.some((x) => x.aval.dtype !== "float32")) return undefined
  if (op === "conv") {
    const p = conv.eqn.params as ConvParams
    if (p.featureGroupCount !== 1 || p.batchGroupCount !== 1) return undefined
    if (!channelsLast(p.dimensionNumbers.lhsSpec, r) || !channelsLast(p.dimensionNumbers.outSpec, r)) return undefined
  }
  const s = conv.outputs[0]!
  const keep = program.outputs.includes(s) || plan.lastUse[s] !== si + 1
  const k = next.kernel
  if (k.reductions.length > 0 || k.outputs.some((o) => o.phase !== "full")) return undefined
  const size = sizeOfShape(k.domain)
  if (size !== out.size || size === 0) return undefined
  const features = out.shape[r - 1]!
  const convInput = next.inputs.indexOf(s)
  if (convInput < 0 || next.inputs.lastIndexOf(s) !== convInput) return undefined
  // The kernel writes while the conv reads its operands: no shared pooled buffer.
  const convBuffers = new Set(conv.inputs.flatMap((x) => (typeof x === "number" && plan.bufferOf[x]! >= 0 ? [plan.bufferOf[x]!] : [])))
  if (next.outputs.some((o) => convBuffers.has(plan.bufferOf[o]!))) return undefined
  const identity = rowMajorStrides(k.domain)
  const last = k.domain.length - 1
  const reads: (EpilogueRead | undefined)[] = k.inputs.map(() => undefined)
  for (const n of k.nodes) {
    if (n.kind === "index" || n.kind === "inbounds" || n.kind === "reduced") return undefined
    if (n.kind !== "load") continue
    if (n.bounds.length > 0) return undefined
    const rows = n.at.offset === 0 && sameArray(n.at.strides, identity) && k.inputs[n.input]!.size === size
    const whole = k.domain[last] === features && n.at.strides.every((st, d) => d === last || st === 0)
    const read: EpilogueRead | undefined = n.input === convInput ? (rows ? "rows" : undefined) : rows ? "rows" : whole ? "whole" : undefined
    if (read === undefined || (reads[n.input] !== undefined && reads[n.input] !== read)) return undefined
    reads[n.input] = read
  }
  if (reads[convInput] !== "rows") return undefined
  return { op, conv, kernel: next, convInput, reads: reads.map((x) => x ?? "whole"), features, keep }
}

/** The kernel over a [rows, O] block: row inputs and outputs are the block's, whole inputs keep their reads along the feature axis. */
export const blockKernel = (e: ConvEpiloguePlan, rows: number): Kernel => {
  const k = e.kernel.kernel
  const O = e.features
  const last = k.domain.length - 1
  const rowAt: Affine = { offset: 0, strides: [O, 1] }
  const nodes = k.nodes.map((n): Node => {
    if (n.kind !== "load") return n
    const at: Affine = e.reads[n.input] === "rows" ? rowAt : { offset: n.at.offset, strides: [0, n.at.strides[last]!] }
    return { ...n, at }
  })
  return {
    ...k,
    name: `${k.name}_rows${rows}`,
    domain: [rows, O],
    reduced: [false, false],
    inputs: k.inputs.map((x, j) => (e.reads[j] === "rows" ? { dtype: x.dtype, size: rows * O } : x)),
    outputs: k.outputs.map((o) => ({ ...o, size: rows * O })),
    nodes
  }
}

/**
 * The block epilogue's arguments: the kernel's inputs (the conv block in place of the conv's output,
 * row inputs cut to the block) and its outputs cut to the block.
 */
export const blockArgs = (
  e: ConvEpiloguePlan,
  block: Float32Array,
  m0: number,
  m1: number,
  ins: ReadonlyArray<AnyTypedArray>,
  outs: ReadonlyArray<AnyTypedArray>
): AnyTypedArray[] => {
  const O = e.features
  const args: AnyTypedArray[] = []
  for (let j = 0; j < ins.length; j++) {
    if (j === e.convInput) args.push(block)
    else if (e.reads[j] === "rows") args.push(ins[j]!.subarray(m0 * O, m1 * O))
    else args.push(ins[j]!)
  }
  for (const o of outs) args.push(o.subarray(m0 * O, m1 * O))
  return args
}
