/**
 * Lowering a jaxpr to a `Program` of fused kernels and opaque calls.
 *
 * Fusion policy (XLA's loop fusion, decided on the jaxpr before any code exists):
 *   - Elementwise primitives, structural views (broadcast_in_dim, reshape, transpose, rev, slice,
 *     stop_gradient), pad without interior padding, concatenate and iota fuse into their
 *     consumers: views become index maps on loads, never copies; pad and concatenate become loads
 *     guarded by bounds, selected against the padding value or the other pieces.
 *   - A value is materialized (gets a buffer) when it is a program output, an operand or result of
 *     an opaque primitive, or used by several consumers and not cheap to recompute (a few
 *     elementwise operations; transcendental functions are not cheap). Cheap shared values are
 *     recomputed in each consumer.
 *   - A reduction runs in the kernel of its input chain. Its result may feed an elementwise
 *     epilogue in the same kernel while the values keep the reduced size (mean = sum / n,
 *     logsumexp's log + max); a reduction is never recomputed, so a reduced value with several
 *     uses, or broadcast back to the input's shape, is materialized there. Reductions over the same
 *     domain and axes share a kernel.
 *   - dot_general, gather, scatter, cumsum/cumprod, pad with interior padding, control flow,
 *     nested programs, effectful and unknown primitives are calls: the backend runs its own
 *     kernel or the primitive's impl.
 *   - Chains are cut where they get long: at DEPTH_LIMIT fused equations, and before a third
 *     transcendental function on one path (SLOW_CHAIN_LIMIT; a serial chain of slow operations
 *     per element runs at their latency on a CPU, separate passes at their throughput).
 *   - Kernels over one domain that read the same buffers (or where one reads the other's output
 *     at the same index) are merged into one multi-output kernel: a value and its reduction (the
 *     bias gradient next to the activation gradient) are computed in one pass, and a value read
 *     only inside the merged kernel is no longer written at all.
 * A reshape of a computed value whose dimensions do not line up with the loops (a flat loop over
 * a [2, 6] value reshaped from [3, 4]) refines the kernel's domain (that loop becomes two); where
 * no refinement works, the value below the reshape is materialized and lowering starts again.
 * The plain Errors thrown here are internal invariants: every program reaching the lowering has
 * passed its primitives' shape rules, which check each param (a typed error at bind time).
 */
import { type Atom, type Eqn, type Jaxpr, Lit, Var } from "../ir.js"
import type { ShapedArray } from "../array.js"
import type { IntegerPowParams, ConvertParams, RoundParams } from "../primitives/elementwise.js"
import type { ArgParams, AxesParams } from "../primitives/reduce.js"
import type { BroadcastParams, ConcatParams, IotaParams, PadParams, RevParams, SliceParams, TransposeParams } from "../primitives/shape-ops.js"
import {
  type Affine,
  type Bound,
  isBinaryOp,
  isUnaryOp,
  type Kernel,
  type KernelOutput,
  type Node,
  type NodeId,
  outputAffine,
  type ReduceOp,
  type Reduction,
  sizeOfShape,
  type UnaryOp
} from "./ir.js"
import {
  affineEquals,
  broadcastInDimOperand,
  broadcastOperand,
  fromAffine,
  type IndexMap,
  mapKey,
  revOperand,
  sliceOperand,
  splitFor,
  toAffine,
  transposeOperand
} from "./indexmap.js"
import { isEffectful } from "../passes/rewrite.js"
import { kernelOp } from "./ops.js"
import { aliasCopies, type Program, type Step } from "./program.js"

// ---------------------------------------------------------------------------------------------
// Classification

type Class = "elementwise" | "view" | "pad" | "concatenate" | "iota" | "reduce" | "opaque"

const viewPrims: ReadonlySet<string> = new Set(["broadcast_in_dim", "reshape", "transpose", "rev", "slice", "stop_gradient"])
const reducePrims: Readonly<Record<string, ReduceOp>> = {
  reduce_sum: "sum",
  reduce_prod: "prod",
  reduce_max: "max",
  reduce_min: "min",
  argmax: "argmax",
  argmin: "argmin"
}

const classify = (e: Eqn): Class => {
  const n = e.primitive.name
  if (e.outVars.length !== 1 || e.primitive.multipleResults || isEffectful(e)) return "opaque"
  const k = e.inputs.length
  if ((isUnaryOp(n) && k === 1) || (isBinaryOp(n) && k === 2)) return "elementwise"
  if ((n === "select_n" && k >= 2) || (n === "convert_element_type" && k === 1) || (n === "integer_pow" && k === 1)) return "elementwise"
  if (viewPrims.has(n) && k === 1) return "view"
  if (n === "pad" && k === 2 && (e.params as PadParams).paddingConfig.every(([, , interior]) => interior === 0)) return "pad"
  if (n === "concatenate" && k >= 1) return "concatenate"
  if (n === "iota" && k === 0) return "iota"
  if (n in reducePrims && k === 1) return "reduce"
  return "opaque"
}

/** The kernel op of a unary primitive's equation: round's roundingMethod picks one of two ops. */
const unaryOpOf = (e: Eqn): UnaryOp =>
  e.primitive.name === "round" && (e.params as RoundParams).roundingMethod === 1 ? "round_even" : (e.primitive.name as UnaryOp)

/** Whether an equation is a transcendental function (the kernel-op table of ops.ts says). */
const isTranscendental = (e: Eqn): boolean => kernelOp(e.primitive.name)?.transcendental === true

/** Rough cost of recomputing one element of an equation's output (the kernel-op table's cost). */
const opCost = (e: Eqn): number => {
  const n = e.primitive.name
  if (viewPrims.has(n) || n === "iota") return 0
  // integer_pow is a chain of multiplications: a moderate op, as a division.
  if (n === "integer_pow") return 2
  return kernelOp(n)?.cost ?? 1
}
/** Shared values costing at most this much per element are recomputed by each consumer. */
const RECOMPUTE_LIMIT = 4
/** The longest chain of equations fused into one kernel. */
const DEPTH_LIMIT = 256
/** The longest chain of transcendental functions fused into one kernel. */
const SLOW_CHAIN_LIMIT = 2

const normAxes = (axes: ReadonlyArray<number>, rank: number): number[] => axes.map((a) => (a < 0 ? a + rank : a))

const reducedAxes = (e: Eqn): number[] => {
  const x = e.inputs[0]!.aval
  if (e.primitive.name === "argmax" || e.primitive.name === "argmin") return normAxes([(e.params as ArgParams).axis], x.ndim)
  return normAxes((e.params as AxesParams).axes, x.ndim)
}

const shapeEq = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => a.length === b.length && a.every((d, i) => d === b[i])

// ---------------------------------------------------------------------------------------------
// The program as a graph

class Graph {
  readonly defs = new Map<Var, number>()
  readonly inputs: ReadonlyArray<Var>
  readonly inputSet: ReadonlySet<Var>
  readonly classes: ReadonlyArray<Class>
  /** Equations whose results are needed (dead code is skipped). */
  readonly live: ReadonlyArray<boolean>
  readonly uses = new Map<Var, number>()
  readonly outputs: ReadonlySet<Var>
  /** Values an opaque equation reads. */
  readonly opaqueOperands = new Set<Var>()

  constructor(readonly jaxpr: Jaxpr) {
    this.inputs = [...jaxpr.constVars, ...jaxpr.inVars]
    this.inputSet = new Set(this.inputs)
    jaxpr.eqns.forEach((e, i) => e.outVars.forEach((v) => this.defs.set(v, i)))
    this.classes = jaxpr.eqns.map(classify)
    const outs = new Set<Var>()
    for (const o of jaxpr.outs) if (o instanceof Var) outs.add(o)
    this.outputs = outs
    const needed = new Set<Var>(outs)
    const live = new globalThis.Array<boolean>(jaxpr.eqns.length).fill(false)
    for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
      const e = jaxpr.eqns[i]!
      // effectful equations (debug printing) run whether or not their results are used
      if (!e.outVars.some((v) => needed.has(v)) && !isEffectful(e)) continue
      live[i] = true
      for (const a of e.inputs) if (a instanceof Var) needed.add(a)
    }
    this.live = live
    jaxpr.eqns.forEach((e, i) => {
      if (!live[i]) return
      for (const a of new Set(e.inputs)) {
        if (!(a instanceof Var)) continue
        this.uses.set(a, (this.uses.get(a) ?? 0) + 1)
        if (this.classes[i] === "opaque") this.opaqueOperands.add(a)
      }
    })
  }

  eqnOf(v: Var): Eqn | undefined {
    const i = this.defs.get(v)
    return i === undefined ? undefined : this.jaxpr.eqns[i]
  }
  classOf(v: Var): Class | undefined {
    const i = this.defs.get(v)
    return i === undefined ? undefined : this.classes[i]
  }
}

// ---------------------------------------------------------------------------------------------
// Materialization

/**
 * The values that get buffers. Reductions stay pending (computed inside the kernel of their
 * single consumer chain) while their values keep the reduced size; `pending` maps each unmaterialized
 * value to the reductions it carries.
 */
const chooseMaterialized = (g: Graph, cut: Set<Var>): Set<Var> => {
  const mat = new Set<Var>()
  const cost = new Map<Var, number>()
  const depth = new Map<Var, number>()
  const slowDepth = new Map<Var, number>()
  const pending = new Map<Var, ReadonlyArray<Var>>()
  const eqns = g.jaxpr.eqns
  for (let i = 0; i < eqns.length; i++) {
    if (!g.live[i]) continue
    const e = eqns[i]!
    const cls = g.classes[i]!
    if (cls === "opaque") {
      for (const v of e.outVars) mat.add(v)
      continue
    }
    const v = e.outVars[0]!
    const uses = g.uses.get(v) ?? 0
    const forced = g.outputs.has(v) || g.opaqueOperands.has(v)
    if (cls === "reduce") {
      pending.set(v, [v])
      if (forced || uses !== 1) mat.add(v)
      cost.set(v, 0)
      continue
    }
    // Carried reductions may only continue into values of the reduced size.
    const size = sizeOfShape(v.aval.shape)
    let carried: Var[] = []
    for (const a of e.inputs) {
      if (!(a instanceof Var) || mat.has(a)) continue
      const p = pending.get(a)
      if (p === undefined) continue
      const r = p[0]!
      const sameGroup = carried.length === 0 || sameReductionDomain(g, carried[0]!, r)
      if (sizeOfShape(a.aval.shape) !== size || !sameGroup) mat.add(a)
      else carried = [...carried, ...p.filter((x) => !carried.includes(x))]
    }
    // Long chains are cut into several kernels: bounded code size and lowering recursion, and a
    // long serial chain of slow operations per element runs at their latency on a CPU (it cannot
    // overlap elements), where separate passes run at their throughput. A slow operation whose
    // operand already carries SLOW_CHAIN_LIMIT of them starts a new kernel (its operand is cut).
    const isSlow = isTranscendental(e)
    for (const a of e.inputs) {
      if (!(a instanceof Var) || mat.has(a) || g.inputSet.has(a)) continue
      if (isSlow && (slowDepth.get(a) ?? 0) >= SLOW_CHAIN_LIMIT) {
        mat.add(a)
        cut.add(a)
      }
    }
    let c = opCost(e)
    let dep = 1
    let slow = isSlow ? 1 : 0
    let slowIn = 0
    for (const a of e.inputs) {
      if (!(a instanceof Var) || mat.has(a) || g.inputSet.has(a)) continue
      c += cost.get(a) ?? 0
      dep = Math.max(dep, (depth.get(a) ?? 0) + 1)
      slowIn = Math.max(slowIn, slowDepth.get(a) ?? 0)
    }
    slow += slowIn
    cost.set(v, c)
    depth.set(v, dep)
    slowDepth.set(v, slow)
    const deep = dep >= DEPTH_LIMIT
    if (deep && !forced) cut.add(v)
    if (carried.length > 0) {
      pending.set(v, carried)
      if (forced || uses !== 1 || deep) mat.add(v)
    } else if (forced || deep || (uses >= 2 && c > RECOMPUTE_LIMIT)) mat.add(v)
  }
  return mat
}

const sameReductionDomain = (g: Graph, r1: Var, r2: Var): boolean => {
  const e1 = g.eqnOf(r1)!
  const e2 = g.eqnOf(r2)!
  if (!shapeEq(e1.inputs[0]!.aval.shape, e2.inputs[0]!.aval.shape)) return false
  const a1 = [...reducedAxes(e1)].sort((a, b) => a - b)
  const a2 = [...reducedAxes(e2)].sort((a, b) => a - b)
  return shapeEq(a1, a2)
}

// ---------------------------------------------------------------------------------------------
// Kernels

interface OutSpec {
  readonly v: Var
  readonly phase: "full" | "kept"
}

interface KernelSpec {
  readonly domain: ReadonlyArray<number>
  readonly reduced: ReadonlyArray<boolean>
  readonly hasReduction: boolean
  readonly outputs: ReadonlyArray<OutSpec>
}

/** Lowering found a value that must be materialized. */
class Materialize {
  constructor(readonly v: Var) {}
}
/** A merged kernel would read its own output at another index. */
class Conflict {}
/** A reshape of `v` needs domain dimension `d` split into (n / q, q). */
class Refine {
  constructor(
    readonly v: Var,
    readonly d: number,
    readonly q: number
  ) {}
}

interface Lowered {
  readonly kernel: Kernel
  /** The value behind each kernel input. */
  readonly loads: ReadonlyArray<Var>
}

const fullMapOf = (shape: ReadonlyArray<number>, domain: ReadonlyArray<number>): IndexMap | null =>
  fromAffine(outputAffine({ domain, reduced: domain.map(() => false) }, "full"), shape, domain)

class KernelBuilder {
  readonly nodes: Node[] = []
  private readonly nodeKeys = new Map<string, NodeId>()
  private readonly memo = new Map<string, NodeId>()
  readonly loads: Var[] = []
  private readonly loadIndex = new Map<Var, number>()
  readonly reductions: Reduction[] = []
  private readonly reductionOf = new Map<Var, number>()
  readonly primitives: string[] = []
  private readonly counted = new Set<Eqn>()
  private readonly own: ReadonlyMap<Var, "full" | "kept">
  private readonly rank: number
  private readonly fullAffine: Affine
  private readonly keptAffine: Affine

  constructor(
    private readonly g: Graph,
    private readonly mat: ReadonlySet<Var>,
    readonly spec: KernelSpec,
    private readonly varIds: ReadonlyMap<Var, number>
  ) {
    this.own = new Map(spec.outputs.map((o) => [o.v, o.phase]))
    this.rank = spec.domain.length
    this.fullAffine = outputAffine(spec, "full")
    this.keptAffine = outputAffine(spec, "kept")
  }

  private node(n: Node): NodeId {
    const key = nodeKey(n)
    let id = this.nodeKeys.get(key)
    if (id === undefined) {
      id = this.nodes.length
      this.nodes.push(n)
      this.nodeKeys.set(key, id)
    }
    return id
  }

  private count(e: Eqn): void {
    if (this.counted.has(e)) return
    this.counted.add(e)
    this.primitives.push(e.primitive.name)
  }

  /** The node computing output `o` at its own position. */
  output(o: OutSpec): NodeId {
    const aff = o.phase === "full" ? this.fullAffine : this.keptAffine
    const m = fromAffine(aff, o.v.aval.shape, this.spec.domain)
    if (m === null) {
      // A reduced value reshaped so that it no longer splits along the kept dimensions: reduce
      // in a kernel of its own, and compute this value elementwise from its buffer.
      const r = pendingReductions(this.g, this.mat, o.v)[0]
      if (r === undefined || r === o.v) throw new Conflict()
      throw new Materialize(r)
    }
    return this.define(o.v, m, o.phase, [])
  }

  /**
   * The node for atom `a` read at map `m` in `phase`. `guard`: the bounds under which the value is
   * used (inside a padded or concatenated operand); loads outside them are not performed.
   */
  expand(a: Atom, m: IndexMap, phase: "full" | "kept", guard: ReadonlyArray<Bound> = []): NodeId {
    if (a instanceof Lit) {
      return this.node({ kind: "const", dtype: a.aval.dtype, value: a.val })
    }
    const ownPhase = this.own.get(a)
    if (ownPhase !== undefined) {
      // A value this kernel writes: computed here when read at the position it is written.
      const aff = toAffine(m, a.aval.shape, this.rank)
      const at = ownPhase === "full" ? this.fullAffine : this.keptAffine
      if (ownPhase !== phase || !affineEquals(aff, at, this.spec.domain)) throw new Conflict()
      return this.define(a, m, phase, guard)
    }
    if (this.g.inputSet.has(a) || this.mat.has(a)) return this.loadLinear(a, toAffine(m, a.aval.shape, this.rank), guard)
    return this.define(a, m, phase, guard)
  }

  /** Expand the equation defining `v`, read at map `m`. */
  private define(v: Var, m: IndexMap, phase: "full" | "kept", guard: ReadonlyArray<Bound>): NodeId {
    const key = `${this.varIds.get(v)}|${phase}|${mapKey(m)}|${boundsKey(guard)}`
    const hit = this.memo.get(key)
    if (hit !== undefined) return hit
    const id = this.defineUncached(v, m, phase, guard)
    this.memo.set(key, id)
    return id
  }

  private defineUncached(v: Var, m: IndexMap, phase: "full" | "kept", guard: ReadonlyArray<Bound>): NodeId {
    const e = this.g.eqnOf(v)
    if (e === undefined) throw new Error(`jaxfx kernel lowering: ${v.aval.str()} has no definition`)
    const cls = this.g.classOf(v)!
    const out = v.aval
    const name = e.primitive.name
    const rank = this.rank
    if (cls === "elementwise") {
      this.count(e)
      const arg = (i: number): NodeId => {
        const a = e.inputs[i]!
        return this.expand(a, broadcastOperand(m, out.shape, a.aval.shape, rank), phase, guard)
      }
      if (isUnaryOp(name)) return this.node({ kind: "unary", dtype: out.dtype, op: unaryOpOf(e), args: [arg(0)] })
      if (isBinaryOp(name)) return this.node({ kind: "binary", dtype: out.dtype, op: name, args: [arg(0), arg(1)] })
      if (name === "select_n") {
        if (e.inputs.length === 2) return arg(1)
        return this.node({ kind: "select", dtype: out.dtype, args: e.inputs.map((_, i) => arg(i)) })
      }
      if (name === "convert_element_type") {
        const x = arg(0)
        if ((e.params as ConvertParams).newDtype === e.inputs[0]!.aval.dtype) return x
        return this.node({ kind: "convert", dtype: out.dtype, args: [x] })
      }
      // integer_pow
      const y = (e.params as IntegerPowParams).y
      if (y === 1) return arg(0)
      if (y === 0) return this.node({ kind: "const", dtype: out.dtype, value: 1 })
      return this.node({ kind: "pow", dtype: out.dtype, y, args: [arg(0)] })
    }
    if (cls === "view") {
      this.count(e)
      const x = e.inputs[0]!
      const xs = x.aval.shape
      let xm: IndexMap | null
      switch (name) {
        case "broadcast_in_dim":
          xm = broadcastInDimOperand(m, xs, (e.params as BroadcastParams).broadcastDimensions, rank)
          break
        case "reshape":
          xm = fromAffine(toAffine(m, out.shape, rank), xs, this.spec.domain)
          if (xm === null) {
            if (x instanceof Var && !this.g.inputSet.has(x) && !this.mat.has(x)) {
              // a computed value: iterate a finer domain, or else materialize it
              const split = splitFor(toAffine(m, out.shape, rank), xs, this.spec.domain)
              if (split !== null) throw new Refine(x, split[0], split[1])
              return this.expandLinear(x, toAffine(m, out.shape, rank), phase, guard)
            }
            // a buffer: read it through its linear position
            return this.loadLinear(x, toAffine(m, out.shape, rank), guard)
          }
          break
        case "transpose":
          xm = transposeOperand(m, (e.params as TransposeParams).permutation)
          break
        case "rev":
          xm = revOperand(m, xs, normAxes((e.params as RevParams).dimensions, xs.length))
          break
        case "slice": {
          const p = e.params as SliceParams
          xm = sliceOperand(m, xs, p.startIndices, p.strides ?? xs.map(() => 1))
          break
        }
        default: // stop_gradient
          xm = m
      }
      return this.expand(x, xm, phase, guard)
    }
    if (cls === "pad") {
      this.count(e)
      // pad (no interior padding): the operand where it lies, the padding value elsewhere
      const x = e.inputs[0]!
      const xs = x.aval.shape
      const cfg = (e.params as PadParams).paddingConfig
      const shifted = shiftRows(
        m,
        cfg.map(([lo]) => -lo)
      )
      const bounds = boundsOf(
        shifted,
        xs,
        cfg.map(([lo, hi]) => lo !== 0 || hi !== 0),
        rank
      )
      const inner = this.expand(x, zeroUnitRows(shifted, xs, rank), phase, [...guard, ...bounds])
      if (bounds.length === 0) return inner
      const value = this.expand(e.inputs[1]!, { off: [], coef: [] }, phase, guard)
      const valid = this.node({ kind: "inbounds", dtype: "bool", bounds })
      return this.node({ kind: "select", dtype: out.dtype, args: [valid, value, inner] })
    }
    if (cls === "concatenate") {
      this.count(e)
      const dim = normAxes([(e.params as ConcatParams).dimension], out.ndim)[0]!
      let acc: NodeId | undefined
      let offset = 0
      for (const x of e.inputs) {
        const xs = x.aval.shape
        const n = xs[dim]!
        const shift = xs.map((_, k) => (k === dim ? -offset : 0))
        offset += n
        if (n === 0) continue
        const shifted = shiftRows(m, shift)
        const bounds = boundsOf(
          shifted,
          xs,
          xs.map((_, k) => k === dim),
          rank
        )
        const piece = this.expand(x, zeroUnitRows(shifted, xs, rank), phase, [...guard, ...bounds])
        if (acc === undefined) acc = piece
        else {
          const valid = this.node({ kind: "inbounds", dtype: "bool", bounds })
          acc = this.node({ kind: "select", dtype: out.dtype, args: [valid, acc, piece] })
        }
      }
      if (acc === undefined) throw new Error("jaxfx kernel lowering: concatenate of empty pieces")
      return acc
    }
    if (cls === "iota") {
      this.count(e)
      const p = e.params as IotaParams
      const row = p.dimension < 0 ? p.dimension + out.ndim : p.dimension
      if (out.shape[row] === 1) return this.node({ kind: "const", dtype: out.dtype, value: 0 })
      return this.node({ kind: "index", dtype: out.dtype, at: { offset: m.off[row]!, strides: m.coef[row]! } })
    }
    if (cls === "reduce") {
      // A pending reduction: this kernel's, read in the epilogue at the position it is produced.
      if (phase !== "kept" || !this.spec.hasReduction || guard.length > 0) throw new Materialize(v)
      const x = e.inputs[0]!
      const axes = reducedAxes(e)
      // the domain is the reduction's input shape, or a refinement of it with the same reduced axes
      const full = fullMapOf(x.aval.shape, this.spec.domain)
      const sameDomain =
        full !== null &&
        ((shapeEq(x.aval.shape, this.spec.domain) && this.spec.reduced.every((r, d) => r === axes.includes(d))) ||
          (sizeOfShape(x.aval.shape) === sizeOfShape(this.spec.domain) &&
            this.spec.domain.every((n, d) => n <= 1 || full.coef.some((row, k) => row[d] !== 0 && this.spec.reduced[d] === axes.includes(k)))))
      if (!sameDomain) throw new Materialize(v)
      if (!affineEquals(toAffine(m, out.shape, rank), this.keptAffine, this.spec.domain)) throw new Materialize(v)
      let k = this.reductionOf.get(v)
      if (k === undefined) {
        this.count(e)
        const arg = this.expand(x, full!, "full")
        k = this.reductions.length
        this.reductions.push({ op: reducePrims[name]!, arg, dtype: out.dtype })
        this.reductionOf.set(v, k)
      }
      return this.node({ kind: "reduced", dtype: out.dtype, reduction: k })
    }
    throw new Error(`jaxfx kernel lowering: ${name} is not fusible`)
  }

  /**
   * The node for `a` at a linear (row-major) position, without per-dimension indices: through
   * elementwise operations whose operands have the same shape (or are scalars), reshapes and
   * casts, down to buffers. A value that needs its dimensions (a broadcast, a transpose) is
   * materialized instead.
   */
  private expandLinear(a: Atom, at: Affine, phase: "full" | "kept", guard: ReadonlyArray<Bound>): NodeId {
    if (a instanceof Lit || this.g.inputSet.has(a) || this.mat.has(a) || this.own.has(a)) return this.loadLinear(a, at, guard)
    const key = `${this.varIds.get(a)}|${phase}|L${at.offset}:${at.strides.join(",")}|${boundsKey(guard)}`
    const hit = this.memo.get(key)
    if (hit !== undefined) return hit
    const e = this.g.eqnOf(a)!
    const cls = this.g.classOf(a)!
    const name = e.primitive.name
    const out = a.aval
    const same = (x: Atom): boolean => x.aval.ndim === 0 || shapeEq(x.aval.shape, out.shape)
    let id: NodeId
    if (cls === "elementwise" && e.inputs.every(same)) {
      this.count(e)
      const arg = (i: number): NodeId => {
        const x = e.inputs[i]!
        return x.aval.ndim === 0 && out.ndim > 0 ? this.expand(x, { off: [], coef: [] }, phase, guard) : this.expandLinear(x, at, phase, guard)
      }
      if (isUnaryOp(name)) id = this.node({ kind: "unary", dtype: out.dtype, op: unaryOpOf(e), args: [arg(0)] })
      else if (isBinaryOp(name)) id = this.node({ kind: "binary", dtype: out.dtype, op: name, args: [arg(0), arg(1)] })
      else if (name === "select_n") id = e.inputs.length === 2 ? arg(1) : this.node({ kind: "select", dtype: out.dtype, args: e.inputs.map((_, i) => arg(i)) })
      else if (name === "convert_element_type") {
        const x = arg(0)
        id = (e.params as ConvertParams).newDtype === e.inputs[0]!.aval.dtype ? x : this.node({ kind: "convert", dtype: out.dtype, args: [x] })
      } else {
        const y = (e.params as IntegerPowParams).y
        id =
          y === 1
            ? arg(0)
            : y === 0
              ? this.node({ kind: "const", dtype: out.dtype, value: 1 })
              : this.node({ kind: "pow", dtype: out.dtype, y, args: [arg(0)] })
      }
    } else if (cls === "view" && (name === "reshape" || name === "stop_gradient")) {
      this.count(e)
      id = this.expandLinear(e.inputs[0]!, at, phase, guard)
    } else throw new Materialize(a)
    this.memo.set(key, id)
    return id
  }

  /** Read a buffer (an input or a materialized value) at a linear position. */
  private loadLinear(x: Atom, at: Affine, guard: ReadonlyArray<Bound>): NodeId {
    if (x instanceof Lit) return this.node({ kind: "const", dtype: x.aval.dtype, value: x.val })
    // a kernel never reads a buffer it writes
    if (this.own.has(x)) throw new Conflict()
    let input = this.loadIndex.get(x)
    if (input === undefined) {
      input = this.loads.length
      this.loads.push(x)
      this.loadIndex.set(x, input)
    }
    return this.node({ kind: "load", dtype: x.aval.dtype, input, at, bounds: guard })
  }
}

/** Rows shifted by a constant per dimension. */
const shiftRows = (m: IndexMap, shift: ReadonlyArray<number>): IndexMap => ({
  off: m.off.map((o, k) => o + shift[k]!),
  coef: m.coef
})

/** Zero rows for the dimensions of size 1 (the only valid index there is 0). */
const zeroUnitRows = (m: IndexMap, shape: ReadonlyArray<number>, rank: number): IndexMap => ({
  off: shape.map((n, k) => (n === 1 ? 0 : m.off[k]!)),
  coef: shape.map((n, k) => (n === 1 ? new globalThis.Array<number>(rank).fill(0) : m.coef[k]!))
})

/** `0 <= row k < shape[k]` for the flagged dimensions. */
const boundsOf = (m: IndexMap, shape: ReadonlyArray<number>, flagged: ReadonlyArray<boolean>, rank: number): Bound[] =>
  shape.flatMap((n, k) => (flagged[k] ? [{ at: { offset: m.off[k]!, strides: m.coef[k] ?? new globalThis.Array<number>(rank).fill(0) }, size: n }] : []))

const boundsKey = (bs: ReadonlyArray<Bound>): string => bs.map((b) => `${b.at.offset}:${b.at.strides.join(",")}<${b.size}`).join("&")

const nodeKey = (n: Node): string => {
  switch (n.kind) {
    case "load":
      return `L${n.input}:${n.at.offset}:${n.at.strides.join(",")}|${boundsKey(n.bounds)}`
    case "inbounds":
      return `G${boundsKey(n.bounds)}`
    case "index":
      return `I${n.dtype}:${n.at.offset}:${n.at.strides.join(",")}`
    case "const":
      return `C${n.dtype}:${Object.is(n.value, -0) ? "-0" : String(n.value)}`
    case "unary":
      return `U${n.op}:${n.dtype}:${n.args[0]}`
    case "binary":
      return `B${n.op}:${n.dtype}:${n.args[0]},${n.args[1]}`
    case "select":
      return `S${n.dtype}:${n.args.join(",")}`
    case "convert":
      return `V${n.dtype}:${n.args[0]}`
    case "pow":
      return `P${n.dtype}:${n.y}:${n.args[0]}`
    case "reduced":
      return `R${n.reduction}`
  }
}

/** Lower a kernel, refining its domain where reshapes need it (a few times at most). */
const lowerKernel = (g: Graph, mat: ReadonlySet<Var>, spec: KernelSpec, varIds: ReadonlyMap<Var, number>, name: string): Lowered => {
  let s = spec
  for (let attempt = 0; ; attempt++) {
    try {
      return lowerKernelOnce(g, mat, s, varIds, name)
    } catch (err) {
      if (!(err instanceof Refine)) throw err
      if (attempt >= 2 * spec.domain.length + 4) throw new Materialize(err.v)
      const { d, q } = err
      s = {
        ...s,
        domain: [...s.domain.slice(0, d), s.domain[d]! / q, q, ...s.domain.slice(d + 1)],
        reduced: [...s.reduced.slice(0, d), s.reduced[d]!, s.reduced[d]!, ...s.reduced.slice(d + 1)]
      }
    }
  }
}

const lowerKernelOnce = (g: Graph, mat: ReadonlySet<Var>, spec: KernelSpec, varIds: ReadonlyMap<Var, number>, name: string): Lowered => {
  const b = new KernelBuilder(g, mat, spec, varIds)
  const outs: KernelOutput[] = spec.outputs.map((o) => {
    const node = b.output(o)
    return { node, phase: o.phase, dtype: o.v.aval.dtype, size: o.v.aval.size }
  })
  if (spec.hasReduction && b.reductions.length === 0) {
    // Every reduction this kernel was formed around was materialized elsewhere: not a reduction kernel.
    throw new Conflict()
  }
  const kernel: Kernel = {
    name,
    domain: spec.domain,
    reduced: spec.reduced,
    inputs: b.loads.map((v) => ({ dtype: v.aval.dtype, size: v.aval.size })),
    nodes: b.nodes,
    reductions: b.reductions,
    outputs: outs,
    primitives: b.primitives
  }
  return { kernel, loads: b.loads }
}

/** The reductions a root's fused tree carries (through unmaterialized values). */
const pendingReductions = (g: Graph, mat: ReadonlySet<Var>, root: Var): Var[] => {
  const found: Var[] = []
  const seen = new Set<Var>()
  const visit = (v: Var, isRoot: boolean): void => {
    if (seen.has(v)) return
    seen.add(v)
    if (!isRoot && (mat.has(v) || g.inputSet.has(v))) return
    const cls = g.classOf(v)
    if (cls === "reduce") {
      found.push(v)
      return
    }
    const e = g.eqnOf(v)
    if (e === undefined) return
    for (const a of e.inputs) if (a instanceof Var) visit(a, false)
  }
  visit(root, true)
  return found
}

const specFor = (g: Graph, mat: ReadonlySet<Var>, root: Var): KernelSpec => {
  const red = pendingReductions(g, mat, root)
  if (red.length === 0) {
    return { domain: root.aval.shape, reduced: root.aval.shape.map(() => false), hasReduction: false, outputs: [{ v: root, phase: "full" }] }
  }
  const e = g.eqnOf(red[0]!)!
  const x = e.inputs[0]!.aval
  const axes = reducedAxes(e)
  return {
    domain: x.shape,
    reduced: x.shape.map((_, d) => axes.includes(d)),
    hasReduction: true,
    outputs: [{ v: root, phase: "kept" }]
  }
}

const keptOf = (s: KernelSpec): number[] => s.domain.filter((_, d) => !s.reduced[d])

/** The spec of `h` and `g` merged into one kernel, if their domains allow it. */
const mergeSpecs = (h: KernelSpec, g: KernelSpec): KernelSpec | null => {
  const relabel = (s: KernelSpec, phase: "full" | "kept"): OutSpec[] => s.outputs.map((o) => ({ v: o.v, phase }))
  if (h.hasReduction && g.hasReduction) {
    if (!shapeEq(h.domain, g.domain) || !h.reduced.every((r, d) => r === g.reduced[d])) return null
    return { ...h, outputs: [...h.outputs, ...g.outputs] }
  }
  if (!h.hasReduction && !g.hasReduction) {
    return shapeEq(h.domain, g.domain) ? { ...h, outputs: [...h.outputs, ...g.outputs] } : null
  }
  const [red, ew, redFirst] = h.hasReduction ? [h, g, true] : [g, h, false]
  let moved: OutSpec[]
  if (shapeEq(ew.domain, red.domain)) moved = relabel(ew, "full")
  else if (shapeEq(ew.domain, keptOf(red))) moved = relabel(ew, "kept")
  else return null
  return { ...red, outputs: redFirst ? [...red.outputs, ...moved] : [...moved, ...red.outputs] }
}

// ---------------------------------------------------------------------------------------------
// The planner

interface PlannedKernel {
  kind: "kernel"
  spec: KernelSpec
  lowered: Lowered
}
interface PlannedCall {
  kind: "call"
  eqn: Eqn
}
type Planned = PlannedKernel | PlannedCall

/** How far back a kernel may move to merge with an earlier one. */
const MERGE_WINDOW = 16

const produced = (p: Planned): ReadonlyArray<Var> => (p.kind === "call" ? p.eqn.outVars : p.spec.outputs.map((o) => o.v))

/** Lower a jaxpr to fused kernels and calls. */
export const lowerJaxpr = (jaxpr: Jaxpr): Program => {
  const g = new Graph(jaxpr)
  const varIds = new Map<Var, number>()
  for (const v of g.inputs) varIds.set(v, varIds.size)
  for (const e of jaxpr.eqns) for (const v of e.outVars) varIds.set(v, varIds.size)
  /** Values materialized to cut long chains: kernels never merge across them. */
  const cut = new Set<Var>()
  const mat = chooseMaterialized(g, cut)

  let planned: Planned[] | undefined
  for (let attempt = 0; planned === undefined; attempt++) {
    if (attempt > varIds.size + 1) throw new Error("jaxfx kernel lowering did not converge")
    planned = tryPlan(g, mat, varIds)
  }
  planned = mergeKernels(g, mat, cut, varIds, planned)
  return aliasCopies(buildProgram(g, planned))
}

/** Form and lower one kernel per materialized fusible value; on a failure, materialize and retry. */
const tryPlan = (g: Graph, mat: Set<Var>, varIds: ReadonlyMap<Var, number>): Planned[] | undefined => {
  const out: Planned[] = []
  const eqns = g.jaxpr.eqns
  let kernelCount = 0
  for (let i = 0; i < eqns.length; i++) {
    if (!g.live[i]) continue
    const e = eqns[i]!
    if (g.classes[i] === "opaque") {
      out.push({ kind: "call", eqn: e })
      continue
    }
    const v = e.outVars[0]!
    if (!mat.has(v)) continue
    const spec = specFor(g, mat, v)
    try {
      out.push({ kind: "kernel", spec, lowered: lowerKernel(g, mat, spec, varIds, `k${kernelCount++}`) })
    } catch (err) {
      if (err instanceof Materialize) {
        if (mat.has(err.v) || g.inputSet.has(err.v)) throw new Error("jaxfx kernel lowering: cannot fuse an already materialized value")
        mat.add(err.v)
        return undefined
      }
      if (err instanceof Conflict) {
        // a reduction kernel whose reductions all moved elsewhere: retry as elementwise
        throw new Error("jaxfx kernel lowering: inconsistent reduction kernel")
      }
      throw err
    }
  }
  return out
}

const mergeKernels = (g: Graph, mat: ReadonlySet<Var>, cut: ReadonlySet<Var>, varIds: ReadonlyMap<Var, number>, steps: Planned[]): Planned[] => {
  const out: Planned[] = []
  for (const s of steps) {
    if (s.kind === "kernel") {
      const needs = new Set(s.lowered.loads)
      let merged = false
      for (let i = out.length - 1; i >= 0 && i >= out.length - MERGE_WINDOW; i--) {
        const h = out[i]!
        const producesNeeded = produced(h).some((v) => needs.has(v))
        if (produced(h).some((v) => needs.has(v) && cut.has(v))) break
        if (h.kind === "kernel") {
          const shares = producesNeeded || h.lowered.loads.some((v) => needs.has(v))
          const spec = shares ? mergeSpecs(h.spec, s.spec) : null
          if (spec !== null) {
            try {
              const lowered = lowerKernel(g, mat, spec, varIds, h.lowered.kernel.name)
              // the merged kernel must not read anything produced after position i
              const later = new Set(out.slice(i + 1).flatMap(produced))
              if (!lowered.loads.some((v) => later.has(v))) {
                out[i] = { kind: "kernel", spec, lowered }
                merged = true
                break
              }
            } catch (err) {
              if (!(err instanceof Conflict) && !(err instanceof Materialize)) throw err
            }
          }
        }
        if (producesNeeded) break
      }
      if (merged) continue
    }
    out.push(s)
  }
  // A merged kernel computes the values it reads from itself inline: drop the outputs nobody
  // else reads. Then number the kernels in schedule order.
  const read = new Set<Var>(g.outputs)
  for (const p of out) {
    if (p.kind === "call") {
      for (const a of p.eqn.inputs) if (a instanceof Var) read.add(a)
    } else for (const v of p.lowered.loads) read.add(v)
  }
  let k = 0
  return out.map((p) => {
    if (p.kind === "call") return p
    const keep = p.spec.outputs.map((o) => read.has(o.v))
    const spec = { ...p.spec, outputs: p.spec.outputs.filter((_, i) => keep[i]) }
    const kernel = { ...p.lowered.kernel, name: `k${k++}`, outputs: p.lowered.kernel.outputs.filter((_, i) => keep[i]) }
    return { kind: "kernel", spec, lowered: { ...p.lowered, kernel } }
  })
}

const buildProgram = (g: Graph, planned: ReadonlyArray<Planned>): Program => {
  const slots: ShapedArray[] = []
  const slotOf = new Map<Var, number>()
  const add = (v: Var): number => {
    let s = slotOf.get(v)
    if (s === undefined) {
      s = slots.length
      slots.push(v.aval)
      slotOf.set(v, s)
    }
    return s
  }
  for (const v of g.inputs) {
    // a variable listed twice (const and input) keeps one slot per position
    const s = slots.length
    slots.push(v.aval)
    if (!slotOf.has(v)) slotOf.set(v, s)
  }
  const slotFor = (v: Var): number => {
    const s = slotOf.get(v)
    if (s === undefined) throw new Error(`jaxfx kernel lowering: ${v.aval.str()} is read before it is computed`)
    return s
  }
  const steps: Step[] = planned.map((p): Step => {
    if (p.kind === "call") {
      const inputs = p.eqn.inputs.map((a) => (a instanceof Lit ? a : slotFor(a)))
      return { kind: "call", eqn: p.eqn, inputs, outputs: p.eqn.outVars.map(add) }
    }
    const inputs = p.lowered.loads.map(slotFor)
    return { kind: "kernel", kernel: p.lowered.kernel, inputs, outputs: p.spec.outputs.map((o) => add(o.v)) }
  })
  const outputs = g.jaxpr.outs.map((o) => (o instanceof Lit ? o : slotFor(o)))
  return { slots, inputs: g.inputs.length, steps, outputs }
}
