/**
 * The loop-level kernel description that jit lowers a jaxpr to, shared by every compiling backend
 * (the CPU generates JavaScript from it, WebGPU generates WGSL). Nothing here assumes a target
 * language: a kernel is data.
 *
 * A fused kernel runs over an iteration space, its `domain` (a shape; some dimensions may be
 * `reduced`). Its body is an expression DAG (`nodes`, operands before users) of scalar operations
 * with the semantics of the elementwise primitives of the same names, over
 *   - loads of input buffers through affine index maps (`Affine`: an offset plus one stride per
 *     domain dimension, 0 where the input is broadcast; transposes, reversals, static slices and
 *     reshapes of contiguous data are all strides), and
 *   - constants and affine functions of the loop indices (`index`, from iota).
 * A kernel either writes every point of its domain (`full` outputs, row-major over the domain) or
 * also reduces: every reduction combines one body value over the reduced dimensions, and the
 * `reduced` nodes (the results, rounded to their dtype) feed an epilogue whose values are written
 * per point of the kept dimensions (`kept` outputs, row-major over the kept dimensions). A node
 * never depends both on a reduced loop index and on a reduction result.
 *
 * Rounding: every node's value is exactly representable in its dtype (float32 rounded per
 * operation, integers wrapped), as the unfused program would store it. Reductions of float32 values
 * accumulate in a wider type and round once.
 */
import type { DType } from "../dtype.js"

export const unaryOps = [
  "neg",
  "sign",
  "floor",
  "ceil",
  "round",
  "round_even",
  "is_finite",
  "not",
  "exp",
  "exp2",
  "log",
  "log1p",
  "expm1",
  "tanh",
  "logistic",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "sinh",
  "cosh",
  "sqrt",
  "rsqrt",
  "erf",
  "abs"
] as const
export type UnaryOp = (typeof unaryOps)[number]

export const binaryOps = ["add", "sub", "mul", "div", "rem", "pow", "max", "min", "atan2", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor"] as const
export type BinaryOp = (typeof binaryOps)[number]

export const reduceOps = ["sum", "prod", "max", "min", "argmax", "argmin"] as const
export type ReduceOp = (typeof reduceOps)[number]

const unarySet: ReadonlySet<string> = new Set(unaryOps)
const binarySet: ReadonlySet<string> = new Set(binaryOps)
export const isUnaryOp = (s: string): s is UnaryOp => unarySet.has(s)
export const isBinaryOp = (s: string): s is BinaryOp => binarySet.has(s)

/** `offset + sum_d strides[d] * i_d` over the domain's loop indices `i`. */
export interface Affine {
  readonly offset: number
  readonly strides: ReadonlyArray<number>
}

/** The condition `0 <= at(i) < size`. */
export interface Bound {
  readonly at: Affine
  readonly size: number
}

/** An index into `Kernel.nodes`. */
export type NodeId = number

export type Node =
  /**
   * `inputs[input][at(i)]`. With `bounds` (from pad and concatenate), the buffer is read only where
   * every bound holds, and the value elsewhere is 0 (never used: an enclosing select picks another case).
   */
  | { readonly kind: "load"; readonly dtype: DType; readonly input: number; readonly at: Affine; readonly bounds: ReadonlyArray<Bound> }
  /** Whether every bound holds (bool): the valid region of a padded or concatenated operand. */
  | { readonly kind: "inbounds"; readonly dtype: DType; readonly bounds: ReadonlyArray<Bound> }
  /** The integer `at(i)` as a value of `dtype` (iota). */
  | { readonly kind: "index"; readonly dtype: DType; readonly at: Affine }
  | { readonly kind: "const"; readonly dtype: DType; readonly value: number }
  /** A unary primitive applied to a value of `args[0]`'s dtype; `dtype` is the result's. */
  | { readonly kind: "unary"; readonly dtype: DType; readonly op: UnaryOp; readonly args: readonly [NodeId] }
  /** A binary primitive over two values of one dtype; `dtype` is the result's (bool for comparisons). */
  | { readonly kind: "binary"; readonly dtype: DType; readonly op: BinaryOp; readonly args: readonly [NodeId, NodeId] }
  /** select_n: `args[0]` (bool or int32) picks among `args[1..]`. */
  | { readonly kind: "select"; readonly dtype: DType; readonly args: ReadonlyArray<NodeId> }
  /** convert_element_type to `dtype` (saturating float -> int, wrapping int -> int, x != 0 -> bool). */
  | { readonly kind: "convert"; readonly dtype: DType; readonly args: readonly [NodeId] }
  /** integer_pow: `args[0] ** y` by repeated squaring, each multiply rounded to `dtype`. */
  | { readonly kind: "pow"; readonly dtype: DType; readonly y: number; readonly args: readonly [NodeId] }
  /** The result of `reductions[reduction]`, in the epilogue. */
  | { readonly kind: "reduced"; readonly dtype: DType; readonly reduction: number }

const noArgs: ReadonlyArray<NodeId> = []
/** The nodes a node reads (none for loads, index, inbounds, constants and reduction results). */
export const argsOf = (n: Node): ReadonlyArray<NodeId> => {
  switch (n.kind) {
    case "load":
    case "index":
    case "inbounds":
    case "const":
    case "reduced":
      return noArgs
    default:
      return n.args
  }
}

export interface Reduction {
  readonly op: ReduceOp
  /** The value reduced (a node evaluated over the whole domain). */
  readonly arg: NodeId
  /** The result's dtype (the argument's, or the index dtype of argmax/argmin). */
  readonly dtype: DType
}

export interface KernelOutput {
  readonly node: NodeId
  /** `full`: one element per domain point; `kept`: one per point of the kept dimensions. */
  readonly phase: "full" | "kept"
  readonly dtype: DType
  readonly size: number
}

export interface KernelInput {
  readonly dtype: DType
  readonly size: number
}

export interface Kernel {
  readonly name: string
  readonly domain: ReadonlyArray<number>
  /** Per domain dimension: whether the reductions combine along it (all false without reductions). */
  readonly reduced: ReadonlyArray<boolean>
  readonly inputs: ReadonlyArray<KernelInput>
  readonly nodes: ReadonlyArray<Node>
  readonly reductions: ReadonlyArray<Reduction>
  readonly outputs: ReadonlyArray<KernelOutput>
  /** The primitives this kernel computes (for reports): one entry per fused equation. */
  readonly primitives: ReadonlyArray<string>
}

/** Row-major strides of a shape, in elements. */
export const rowMajorStrides = (shape: ReadonlyArray<number>): number[] => {
  const out = new globalThis.Array<number>(shape.length)
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = acc
    acc *= shape[i]!
  }
  return out
}

export const sizeOfShape = (shape: ReadonlyArray<number>): number => {
  let n = 1
  for (const d of shape) n *= d
  return n
}

/** The domain's kept dimensions (those not reduced). */
export const keptShape = (k: Pick<Kernel, "domain" | "reduced">): number[] => k.domain.filter((_, d) => !k.reduced[d])

/** Where output `o` of kernel `k` writes the element of domain point `i`. */
export const outputAffine = (k: Pick<Kernel, "domain" | "reduced">, phase: "full" | "kept"): Affine => {
  if (phase === "full") return { offset: 0, strides: rowMajorStrides(k.domain) }
  const strides = new globalThis.Array<number>(k.domain.length).fill(0)
  let acc = 1
  for (let d = k.domain.length - 1; d >= 0; d--) {
    if (k.reduced[d]) continue
    strides[d] = acc
    acc *= k.domain[d]!
  }
  return { offset: 0, strides }
}

// ---------------------------------------------------------------------------------------------
// Printing (debugging and reports)

const affineStr = (a: Affine): string => {
  const terms = a.strides.flatMap((s, d) => (s === 0 ? [] : [s === 1 ? `i${d}` : `${s}*i${d}`]))
  if (a.offset !== 0 || terms.length === 0) terms.unshift(String(a.offset))
  return terms.join("+")
}

const boundsStr = (bs: ReadonlyArray<Bound>): string => bs.map((b) => `0<=${affineStr(b.at)}<${b.size}`).join(" && ")

export const nodeStr = (n: Node): string => {
  switch (n.kind) {
    case "load":
      return `in${n.input}[${affineStr(n.at)}]${n.bounds.length === 0 ? "" : ` if ${boundsStr(n.bounds)}`}`
    case "inbounds":
      return `inbounds ${boundsStr(n.bounds)}`
    case "index":
      return `index(${affineStr(n.at)})`
    case "const":
      return Object.is(n.value, -0) ? "-0" : String(n.value)
    case "unary":
      return `${n.op} %${n.args[0]}`
    case "binary":
      return `${n.op} %${n.args[0]} %${n.args[1]}`
    case "select":
      return `select_n ${n.args.map((a) => `%${a}`).join(" ")}`
    case "convert":
      return `convert %${n.args[0]}`
    case "pow":
      return `integer_pow[y=${n.y}] %${n.args[0]}`
    case "reduced":
      return `reduced ${n.reduction}`
  }
}

/** A kernel in a readable text form. */
export const printKernel = (k: Kernel): string => {
  const dims = k.domain.map((n, d) => (k.reduced[d] ? `${n}r` : String(n))).join(",")
  const lines = [`kernel ${k.name} domain [${dims}] inputs (${k.inputs.map((i) => `${i.dtype}[${i.size}]`).join(", ")})`]
  k.nodes.forEach((n, i) => lines.push(`  %${i}: ${n.dtype} = ${nodeStr(n)}`))
  k.reductions.forEach((r, i) => lines.push(`  reduce ${i}: ${r.op} %${r.arg} -> ${r.dtype}`))
  k.outputs.forEach((o, i) => lines.push(`  out${i} (${o.phase}) = %${o.node}`))
  return lines.join("\n")
}
