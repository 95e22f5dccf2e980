/**
 * Collectives over named axes (JAX's lax.psum, pmax, pmin, all_gather, ppermute, all_to_all,
 * psum_scatter, axis_index): primitives whose operands are one per member of a named axis. The
 * transformation that binds the axis (vmap or pmap with `axisName`) applies `axisBatch`, which
 * turns the communication into array operations over the mapped dimension; under other
 * transformations they are ordinary primitives with jvp, transpose and batching rules.
 */
import { Array as ArrayClass, type Array, ShapedArray } from "../array.js"
import { isInexact } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { moveBatchAxis } from "../interpreters/batch.js"
import { definePrimitive, type Primitive, Zero } from "../primitive.js"
import { constant } from "../primitives/common.js"
import { add, convertElementType, div, mul } from "../primitives/elementwise.js"
import { checkOptions, optionKeys } from "../options.js"
import { flatten, unflatten } from "../tree.js"
import { reduceMax, reduceMin, reduceSum } from "../primitives/reduce.js"
import { concatenate, iota, reshape, slice, transpose } from "../primitives/shape-ops.js"
import { checkAxis, checkDim, checkFlag, describe } from "../shape.js"
import { bind1 } from "../trace.js"
import { axisNameList, lookupAxis, singleAxisName } from "./axis-env.js"

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i)
const shapeStr = (s: ReadonlyArray<number>): string => `[${s.join(", ")}]`

// ---------------------------------------------------------------------------------------------
// psum, pmax, pmin: reductions over named axes (same shape in and out)

export interface ReduceParams {
  readonly axes: ReadonlyArray<string>
  readonly [k: string]: unknown
}

const reduction = (name: string, reduce: (x: Array, axes: ReadonlyArray<number>) => Array, unbatched: (x: Array, n: number) => Array) => {
  const p = definePrimitive<ReduceParams>(name, ([x], { axes }) => {
    axisNameList(axes, name)
    if (x!.dtype === "bool") throw new DTypeError(`${name} does not take bool operands; cast with astype first.`)
    return [x!]
  })
  p.axisNames = ({ axes }) => axes
  p.printParams = ({ axes }) => [["axes", `(${axes.map((a) => `'${a}'`).join(", ")}${axes.length === 1 ? "," : ""})`]]
  // Under the axis's transformation: reduce over the mapped dimension, then over the other axes.
  p.axisBatch = ([x], [d], { axes }, n, axisName) => {
    const y = d === null ? unbatched(x!, n) : reduce(x!, [d!])
    const rest = axes.filter((a) => a !== axisName)
    return [[rest.length === 0 ? y : bind1(p, [y], { axes: rest })], [null]]
  }
  // Under another vmap: elementwise over the batch.
  p.batch = ([x], [d], params) => [[bind1(p, [x!], params)], [d!]]
  return p
}

export const psumP = reduction("psum", reduceSum, (x, n) => mul(x, constant(n, x.dtype, [], true)))
psumP.jvp = ([x], [t], params) => [[bind1(psumP, [x!], params)], [bind1(psumP, [t!], params)]]
// JAX's transpose of psum is psum: every member's cotangent reaches every member's input.
psumP.transpose = ([ct], [x], params) => [ct instanceof Zero ? new Zero(x!.aval as ShapedArray) : bind1(psumP, [ct!], params)]
// pmax/pmin have no derivative rule, as in JAX.
export const pmaxP = reduction("pmax", reduceMax, (x) => x)
export const pminP = reduction("pmin", reduceMin, (x) => x)

/** Map a collective over the leaves of a pytree of arrays. */
const overLeaves = <T>(x: T, f: (a: Array) => Array, who: string): T => {
  const [leaves, def] = flatten(x)
  return unflatten(
    def,
    leaves.map((l) => f(toArray(l, who)))
  ) as T
}

const toArray = (x: unknown, who: string): Array => {
  if (x instanceof ArrayClass) return x
  if (typeof x === "number") return constant(x, Number.isInteger(x) ? "int32" : "float32", [], true)
  throw new ValueError(`${who}: operands must be Arrays or numbers (or pytrees of them), got ${describe(x)}.`)
}

/** One name or a tuple of names, each bound by an enclosing vmap or pmap. */
export type AxisName = string | ReadonlyArray<string>

const reduceOver =
  (p: Primitive<ReduceParams>, who: string) =>
  <T>(x: T, axisName: AxisName): T => {
    const axes = axisNameList(axisName, who)
    for (const a of axes) lookupAxis(a, who)
    return overLeaves(x, (a) => bind1(p, [a], { axes }), who)
  }

/**
 * The sum of `x` over the members of the named axis (or axes): every member gets the total.
 * Takes an Array, a number or a pytree of them.
 *
 * @example
 * vmap((x: Array) => lax.psum(x, "i"), { axisName: "i" })(np.array([1, 2, 3])) // Array([6, 6, 6], dtype=int32)
 */
export const psum: <T>(x: T, axisName: AxisName) => T = reduceOver(psumP, "lax.psum")
/**
 * The maximum of `x` over the members of the named axis (or axes).
 *
 * @example
 * vmap((x: Array) => lax.pmax(x, "i"), { axisName: "i" })(np.array([1, 5, 3])) // Array([5, 5, 5], dtype=int32)
 */
export const pmax: <T>(x: T, axisName: AxisName) => T = reduceOver(pmaxP, "lax.pmax")
/**
 * The minimum of `x` over the members of the named axis (or axes).
 *
 * @example
 * vmap((x: Array) => lax.pmin(x, "i"), { axisName: "i" })(np.array([4, 2, 3])) // Array([2, 2, 2], dtype=int32)
 */
export const pmin: <T>(x: T, axisName: AxisName) => T = reduceOver(pminP, "lax.pmin")

/**
 * The mean of `x` over the members of the named axis (or axes): psum divided by the axis size.
 * Integer inputs give float32 means, as in JAX.
 *
 * @example
 * vmap((x: Array) => lax.pmean(x, "i"), { axisName: "i" })(np.array([1., 2., 6.])) // Array([3., 3., 3.], dtype=float32)
 */
export const pmean = <T>(x: T, axisName: AxisName): T => {
  const n = axisSize(axisName)
  return overLeaves(
    psum(x, axisName),
    (s) => {
      const f = isInexact(s.dtype) ? s : convertElementType(s, "float32", s.weakType)
      return div(f, constant(n, f.dtype, [], true))
    },
    "lax.pmean"
  )
}

/**
 * The size of the named axis (the product of the sizes, for a tuple of names).
 *
 * @example
 * vmap((x: Array) => x.mul(lax.axisSize("i")), { axisName: "i" })(np.ones([3])) // Array([3., 3., 3.], dtype=float32)
 */
export const axisSize = (axisName: AxisName): number => axisNameList(axisName, "lax.axisSize").reduce((n, a) => n * lookupAxis(a, "lax.axisSize").size, 1)

// ---------------------------------------------------------------------------------------------
// axis_index

export interface AxisIndexParams {
  readonly axisName: string
  readonly [k: string]: unknown
}
export const axisIndexP = definePrimitive<AxisIndexParams>("axis_index", (_avals, { axisName }) => {
  singleAxisName(axisName, "axis_index")
  return [new ShapedArray([], "int32")]
})
axisIndexP.axisNames = ({ axisName }) => [axisName]
axisIndexP.printParams = ({ axisName }) => [["axis_name", `'${axisName}'`]]
axisIndexP.axisBatch = (_args, _dims, _p, n) => [[iota("int32", [n])], [0]]

/**
 * This member's index along the named axis (int32). For a tuple of names, the index in the
 * row-major order of their members (the first name varies slowest), as in JAX.
 *
 * @example
 * vmap((x: Array) => lax.axisIndex("i"), { axisName: "i" })(np.zeros([3])) // Array([0, 1, 2], dtype=int32)
 */
export const axisIndex = (axisName: AxisName): Array => {
  const names = axisNameList(axisName, "lax.axisIndex")
  let idx: Array | undefined
  for (const name of names) {
    const size = lookupAxis(name, "lax.axisIndex").size
    const i = bind1(axisIndexP, [], { axisName: name })
    idx = idx === undefined ? i : add(mul(idx, constant(size, "int32", [], true)), i)
  }
  return idx!
}

// ---------------------------------------------------------------------------------------------
// all_gather and reduce_scatter (psum_scatter), each the other's transpose

export interface AllGatherParams {
  readonly axisName: string
  readonly axis: number
  readonly tiled: boolean
  readonly axisSize: number
  readonly [k: string]: unknown
}
const gatheredShape = (s: ReadonlyArray<number>, axis: number, tiled: boolean, n: number): number[] => {
  const out = [...s]
  if (tiled) out[axis] = out[axis]! * n
  else out.splice(axis, 0, n)
  return out
}
export const allGatherP = definePrimitive<AllGatherParams>("all_gather", ([x], { axisName, axis, tiled, axisSize }) => {
  singleAxisName(axisName, "all_gather")
  const n = checkDim(axisSize, "all_gather: axisSize")
  const t = checkFlag(tiled, "all_gather: tiled")
  checkAxis(axis, t ? x!.ndim : x!.ndim + 1, `all_gather: axis (for an operand of shape ${shapeStr(x!.shape)}${t ? ", tiled" : ""})`)
  return [new ShapedArray(gatheredShape(x!.shape, axis, t, n), x!.dtype, x!.weakType)]
})
allGatherP.axisNames = ({ axisName }) => [axisName]
allGatherP.printParams = (p) => [
  ["all_gather_dimension", String(p.axis)],
  ["axis_name", `'${p.axisName}'`],
  ["axis_size", String(p.axisSize)],
  ["tiled", p.tiled ? "True" : "False"]
]
allGatherP.axisBatch = ([x], [d], { axis, tiled }, n) => {
  const xb = moveBatchAxis(x!, d!, 0, n)
  // [n, ...s] -> the member axis moved to `axis` (merged into it when tiled); the same for every member.
  const s = xb.shape.slice(1)
  const perm = range(s.length).map((i) => i + 1)
  perm.splice(axis, 0, 0)
  const moved = transpose(xb, perm)
  return [[tiled ? reshape(moved, gatheredShape(s, axis, true, n)) : moved], [null]]
}
allGatherP.batch = ([x], [d], p, size) => [[bind1(allGatherP, [moveBatchAxis(x!, d!, 0, size)], { ...p, axis: p.axis + 1 })], [0]]
allGatherP.jvp = ([x], [t], p) => [[bind1(allGatherP, [x!], p)], [bind1(allGatherP, [t!], p)]]
allGatherP.transpose = ([ct], [x], p) => [
  ct instanceof Zero
    ? new Zero(x!.aval as ShapedArray)
    : bind1(reduceScatterP, [ct!], { axisName: p.axisName, scatterDimension: p.axis, tiled: p.tiled, axisSize: p.axisSize })
]

export interface ReduceScatterParams {
  readonly axisName: string
  readonly scatterDimension: number
  readonly tiled: boolean
  readonly axisSize: number
  readonly [k: string]: unknown
}
const scatteredShape = (s: ReadonlyArray<number>, dim: number, tiled: boolean, n: number, who: string): number[] => {
  const out = [...s]
  if (tiled) {
    if (s[dim]! % n !== 0)
      throw new ShapeError(
        `${who}: dimension ${dim} of the operand (shape ${shapeStr(s)}) has size ${s[dim]}, which the axis size ${n} does not divide; with tiled, it must be a multiple of it.`
      )
    out[dim] = s[dim]! / n
  } else {
    if (s[dim] !== n)
      throw new ShapeError(
        `${who}: dimension ${dim} of the operand (shape ${shapeStr(s)}) has size ${s[dim]}, not the axis size ${n}; make it ${n}, or pass tiled: true to scatter blocks.`
      )
    out.splice(dim, 1)
  }
  return out
}
export const reduceScatterP = definePrimitive<ReduceScatterParams>("reduce_scatter", ([x], { axisName, scatterDimension, tiled, axisSize }) => {
  singleAxisName(axisName, "psum_scatter")
  const n = checkDim(axisSize, "psum_scatter: axisSize")
  const t = checkFlag(tiled, "psum_scatter: tiled")
  if (x!.dtype === "bool") throw new DTypeError("psum_scatter does not take bool operands; cast with astype first.")
  checkAxis(scatterDimension, x!.ndim, `psum_scatter: scatterDimension (for an operand of shape ${shapeStr(x!.shape)})`)
  return [new ShapedArray(scatteredShape(x!.shape, scatterDimension, t, n, "psum_scatter"), x!.dtype, x!.weakType)]
})
reduceScatterP.axisNames = ({ axisName }) => [axisName]
reduceScatterP.printParams = (p) => [
  ["axis_name", `'${p.axisName}'`],
  ["axis_size", String(p.axisSize)],
  ["scatter_dimension", String(p.scatterDimension)],
  ["tiled", p.tiled ? "True" : "False"]
]
reduceScatterP.axisBatch = ([x], [d], { scatterDimension: dim, tiled }, n) => {
  const total = d === null ? mul(x!, constant(n, x!.dtype, [], true)) : reduceSum(x!, [d!])
  const s = total.shape
  // Member j gets block j of the total along `dim`: split the dimension and bring the block index first.
  const split = tiled ? [...s.slice(0, dim), n, s[dim]! / n, ...s.slice(dim + 1)] : [...s]
  const blocks = reshape(total, split)
  const perm = [dim, ...range(split.length).filter((i) => i !== dim)]
  return [[transpose(blocks, perm)], [0]]
}
reduceScatterP.batch = ([x], [d], p, size) => [
  [bind1(reduceScatterP, [moveBatchAxis(x!, d!, 0, size)], { ...p, scatterDimension: p.scatterDimension + 1 })],
  [0]
]
reduceScatterP.jvp = ([x], [t], p) => [[bind1(reduceScatterP, [x!], p)], [bind1(reduceScatterP, [t!], p)]]
reduceScatterP.transpose = ([ct], [x], p) => [
  ct instanceof Zero
    ? new Zero(x!.aval as ShapedArray)
    : bind1(allGatherP, [ct!], { axisName: p.axisName, axis: p.scatterDimension, tiled: p.tiled, axisSize: p.axisSize })
]

export interface AllGatherOptions {
  /** Where the gathered axis goes (default 0). */
  readonly axis?: number
  /** Concatenate along `axis` instead of stacking a new axis (default false). */
  readonly tiled?: boolean
}
const ALL_GATHER_KEYS = optionKeys<AllGatherOptions>()("axis", "tiled")

/**
 * Every member's `x`, stacked along a new axis `axis` (or concatenated along it with `tiled`):
 * JAX's lax.all_gather.
 *
 * @example
 * vmap((x: Array) => lax.allGather(x, "i"), { axisName: "i" })(np.array([1, 2])) // every member gets [1, 2]
 */
export const allGather = (x: Array | number, axisName: string, opts: AllGatherOptions = {}): Array => {
  checkOptions("lax.allGather", opts, ALL_GATHER_KEYS)
  const name = singleAxisName(axisName, "lax.allGather")
  const a = toArray(x, "lax.allGather")
  const tiled = opts.tiled ?? false
  const rank = tiled ? a.ndim : a.ndim + 1
  const axis = checkAxis(opts.axis === undefined ? 0 : opts.axis < 0 && Number.isInteger(opts.axis) ? opts.axis + rank : opts.axis, rank, "lax.allGather: axis")
  return bind1(allGatherP, [a], { axisName: name, axis, tiled: checkFlag(tiled, "lax.allGather: tiled"), axisSize: lookupAxis(name, "lax.allGather").size })
}

export interface PsumScatterOptions {
  /** The dimension whose blocks are scattered (default 0). */
  readonly scatterDimension?: number
  /** Keep the dimension, of size 1/n of the operand's (default false: it must be the axis size and is removed). */
  readonly tiled?: boolean
}
const PSUM_SCATTER_KEYS = optionKeys<PsumScatterOptions>()("scatterDimension", "tiled")

/**
 * The sum over the named axis, with member j keeping only block j along `scatterDimension`
 * (JAX's lax.psum_scatter).
 *
 * @example
 * vmap((x: Array) => lax.psumScatter(x, "i"), { axisName: "i" })(np.arange(9).reshape([3, 3])) // Array([9, 12, 15], dtype=int32)
 */
export const psumScatter = (x: Array | number, axisName: string, opts: PsumScatterOptions = {}): Array => {
  checkOptions("lax.psumScatter", opts, PSUM_SCATTER_KEYS)
  const name = singleAxisName(axisName, "lax.psumScatter")
  const a = toArray(x, "lax.psumScatter")
  const dim = opts.scatterDimension ?? 0
  const scatterDimension = checkAxis(dim < 0 && Number.isInteger(dim) ? dim + a.ndim : dim, a.ndim, "lax.psumScatter: scatterDimension")
  return bind1(reduceScatterP, [a], {
    axisName: name,
    scatterDimension,
    tiled: checkFlag(opts.tiled ?? false, "lax.psumScatter: tiled"),
    axisSize: lookupAxis(name, "lax.psumScatter").size
  })
}

// ---------------------------------------------------------------------------------------------
// ppermute (pshuffle) and all_to_all

export interface PpermuteParams {
  readonly axisName: string
  /** (source, destination) pairs. */
  readonly perm: ReadonlyArray<readonly [number, number]>
  readonly axisSize: number
  readonly [k: string]: unknown
}
const checkPerm = (perm: unknown, n: number, who: string): ReadonlyArray<readonly [number, number]> => {
  const bad = (why: string) =>
    new ValueError(
      `${who}: perm must be a list of [source, destination] pairs of member indices in [0, ${n}), each source and each destination at most once; ${why}.`
    )
  if (!globalThis.Array.isArray(perm)) throw bad(`got ${describe(perm)}`)
  const src = new Set<number>()
  const dst = new Set<number>()
  for (const pair of perm as ReadonlyArray<unknown>) {
    if (!globalThis.Array.isArray(pair) || pair.length !== 2 || !pair.every((i) => Number.isInteger(i) && i >= 0 && i < n))
      throw bad(`got the pair ${describe(pair)}`)
    const [s, d] = pair as [number, number]
    if (src.has(s) || dst.has(d)) throw bad(`${src.has(s) ? `source ${s}` : `destination ${d}`} repeats`)
    src.add(s)
    dst.add(d)
  }
  return (perm as ReadonlyArray<readonly [number, number]>).map(([s, d]) => [s, d] as const)
}
export const ppermuteP = definePrimitive<PpermuteParams>("ppermute", ([x], { axisName, perm, axisSize }) => {
  singleAxisName(axisName, "ppermute")
  checkPerm(perm, checkDim(axisSize, "ppermute: axisSize"), "ppermute")
  return [x!]
})
ppermuteP.axisNames = ({ axisName }) => [axisName]
ppermuteP.printParams = (p) => [
  ["axis_name", `'${p.axisName}'`],
  ["perm", `(${p.perm.map(([s, d]) => `(${s}, ${d})`).join(", ")}${p.perm.length === 1 ? "," : ""})`]
]
ppermuteP.axisBatch = ([x], [d], { perm }, n) => {
  const xb = moveBatchAxis(x!, d!, 0, n)
  const rest = xb.shape.slice(1)
  const from = new Map(perm.map(([s, t]) => [t, s]))
  // Member j receives member from(j)'s value; members nobody sends to get zeros.
  const parts = range(n).map((j) => {
    const s = from.get(j)
    return s === undefined ? constant(0, xb.dtype, [1, ...rest]) : slice(xb, [s, ...rest.map(() => 0)], [s + 1, ...rest])
  })
  return [[concatenate(parts, 0)], [0]]
}
ppermuteP.batch = ([x], [d], p) => [[bind1(ppermuteP, [x!], p)], [d!]]
ppermuteP.jvp = ([x], [t], p) => [[bind1(ppermuteP, [x!], p)], [bind1(ppermuteP, [t!], p)]]
ppermuteP.transpose = ([ct], [x], p) => [
  ct instanceof Zero ? new Zero(x!.aval as ShapedArray) : bind1(ppermuteP, [ct!], { ...p, perm: p.perm.map(([s, d]) => [d, s] as const) })
]

/**
 * Send each member's `x` to another member: `perm` lists [source, destination] pairs; members
 * that receive nothing get zeros (JAX's lax.ppermute).
 *
 * @example
 * vmap((x: Array) => lax.ppermute(x, "i", [[0, 1], [1, 2], [2, 0]]), { axisName: "i" })(np.array([1, 2, 3])) // Array([3, 1, 2], dtype=int32)
 */
export const ppermute = (x: Array | number, axisName: string, perm: ReadonlyArray<readonly [number, number]>): Array => {
  const name = singleAxisName(axisName, "lax.ppermute")
  const n = lookupAxis(name, "lax.ppermute").size
  return bind1(ppermuteP, [toArray(x, "lax.ppermute")], { axisName: name, perm: checkPerm(perm, n, "lax.ppermute"), axisSize: n })
}

/**
 * Member j gets member perm[j]'s `x` (JAX's lax.pshuffle; perm is a permutation of the members).
 *
 * @example
 * vmap((x: Array) => lax.pshuffle(x, "i", [2, 0, 1]), { axisName: "i" })(np.array([0, 1, 2])) // Array([2, 0, 1], dtype=int32)
 */
export const pshuffle = (x: Array | number, axisName: string, perm: ReadonlyArray<number>): Array => {
  const name = singleAxisName(axisName, "lax.pshuffle")
  const n = lookupAxis(name, "lax.pshuffle").size
  if (!globalThis.Array.isArray(perm) || perm.length !== n || [...perm].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new ValueError(`lax.pshuffle: perm must be a permutation of 0..${n - 1} (one entry per member of axis "${name}"), got ${describe(perm)}.`)
  }
  return ppermute(
    x,
    name,
    perm.map((s, d) => [s, d] as const)
  )
}

/**
 * Every member gets member `source`'s `x` (JAX's lax.pbroadcast): an all-gather read at `source`,
 * so the gradient flows back to the source member only (the sum of every member's cotangent).
 *
 * @example
 * vmap((x: Array) => lax.pbroadcast(x, "i", 2), { axisName: "i" })(np.array([5, 6, 7])) // Array([7, 7, 7], dtype=int32)
 */
export const pbroadcast = (x: Array | number, axisName: string, source: number): Array => {
  const name = singleAxisName(axisName, "lax.pbroadcast")
  const n = lookupAxis(name, "lax.pbroadcast").size
  if (!Number.isInteger(source) || source < 0 || source >= n) {
    throw new ValueError(`lax.pbroadcast: source must be a member index in 0..${n - 1} of axis "${name}", got ${describe(source)}.`)
  }
  const all = allGather(x, name)
  return reshape(slice(all, [source, ...all.shape.slice(1).map(() => 0)], [source + 1, ...all.shape.slice(1)]), all.shape.slice(1))
}

export interface AllToAllParams {
  readonly axisName: string
  readonly splitAxis: number
  readonly concatAxis: number
  readonly tiled: boolean
  readonly axisSize: number
  readonly [k: string]: unknown
}
const allToAllShape = (s: ReadonlyArray<number>, p: AllToAllParams, who: string): number[] => {
  const n = p.axisSize
  const sa = s[p.splitAxis]!
  if (p.tiled) {
    if (sa % n !== 0)
      throw new ShapeError(
        `${who}: the split axis ${p.splitAxis} of the operand (shape ${shapeStr(s)}) has size ${sa}, which the axis size ${n} does not divide.`
      )
    const out = [...s]
    out[p.splitAxis] = sa / n
    out[p.concatAxis] = out[p.concatAxis]! * n
    return out
  }
  if (sa !== n)
    throw new ShapeError(
      `${who}: the split axis ${p.splitAxis} of the operand (shape ${shapeStr(s)}) has size ${sa}, not the axis size ${n}; make it ${n}, or pass tiled: true.`
    )
  const out = s.filter((_, i) => i !== p.splitAxis)
  out.splice(p.concatAxis, 0, n)
  return out
}
export const allToAllP = definePrimitive<AllToAllParams>("all_to_all", ([x], p) => {
  singleAxisName(p.axisName, "all_to_all")
  checkDim(p.axisSize, "all_to_all: axisSize")
  checkFlag(p.tiled, "all_to_all: tiled")
  checkAxis(p.splitAxis, x!.ndim, `all_to_all: splitAxis (for an operand of shape ${shapeStr(x!.shape)})`)
  checkAxis(p.concatAxis, x!.ndim, `all_to_all: concatAxis (for an operand of shape ${shapeStr(x!.shape)})`)
  return [new ShapedArray(allToAllShape(x!.shape, p, "all_to_all"), x!.dtype, x!.weakType)]
})
allToAllP.axisNames = ({ axisName }) => [axisName]
allToAllP.printParams = (p) => [
  ["axis_name", `'${p.axisName}'`],
  ["concat_axis", String(p.concatAxis)],
  ["split_axis", String(p.splitAxis)],
  ["tiled", p.tiled ? "True" : "False"]
]
allToAllP.axisBatch = ([x], [d], { splitAxis: split, concatAxis: concat, tiled }, n) => {
  // X: [n_i, ...s]. Member j gets, from every member i, block j of its split axis, placed at the
  // concat axis in the order of i.
  const xb = moveBatchAxis(x!, d!, 0, n)
  const s = xb.shape.slice(1)
  if (!tiled) {
    const rest = range(s.length)
      .filter((a) => a !== split)
      .map((a) => a + 1)
    rest.splice(concat, 0, 0)
    return [[transpose(xb, [split + 1, ...rest])], [0]]
  }
  const c = s[split]! / n
  // [n_i, ..., n_j, c, ...]: axis a of s is at a + 1 before the split, a + 2 from it (the block c).
  const xs = reshape(xb, [n, ...s.slice(0, split), n, c, ...s.slice(split + 1)])
  const at = (a: number) => (a < split ? a + 1 : a + 2)
  const perm = [split + 1]
  for (let a = 0; a < s.length; a++) {
    if (a === concat) perm.push(0)
    perm.push(at(a))
  }
  const moved = transpose(xs, perm)
  const out = [n, ...s]
  out[split + 1] = c
  out[concat + 1] = out[concat + 1]! * n
  return [[reshape(moved, out)], [0]]
}
allToAllP.batch = ([x], [d], p, size) => [
  [bind1(allToAllP, [moveBatchAxis(x!, d!, 0, size)], { ...p, splitAxis: p.splitAxis + 1, concatAxis: p.concatAxis + 1 })],
  [0]
]
allToAllP.jvp = ([x], [t], p) => [[bind1(allToAllP, [x!], p)], [bind1(allToAllP, [t!], p)]]
allToAllP.transpose = ([ct], [x], p) => [
  ct instanceof Zero ? new Zero(x!.aval as ShapedArray) : bind1(allToAllP, [ct!], { ...p, splitAxis: p.concatAxis, concatAxis: p.splitAxis })
]

export interface AllToAllOptions {
  /** Keep the rank: split the split axis into n blocks and concatenate blocks along the concat axis (default false). */
  readonly tiled?: boolean
}
const ALL_TO_ALL_KEYS = optionKeys<AllToAllOptions>()("tiled")

/**
 * Split `x` along `splitAxis` into one block per member, send block j to member j, and stack
 * (or, tiled, concatenate) the received blocks along `concatAxis` (JAX's lax.all_to_all).
 *
 * @example
 * vmap((x: Array) => lax.allToAll(x, "i", 0, 0), { axisName: "i" })(np.arange(4).reshape([2, 2])) // the transpose
 */
export const allToAll = (x: Array, axisName: string, splitAxis: number, concatAxis: number, opts: AllToAllOptions = {}): Array => {
  checkOptions("lax.allToAll", opts, ALL_TO_ALL_KEYS)
  const name = singleAxisName(axisName, "lax.allToAll")
  const a = toArray(x, "lax.allToAll")
  const tiled = checkFlag(opts.tiled ?? false, "lax.allToAll: tiled")
  const norm = (v: number, rank: number, what: string) => checkAxis(Number.isInteger(v) && v < 0 ? v + rank : v, rank, `lax.allToAll: ${what}`)
  const split = norm(splitAxis, a.ndim, "splitAxis")
  const concat = norm(concatAxis, a.ndim, "concatAxis")
  return bind1(allToAllP, [a], { axisName: name, splitAxis: split, concatAxis: concat, tiled, axisSize: lookupAxis(name, "lax.allToAll").size })
}

/**
 * Swap the named (mapped) axis with the positional axis `axis` of `x`, whose size must be the
 * axis size: member j gets, from every member i, slice j of i's `axis`, placed at position i
 * (JAX's lax.pswapaxes; an all_to_all whose split and concat axes are both `axis`).
 *
 * @example
 * // member i holds row i of a matrix; afterwards member j holds column j
 * vmap((r: Array) => lax.pswapaxes(r, "i", 0), { axisName: "i" })(np.arange(4).reshape([2, 2])) // the transpose
 */
export const pswapaxes = (x: Array, axisName: string, axis: number): Array => allToAll(x, axisName, axis, axis)

/** Every collective primitive (for the laws and pmap). */
export const collectivePrimitives: ReadonlyArray<Primitive> = [
  psumP,
  pmaxP,
  pminP,
  axisIndexP,
  allGatherP,
  reduceScatterP,
  ppermuteP,
  allToAllP
] as unknown as ReadonlyArray<Primitive>
