/**
 * gather and scatter along one axis with an integer index array (np.take semantics):
 *   gather(x, idx)[..., j..., ...] = x[..., idx[j...], ...]
 *   out shape = x.shape[:axis] + idx.shape + x.shape[axis+1:]
 * Every NumPy index expression (ints, slices with steps, index arrays, `.at[...]`) lowers to
 * these plus the structural primitives. Out-of-range indices are clamped when reading and dropped
 * when writing, as in JAX; negative indices are normalized by the caller.
 */
import { type Array, ShapedArray } from "../array.js"
import { isInt } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { definePrimitive, UndefPrimal, Zero } from "../primitive.js"
import { checkAxis, describe, normalizeAxis, shapeEqual, showShape } from "../shape.js"
import { bind1 } from "../trace.js"
import { constant, constLike, instantiate } from "./common.js"
import { add, and, convertElementType, div, eq, ge, lt, max, min, mul, select } from "./elementwise.js"
import { iota, reshape, transpose } from "./shape-ops.js"
import { batchFirst, moveBatchAxis } from "./layout.js"
import { defJvp } from "./rules.js"

export interface GatherParams {
  readonly axis: number
  readonly [k: string]: unknown
}

const gatheredShape = (x: ShapedArray, idx: ShapedArray, axis: number): number[] => [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)]

const checkIndex = (name: string, idx: ShapedArray): void => {
  if (!isInt(idx.dtype)) throw new DTypeError(`${name} needs integer indices, got ${idx.dtype}; cast with astype("int32").`)
}

export const gatherP = definePrimitive<GatherParams>("gather", ([x, idx], { axis }) => {
  checkIndex("gather", idx!)
  checkAxis(axis, x!.ndim, "gather: axis")
  if (x!.shape[axis] === 0) throw new ShapeError(`cannot index into a zero-size axis ${axis} of shape ${showShape(x!.shape)}`)
  return [new ShapedArray(gatheredShape(x!, idx!, axis), x!.dtype, x!.weakType)]
})
gatherP.printParams = (p) => [
  ["axis", String(p.axis)],
  ["mode", "clip"]
]
export const gather = (x: Array, idx: Array, axis: number): Array => bind1(gatherP, [x, idx], { axis: normalizeAxis(axis, x.ndim, "gather: axis") })
// Linear in x; the indices carry no derivative.
defJvp(gatherP, (t, [, idx], _out, p) => bind1(gatherP, [t, idx!], p), null)
gatherP.transpose = ([ct], [x, idx], { axis }) => {
  if (!(x instanceof UndefPrimal)) return [null, null]
  if (ct instanceof Zero) return [new Zero(x.aval), null]
  const zeros = constant(0, x.aval.dtype, x.aval.shape)
  // gather clamps out-of-range indices, so their cotangent belongs to the clamped position.
  return [scatter(zeros, clampIndex(idx as Array, x.aval.shape[axis]!), ct!, axis, "add"), null]
}

/** Indices clamped to [0, n - 1], as gather reads them. */
const clampIndex = (idx: Array, n: number): Array => max(min(idx, constLike(idx, n - 1)), constLike(idx, 0))

/** Where an index addresses an element (scatter drops the others). */
const inRange = (idx: Array, n: number): Array => and(ge(idx, constLike(idx, 0)), lt(idx, constLike(idx, n)))

// ---------------------------------------------------------------------------------------------

export type ScatterMode = "set" | "add" | "mul" | "min" | "max"
export interface ScatterParams {
  readonly axis: number
  readonly mode: ScatterMode
  readonly [k: string]: unknown
}

const scatterModes: ReadonlyArray<unknown> = ["set", "add", "mul", "min", "max"]
export const scatterP = definePrimitive<ScatterParams>("scatter", ([x, idx, u], { axis, mode }) => {
  checkIndex("scatter", idx!)
  checkAxis(axis, x!.ndim, "scatter: axis")
  if (!scatterModes.includes(mode)) throw new ValueError(`scatter: mode must be one of "set", "add", "mul", "min", "max", got ${describe(mode)}.`)
  const expected = gatheredShape(x!, idx!, axis)
  if (!shapeEqual(expected, u!.shape)) {
    throw new ShapeError(`scatter: updates of shape ${showShape(u!.shape)} do not fit the indexed shape ${showShape(expected)}`)
  }
  if (u!.dtype !== x!.dtype) throw new DTypeError(`scatter: updates dtype ${u!.dtype} differs from the operand's ${x!.dtype}`)
  if (mode !== "set" && x!.dtype === "bool" && (mode === "add" || mode === "mul")) {
    throw new DTypeError(`scatter ${mode} does not take bool operands`)
  }
  return [x!]
})
scatterP.printParams = (p) => [
  ["axis", String(p.axis)],
  ["mode", p.mode]
]
export const scatter = (x: Array, idx: Array, updates: Array, axis: number, mode: ScatterMode): Array =>
  bind1(scatterP, [x, idx, updates], { axis: normalizeAxis(axis, x.ndim, "scatter: axis"), mode })

scatterP.jvp = ([x, idx, u], [tx, , tu], p) => {
  const out = bind1(scatterP, [x!, idx!, u!], p)
  const { axis } = p
  switch (p.mode) {
    case "add":
    case "set":
      return [[out], [bind1(scatterP, [tx!, idx!, tu!], p)]]
    case "mul": {
      // d out = tx * (the position's factors) + x * d(their product). Along factor k, the product
      // of the position's other factors: its nonzero factors' product over u_k (u_k nonzero, no
      // zero among them), that product (u_k the only zero), else 0. Repeated indices included
      // (JAX refuses them); with unique indices it is exactly tu.
      const fromX = bind1(scatterP, [tx!, idx!, u!], p)
      const xAt = gather(x!, idx!, axis)
      const zeros = constant(0, tx!.dtype, tx!.shape)
      const isZero = eq(u!, constLike(u!, 0))
      const nonzero = select(isZero, constLike(u!, 1), u!)
      const prodAt = gather(scatter(constant(1, tx!.dtype, tx!.shape), idx!, nonzero, axis, "mul"), idx!, axis)
      const zerosAt = gather(scatter(zeros, idx!, convertElementType(isZero, tx!.dtype), axis, "add"), idx!, axis)
      const none = constLike(prodAt, 0)
      const others = select(isZero, select(eq(zerosAt, constLike(zerosAt, 1)), prodAt, none), select(eq(zerosAt, none), div(prodAt, nonzero), none))
      const fromU = scatter(zeros, idx!, mul(mul(xAt, others), tu!), axis, "add")
      return [[out], [add(fromX, fromU)]]
    }
    case "min":
    case "max": {
      // The tangent comes from whichever inputs attain the result, averaged over ties.
      // Zeros that do not depend on the tangents: the tie count divides, so it must be primal-only.
      const zerosX = constant(0, tx!.dtype, tx!.shape)
      const outAt = gather(out, idx!, axis)
      const uWins = eq(u!, outAt)
      const xWins = eq(x!, out)
      const f = (b: Array) => convertElementType(b, tx!.dtype)
      const zu = constLike(tu!, 0)
      const num = add(scatter(zerosX, idx!, select(uWins, tu!, zu), axis, "add"), select(xWins, tx!, constLike(tx!, 0)))
      const cnt = add(scatter(zerosX, idx!, f(uWins), axis, "add"), f(xWins))
      return [[out], [div(num, cnt)]]
    }
  }
}
scatterP.transpose = ([ct], [x, idx, u], { axis, mode }) => {
  const i = idx as Array
  if (ct instanceof Zero) {
    return [x instanceof UndefPrimal ? new Zero(x.aval) : null, null, u instanceof UndefPrimal ? new Zero(u.aval) : null]
  }
  if (mode === "mul") {
    // Linear in the operand when the updates are known: each element is scaled by its factors.
    // Internal invariants (plain Errors): linearity analysis never asks for these transposes.
    if (u instanceof UndefPrimal || !(x instanceof UndefPrimal)) throw new Error("scatter mul is linear only in its operand")
    return [scatter(ct!, i, u!, axis, "mul"), null, null]
  }
  if (mode !== "add" && mode !== "set") throw new Error(`scatter ${mode} is not linear`)
  let ctX: Array | null = null
  if (x instanceof UndefPrimal) {
    ctX = mode === "add" ? ct! : scatter(ct!, i, instantiate(new Zero(u!.aval)), axis, "set")
  }
  let ctU: Array | null = null
  if (u instanceof UndefPrimal) {
    // Dropped (out-of-range) updates get no cotangent. With repeated indices under "set", every
    // duplicate receives the cotangent (np's .at[].set resolves duplicates before scattering).
    const n = x!.aval.shape[axis]!
    const g = gather(ct!, clampIndex(i, n), axis)
    const mask = reshape(inRange(i, n), [
      ...new globalThis.Array<number>(axis).fill(1),
      ...i.shape,
      ...new globalThis.Array<number>(g.ndim - axis - i.ndim).fill(1)
    ])
    ctU = select(mask, g, constLike(g, 0))
  }
  return [ctX, null, ctU]
}

// ---------------------------------------------------------------------------------------------
// Batching. With a batched operand and batched indices, each example indexes its own slice: the
// batch and indexed axes are flattened together and the indices offset by example * n.

const range = (a: number, b: number): number[] => globalThis.Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i)

/** Per-example flat indices into [B * n], with `outside` for indices out of [0, n). */
const flatIndices = (idx: Array, n: number, size: number, clampOrDrop: "clamp" | "drop"): Array => {
  const i32 = convertElementType(idx, "int32")
  const offsets = mul(iota("int32", i32.shape, 0), constLike(i32, n))
  if (clampOrDrop === "clamp") return add(clampIndex(i32, n), offsets)
  return select(inRange(i32, n), add(i32, offsets), constLike(i32, size * n))
}

gatherP.batch = ([x, idx], [dx, di], { axis }, size) => {
  if (di === null) return [[gather(batchFirst(x!, dx!), idx!, axis + 1)], [0]]
  if (dx === null) return [[gather(x!, idx!, axis)], [axis + di!]]
  const xb = batchFirst(x!, dx!)
  const ib = batchFirst(idx!, di!)
  const n = xb.shape[axis + 1]!
  const post = range(axis + 2, xb.ndim)
  const xt = transpose(xb, [0, axis + 1, ...range(1, axis + 1), ...post])
  const flat = reshape(xt, [size * n, ...xt.shape.slice(2)])
  const g = gather(flat, flatIndices(ib, n, size, "clamp"), 0)
  const nI = ib.ndim - 1
  return [[transpose(g, [0, ...range(1 + nI, 1 + nI + axis), ...range(1, 1 + nI), ...range(1 + nI + axis, g.ndim)])], [0]]
}

scatterP.batch = ([x, idx, u], [dx = null, di = null, du = null], { axis, mode }, size) => {
  if (di === null && du !== null && dx !== null) {
    // Same indices for every example: scatter along axis + 1 of the batched operand.
    const xb = batchFirst(x!, dx)
    const ub = batchFirst(u!, du)
    return [[scatter(xb, idx!, ub, axis + 1, mode)], [0]]
  }
  const xb = moveBatchAxis(x!, dx!, 0, size)
  const ib = moveBatchAxis(idx!, di!, 0, size)
  const ub = moveBatchAxis(u!, du!, 0, size)
  const n = xb.shape[axis + 1]!
  const nI = ib.ndim - 1
  const post = range(axis + 2, xb.ndim)
  const xt = transpose(xb, [0, axis + 1, ...range(1, axis + 1), ...post])
  const flat = reshape(xt, [size * n, ...xt.shape.slice(2)])
  // updates [B, pre..., I..., post...] -> [B, I..., pre..., post...]
  const ut = transpose(ub, [0, ...range(1 + axis, 1 + axis + nI), ...range(1, 1 + axis), ...range(1 + axis + nI, ub.ndim)])
  const out = scatter(flat, flatIndices(ib, n, size, "drop"), ut, 0, mode)
  const back = reshape(out, xt.shape)
  // [B, n, pre..., post...] -> [B, pre..., n, post...]
  return [[transpose(back, [0, ...range(2, 2 + axis), 1, ...range(2 + axis, back.ndim)])], [0]]
}
