/**
 * lax's scans and reductions with user functions: `associative_scan` (JAX's parallel prefix
 * algorithm: combine pairs, recurse on half, interleave), the cumulative `cummax`, `cummin` and
 * `cumlogsumexp` built on it (as JAX lowers them on CPU), `map` (a scan without carry, optionally
 * in vmapped batches), and `reduce` with a user reducer (a pairwise tree, as XLA's reduce may
 * associate any way). All are compositions, so every transformation applies.
 */
import { Array } from "../array.js"
import { isComplex, isInexact } from "../dtype.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { eq, max, min, rem, select } from "../primitives/elementwise.js"
import { logaddexp } from "../numpy/math-extra.js"
import { broadcastInDim, concatenate, iota, pad, reshape, rev, slice, transpose } from "../primitives/shape-ops.js"
import { normalizeAxis, showShape } from "../shape.js"
import { flatten, unflatten } from "../tree.js"
import { vmap } from "../transforms/vmap.js"
import { scan } from "./control.js"

const seq = (n: number, from = 0): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i)

const leavesOf = (what: string, x: unknown): [Array[], ReturnType<typeof flatten>[1]] => {
  const [leaves, def] = flatten(x)
  leaves.forEach((l) => {
    if (!(l instanceof Array)) throw new ValueError(`${what}: every leaf must be an Array, got ${typeof l}.`)
  })
  return [leaves as Array[], def]
}

/** Elements [start, stop) with a stride along `axis`. */
const along = (x: Array, axis: number, start: number, stop: number, stride = 1): Array =>
  slice(
    x,
    x.shape.map((_, d) => (d === axis ? start : 0)),
    x.shape.map((s, d) => (d === axis ? Math.max(start, stop) : s)),
    x.shape.map((_, d) => (d === axis ? stride : 1))
  )

/** a[0], b[0], a[1], b[1], ... along `axis` (a has as many elements as b, or one more). */
const interleave = (a: Array, b: Array, axis: number): Array => {
  const same = a.shape[axis] === b.shape[axis]
  const cfgA = a.shape.map((_, d): [number, number, number] => (d === axis ? [0, same ? 1 : 0, 1] : [0, 0, 0]))
  const cfgB = b.shape.map((_, d): [number, number, number] => (d === axis ? [1, same ? 0 : 1, 1] : [0, 0, 0]))
  const zero = constant(0, a.dtype)
  const pa = pad(a, zero, cfgA)
  const pb = pad(b, zero, cfgB)
  // A select (not JAX's add of the padded halves) keeps -0 and needs no bool special case.
  const even = eq(rem(iota("int32", pa.shape, axis), constant(2, "int32", [], true)), constant(0, "int32", [], true))
  return select(even, pa, pb)
}

export interface AssociativeScanOptions {
  /** Scan from the end (default false). */
  readonly reverse?: boolean
  /** The axis to scan along (default 0). */
  readonly axis?: number
}
const ASSOCIATIVE_SCAN_KEYS = optionKeys<AssociativeScanOptions>()("reverse", "axis")

/**
 * `lax.associative_scan(fn, elems, reverse=False, axis=0)`: all prefix combinations
 * `[e0, fn(e0, e1), fn(fn(e0, e1), e2), ...]` of an associative `fn` over an axis, in
 * O(log n) depth. `elems` may be a pytree of Arrays (all with the axis' length); `fn` takes and
 * returns such trees, elementwise over slices.
 *
 * @example
 * lax.associativeScan(lax.add, np.arange(5)) // [0, 1, 3, 6, 10]
 */
export const associativeScan = <T>(fn: (a: T, b: T) => T, elems: T, options?: AssociativeScanOptions): T => {
  checkOptions("lax.associativeScan", options, ASSOCIATIVE_SCAN_KEYS)
  const [leaves, def] = leavesOf("lax.associativeScan", elems)
  if (leaves.length === 0) return elems
  const first = leaves[0]!
  if (first.ndim === 0) throw new ShapeError("lax.associativeScan: the elements need an axis to scan along; got a scalar.")
  const axis = normalizeAxis(options?.axis ?? 0, first.ndim, "lax.associativeScan axis")
  const n = first.shape[axis]!
  leaves.forEach((l) => {
    if (l.ndim <= axis || l.shape[axis] !== n)
      throw new ShapeError(`lax.associativeScan: every leaf needs length ${n} along axis ${axis}, got shape ${showShape(l.shape)}.`)
  })
  const combine = (a: Array[], b: Array[]): Array[] => {
    const [out] = leavesOf("lax.associativeScan", fn(unflatten(def, a) as T, unflatten(def, b) as T))
    if (out.length !== a.length) throw new ValueError("lax.associativeScan: fn must return a tree of the elements' structure.")
    return out
  }
  const run = (xs: Array[]): Array[] => {
    const len = xs[0]!.shape[axis]!
    if (len < 2) return xs
    // Combine adjacent pairs, scan the half, then fill in the even positions.
    const reduced = combine(
      xs.map((x) => along(x, axis, 0, len - 1, 2)),
      xs.map((x) => along(x, axis, 1, len, 2))
    )
    const odd = run(reduced)
    const evenTail =
      len % 2 === 0
        ? combine(
            odd.map((x) => along(x, axis, 0, x.shape[axis]! - 1)),
            xs.map((x) => along(x, axis, 2, len, 2))
          )
        : combine(
            odd,
            xs.map((x) => along(x, axis, 2, len, 2))
          )
    const even = xs.map((x, i) => concatenate([along(x, axis, 0, 1), evenTail[i]!], axis))
    return even.map((e, i) => interleave(e, odd[i]!, axis))
  }
  const reverse = options?.reverse === true
  const input = reverse ? leaves.map((l) => rev(l, [axis])) : leaves
  let out = run(input)
  if (reverse) out = out.map((l) => rev(l, [axis]))
  return unflatten(def, out) as T
}

const cumulative =
  (what: string, f: (a: Array, b: Array) => Array) =>
  (operand: Array, axis = 0, reverse = false): Array => {
    if (operand.ndim === 0) throw new ShapeError(`${what}: the operand needs an axis, got a scalar.`)
    if (what === "lax.cumlogsumexp" && !isInexact(operand.dtype)) throw new ValueError(`${what} takes float or complex operands, got ${operand.dtype}.`)
    const out = associativeScan(f, operand, { axis: normalizeAxis(axis, operand.ndim, `${what} axis`), reverse })
    // JAX's CPU lowering combines every element with the identity -inf, so complex results all have
    // their imaginary part wrapped into [-pi, pi), the first one too: logaddexp(x, -inf) is x wrapped.
    if (what === "lax.cumlogsumexp" && isComplex(operand.dtype)) return logaddexp(out, constant(-Infinity, operand.dtype, []))
    return out
  }

/**
 * `lax.cummax(operand, axis=0, reverse=False)`: running maxima along an axis (NaN propagates).
 *
 * @example
 * lax.cummax(np.array([1, 3, 2, 5])) // [1, 3, 3, 5]
 */
export const cummax: (operand: Array, axis?: number, reverse?: boolean) => Array = cumulative("lax.cummax", max)

/**
 * `lax.cummin(operand, axis=0, reverse=False)`: running minima along an axis.
 *
 * @example
 * lax.cummin(np.array([3, 1, 2]), 0, true) // [1, 1, 2]
 */
export const cummin: (operand: Array, axis?: number, reverse?: boolean) => Array = cumulative("lax.cummin", min)

/**
 * `lax.cumlogsumexp(operand, axis=0, reverse=False)`: running `log(sum(exp(x)))` along an axis,
 * without overflow; complex operands combine with JAX's complex logaddexp (principal branch).
 *
 * @example
 * lax.cumlogsumexp(np.array([0, 0, 0])) // [0, 0.6931, 1.0986]
 */
export const cumlogsumexp: (operand: Array, axis?: number, reverse?: boolean) => Array = cumulative("lax.cumlogsumexp", logaddexp)

export interface MapOptions {
  /** Apply `f` with vmap to batches of this many elements (the rest in a last batch). */
  readonly batchSize?: number
}
const MAP_KEYS = optionKeys<MapOptions>()("batchSize")

/**
 * `lax.map(f, xs, batch_size=None)`: `f` applied to each slice along the leading axis of `xs` (a
 * pytree), sequentially (a scan without carry) or in vmapped batches; the results are stacked.
 *
 * @example
 * lax.map((x: Array) => x.mul(2), np.arange(3)) // [0, 2, 4]
 */
export const map = <X, Y>(f: (x: X) => Y, xs: X, options?: MapOptions): Y => {
  checkOptions("lax.map", options, MAP_KEYS)
  const bs = options?.batchSize
  if (bs === undefined) return scan((c: null, x: X) => [c, f(x)] as const, null, xs)[1]
  if (!Number.isInteger(bs) || bs <= 0) throw new ValueError(`lax.map: batchSize must be a positive integer, got ${bs}.`)
  const [leaves, def] = leavesOf("lax.map", xs)
  if (leaves.length === 0) throw new ValueError("lax.map: xs has no arrays to map over.")
  const n = leaves[0]!.shape[0]!
  const full = Math.floor(n / bs) * bs
  const parts: unknown[] = []
  if (full > 0) {
    const blocks = leaves.map((l) =>
      reshape(
        slice(
          l,
          l.shape.map(() => 0),
          l.shape.map((s, d) => (d === 0 ? full : s))
        ),
        [full / bs, bs, ...l.shape.slice(1)]
      )
    )
    const ys = scan((c: null, x: X) => [c, vmap(f)(x)] as const, null, unflatten(def, blocks) as X)[1]
    const [yl, yd] = leavesOf("lax.map", ys)
    parts.push(
      unflatten(
        yd,
        yl.map((y) => reshape(y, [full, ...y.shape.slice(2)]))
      )
    )
  }
  if (full < n) {
    const rest = leaves.map((l) =>
      slice(
        l,
        l.shape.map((_, d) => (d === 0 ? full : 0)),
        l.shape
      )
    )
    parts.push(vmap(f)(unflatten(def, rest) as X))
  }
  if (parts.length === 1) return parts[0] as Y
  const [a, ad] = leavesOf("lax.map", parts[0])
  const [b] = leavesOf("lax.map", parts[1])
  return unflatten(
    ad,
    a.map((x, i) => concatenate([x, b[i]!], 0))
  ) as Y
}

/**
 * `lax.reduce(operands, init_values, computation, dimensions)`: reduce the given axes with a
 * user reducer `computation(acc, x)` (on trees of arrays like `operands`), starting from
 * `initValues` (scalars). The reducer must be associative and commutative (XLA combines in any
 * order); jaxfx combines pairwise, halving the axis each step.
 *
 * @example
 * lax.reduce(np.array([[1, 5], [7, 2]]), np.array(0), (a: Array, b: Array) => lax.max(a, b), [1]) // [5, 7]
 */
export const reduce = <T>(operands: T, initValues: T, computation: (a: T, b: T) => T, dimensions: ReadonlyArray<number>): T => {
  const [xs, def] = leavesOf("lax.reduce", operands)
  const [inits] = leavesOf("lax.reduce", initValues)
  if (xs.length === 0) throw new ValueError("lax.reduce: no operands.")
  if (inits.length !== xs.length) throw new ValueError(`lax.reduce: ${inits.length} init values for ${xs.length} operands; give one per operand.`)
  const shape = xs[0]!.shape
  xs.forEach((x) => {
    if (x.shape.length !== shape.length || x.shape.some((s, d) => s !== shape[d]))
      throw new ShapeError(`lax.reduce: operands must share a shape, got ${xs.map((y) => showShape(y.shape)).join(", ")}.`)
  })
  inits.forEach((v, i) => {
    if (v.ndim !== 0) throw new ShapeError(`lax.reduce: init value ${i} must be a scalar, got shape ${showShape(v.shape)}.`)
    if (v.dtype !== xs[i]!.dtype) throw new ValueError(`lax.reduce: init value ${i} has dtype ${v.dtype} but its operand ${xs[i]!.dtype}.`)
  })
  const dims = dimensions.map((d) => normalizeAxis(d, shape.length, "lax.reduce dimensions"))
  if (new Set(dims).size !== dims.length) throw new ValueError(`lax.reduce: repeated dimension in ${JSON.stringify(dimensions)}.`)
  const keep = seq(shape.length).filter((d) => !dims.includes(d))
  const outShape = keep.map((d) => shape[d]!)
  const n = dims.reduce((p, d) => p * shape[d]!, 1)
  const combine = (a: Array[], b: Array[]): Array[] => leavesOf("lax.reduce", computation(unflatten(def, a) as T, unflatten(def, b) as T))[0]
  // Reduced axes last, flattened into one, then halved pairwise.
  let cur = xs.map((x) => reshape(transpose(x, [...keep, ...dims]), [...outShape, n]))
  const last = outShape.length
  let len = n
  while (len > 1) {
    const half = Math.floor(len / 2)
    const paired = combine(
      cur.map((x) => along(x, last, 0, 2 * half, 2)),
      cur.map((x) => along(x, last, 1, 2 * half, 2))
    )
    cur = len % 2 === 0 ? paired : paired.map((p, i) => concatenate([p, along(cur[i]!, last, len - 1, len)], last))
    len = half + (len % 2)
  }
  const initB = inits.map((v) => broadcastInDim(v, outShape, []))
  if (len === 0) return unflatten(def, initB) as T
  return unflatten(
    def,
    combine(
      initB,
      cur.map((x) => reshape(x, outShape))
    )
  ) as T
}
