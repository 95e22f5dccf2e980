/**
 * Products of `np`: dot, matmul, vdot, inner, outer, tensordot (einsum is in einsum.ts). Every contraction lowers
 * to one `dot_general` (plus structural primitives), so grad, vmap and jit see only primitives.
 * Operands are promoted to one dtype first (int32 with float32 is float32); bool products are
 * computed in int32 and cast back, as a logical "or of ands".
 */
import { Array } from "../array.js"
import { isComplex } from "../dtype.js"
import { ShapeError } from "../errors.js"
import { conj } from "../primitives/complex.js"
import { dotGeneral } from "../primitives/dot.js"
import { mul } from "../primitives/elementwise.js"
import { reshape, slice, transpose } from "../primitives/shape-ops.js"
import { describe, intOrList, showShape } from "../shape.js"
import type { ArrayLike } from "./coerce.js"
import { prepare, seq } from "./operands.js"

const pair = (xs: ReadonlyArray<Array>): readonly [Array, Array] => [xs[0]!, xs[1]!]

const flat = (x: Array): Array => reshape(x, [x.size])

// ---------------------------------------------------------------------------------------------

/**
 * `jnp.dot`: a scalar operand multiplies; 1-D·1-D is the inner product; otherwise the last axis
 * of `a` is contracted with the second-to-last axis of `b` (its only axis when `b` is 1-D).
 * The result has a's other axes followed by b's other axes.
 *
 * @example
 * np.dot(np.array([[1, 2], [3, 4]]), np.array([1, 1])) // Array([3, 7], dtype=int32)
 */
export const dot = (a: ArrayLike, b: ArrayLike): Array => {
  const { arrays, finish } = prepare([a, b])
  const [x, y] = pair(arrays)
  if (x.ndim === 0 || y.ndim === 0) return finish(mul(x, y))
  const xc = x.ndim - 1
  const yc = y.ndim === 1 ? 0 : y.ndim - 2
  if (x.shape[xc] !== y.shape[yc]) {
    throw new ShapeError(
      `dot: shapes ${showShape(x.shape)} and ${showShape(y.shape)} are not aligned: the last axis of the first ` +
        `(size ${x.shape[xc]}) must equal ${y.ndim === 1 ? "the only" : "the second-to-last"} axis of the second ` +
        `(size ${y.shape[yc]}). Transpose or reshape one operand so the contracted sizes match.`
    )
  }
  return finish(dotGeneral(x, y, { contracting: [[xc], [yc]], batch: [[], []] }))
}

/**
 * `jnp.matmul` (the `@` operator): matrix products over the last two axes, broadcasting the
 * leading (batch) axes. A 1-D first operand is treated as a row vector and a 1-D second operand
 * as a column vector; the added axis is removed from the result. Scalars are rejected.
 *
 * @example
 * np.matmul(np.ones([5, 2, 3]), np.ones([3, 4])).shape // [5, 2, 4]
 */
export const matmul = (a: ArrayLike, b: ArrayLike): Array => {
  const { arrays, finish } = prepare([a, b])
  const [x, y] = pair(arrays)
  if (x.ndim === 0 || y.ndim === 0) {
    throw new ShapeError(
      `matmul: operands must have at least one dimension, got shapes ${showShape(x.shape)} and ${showShape(y.shape)}; ` +
        "use np.multiply (or np.dot) to scale by a scalar."
    )
  }
  const xVec = x.ndim === 1
  const yVec = y.ndim === 1
  const k = x.shape[x.ndim - 1]!
  const yk = y.shape[yVec ? 0 : y.ndim - 2]!
  if (k !== yk) {
    throw new ShapeError(
      `matmul: shapes ${showShape(x.shape)} and ${showShape(y.shape)} do not fit: the last axis of the first ` +
        `(size ${k}) must equal ${yVec ? "the only" : "the second-to-last"} axis of the second (size ${yk}). ` +
        "Transpose or reshape one operand so the inner sizes match."
    )
  }
  const xb = xVec ? [] : x.shape.slice(0, -2)
  const yb = yVec ? [] : y.shape.slice(0, -2)
  const nb = Math.max(xb.length, yb.length)
  // Each broadcast batch position becomes a dot_general batch dimension (sizes equal), or a free
  // dimension of the operand that has it (the other lacks it or has size 1, which is squeezed):
  // no operand is materialized at the broadcast shape.
  const xKept: number[] = []
  const yKept: number[] = []
  const xBatch: number[] = []
  const yBatch: number[] = []
  const role: ("batch" | "x" | "y")[] = []
  for (let i = 0; i < nb; i++) {
    const sx = xb[i - (nb - xb.length)]
    const sy = yb[i - (nb - yb.length)]
    if (sx !== undefined && sy !== undefined && sx === sy) {
      xBatch.push(xKept.length)
      xKept.push(sx)
      yBatch.push(yKept.length)
      yKept.push(sy)
      role.push("batch")
    } else if (sx === undefined || (sx === 1 && sy !== undefined)) {
      yKept.push(sy!)
      role.push("y")
    } else if (sy === undefined || sy === 1) {
      xKept.push(sx)
      role.push("x")
    } else {
      throw new ShapeError(
        `matmul: the batch (leading) axes of shapes ${showShape(x.shape)} and ${showShape(y.shape)} cannot be ` +
          `broadcast together (${sx} vs ${sy}); make them equal or 1, e.g. with expandDims or broadcastTo.`
      )
    }
  }
  const m = xVec ? [] : [x.shape[x.ndim - 2]!]
  const n = yVec ? [] : [y.shape[y.ndim - 1]!]
  const x2 = reshape(x, [...xKept, ...m, k])
  const y2 = reshape(y, [...yKept, k, ...n])
  const out = dotGeneral(x2, y2, { contracting: [[x2.ndim - 1], [yKept.length]], batch: [xBatch, yBatch] })
  // dot_general's layout: batch positions, x's free positions, m, y's free positions, n.
  const nBatch = xBatch.length
  const nxFree = xKept.length - nBatch
  const yFreeStart = nBatch + nxFree + m.length
  let bi = 0
  let xi = 0
  let yi = 0
  const perm = role.map((r) => (r === "batch" ? bi++ : r === "x" ? nBatch + xi++ : yFreeStart + yi++))
  if (m.length > 0) perm.push(nBatch + nxFree)
  if (n.length > 0) perm.push(out.ndim - 1)
  return finish(transpose(out, perm))
}

/**
 * `jnp.vdot`: the dot product of the flattened operands, the first one conjugated when complex
 * (as JAX's: vdot(a, b) = sum(conj(a) * b)).
 *
 * @example
 * np.vdot(np.array([[1, 2], [3, 4]]), np.array([[1, 0], [0, 1]])) // Array(5, dtype=int32)
 * np.vdot(np.array([{ re: 1, im: 2 }]), np.array([{ re: 1, im: 2 }])) // Array(5.+0.j, dtype=complex64)
 */
export const vdot = (a: ArrayLike, b: ArrayLike): Array => {
  const { arrays, finish } = prepare([a, b])
  const [x, y] = pair(arrays)
  if (x.size !== y.size) {
    throw new ShapeError(
      `vdot: operands of shapes ${showShape(x.shape)} and ${showShape(y.shape)} have different sizes (${x.size} vs ${y.size}); ` +
        "vdot flattens both, so they need the same number of elements."
    )
  }
  const xc = isComplex(x.dtype) ? conj(x) : x
  return finish(dotGeneral(flat(xc), flat(y), { contracting: [[0], [0]], batch: [[], []] }))
}

/**
 * `jnp.inner`: contracts the last axis of both operands (a scalar operand multiplies). The result
 * has a's other axes followed by b's other axes.
 *
 * @example
 * np.inner(np.array([1, 2, 3]), np.array([4, 5, 6])) // Array(32, dtype=int32)
 */
export const inner = (a: ArrayLike, b: ArrayLike): Array => {
  const { arrays, finish } = prepare([a, b])
  const [x, y] = pair(arrays)
  if (x.ndim === 0 || y.ndim === 0) return finish(mul(x, y))
  if (x.shape[x.ndim - 1] !== y.shape[y.ndim - 1]) {
    throw new ShapeError(
      `inner: the last axes of shapes ${showShape(x.shape)} and ${showShape(y.shape)} differ ` +
        `(${x.shape[x.ndim - 1]} vs ${y.shape[y.ndim - 1]}); inner contracts the last axis of both operands.`
    )
  }
  return finish(dotGeneral(x, y, { contracting: [[x.ndim - 1], [y.ndim - 1]], batch: [[], []] }))
}

/**
 * `jnp.outer`: the outer product of the flattened operands, shape `[a.size, b.size]`.
 *
 * @example
 * np.outer(np.array([1, 2]), np.array([1, 10, 100])) // Array([[  1,  10, 100], [  2,  20, 200]], dtype=int32)
 */
export const outer = (a: ArrayLike, b: ArrayLike): Array => {
  const { arrays, finish } = prepare([a, b])
  const [x, y] = pair(arrays)
  return finish(mul(reshape(x, [x.size, 1]), reshape(y, [1, y.size])))
}

/** The `axes` argument of tensordot: a count, or the paired axis lists (or single axes). */
export type TensordotAxes = number | readonly [number | ReadonlyArray<number>, number | ReadonlyArray<number>]

const axisIn = (what: string, axis: number, shape: ReadonlyArray<number>): number => {
  const r = shape.length
  if (!Number.isInteger(axis) || axis < -r || axis >= r) {
    throw new ShapeError(`${what}: axis ${axis} is out of bounds for shape ${showShape(shape)}; use an axis in [${-r}, ${r - 1}].`)
  }
  return axis < 0 ? axis + r : axis
}

/**
 * `jnp.tensordot`: with a number `n`, contracts the last n axes of `a` with the first n of `b`;
 * with `[aAxes, bAxes]`, contracts those axes pairwise. The result has a's remaining axes followed
 * by b's remaining axes.
 *
 * @example
 * const [a, b] = [np.ones([2, 3]), np.ones([3, 2])]
 * np.tensordot(a, b, 1)            // like np.dot for matrices
 * np.tensordot(a, b, [[0], [1]])   // contract a's axis 0 with b's axis 1
 */
export const tensordot = (a: ArrayLike, b: ArrayLike, axes: TensordotAxes = 2): Array => {
  const { arrays, finish } = prepare([a, b])
  const [x, y] = pair(arrays)
  let xa: number[]
  let ya: number[]
  if (typeof axes === "number") {
    if (!Number.isInteger(axes) || axes < 0 || axes > x.ndim || axes > y.ndim) {
      throw new ShapeError(
        `tensordot: axes=${axes} must be an integer in [0, ${Math.min(x.ndim, y.ndim)}] for shapes ` +
          `${showShape(x.shape)} and ${showShape(y.shape)} (it counts the trailing axes of a paired with the leading axes of b).`
      )
    }
    xa = seq(axes, x.ndim - axes)
    ya = seq(axes)
  } else {
    if (!globalThis.Array.isArray(axes) || axes.length !== 2) {
      throw new ShapeError(`tensordot: axes must be an integer or a pair [axes of a, axes of b], got ${describe(axes)}.`)
    }
    const [p, q] = axes
    xa = intOrList(p, "tensordot: axes of a").map((d) => axisIn("tensordot", d, x.shape))
    ya = intOrList(q, "tensordot: axes of b").map((d) => axisIn("tensordot", d, y.shape))
  }
  if (xa.length !== ya.length) {
    throw new ShapeError(
      `tensordot: ${xa.length} axes of the first operand (shape ${showShape(x.shape)}) are paired with ${ya.length} of the ` +
        `second (shape ${showShape(y.shape)}); give the same number of axes for both.`
    )
  }
  if (new Set(xa).size !== xa.length || new Set(ya).size !== ya.length) {
    throw new ShapeError(`tensordot: an axis is repeated in ${JSON.stringify([xa, ya])}; contract each axis once.`)
  }
  xa.forEach((d, i) => {
    const e = ya[i]!
    if (x.shape[d] !== y.shape[e]) {
      throw new ShapeError(
        `tensordot: axis ${d} of shape ${showShape(x.shape)} (size ${x.shape[d]}) cannot be contracted with axis ${e} ` +
          `of shape ${showShape(y.shape)} (size ${y.shape[e]}); paired axes must have equal sizes.`
      )
    }
  })
  return finish(dotGeneral(x, y, { contracting: [xa, ya], batch: [[], []] }))
}
