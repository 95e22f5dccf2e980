/**
 * Reductions (reduce_sum/max/min/prod over axes), argmax/argmin and cumulative sums/products.
 *
 * Layout: size-1 dimensions are dropped and neighbouring kept/reduced dimensions merged, which
 * turns most reductions into one of two loops:
 *   rows    [kept, reduced]: each output reduces one contiguous row;
 *   middle  [kept, reduced, kept]: accumulator rows over the inner kept block (cache friendly).
 * Any other pattern is transposed to [kept, reduced] first.
 *
 * Accuracy: float32 sums and products accumulate in doubles and round once (a sum of 1e7 float32
 * values is the float32 rounding of the exact sum to within ~1e-9 relative); float64 sums are
 * pairwise (blocks of 128); integer reductions wrap like int32/uint32 arithmetic.
 */
import type { AnyTypedArray, DType } from "../../core/dtype.js"
import type { ArgParams, AxesParams, CumParams } from "../../core/primitives/reduce.js"
import { compile, jsNumber } from "./codegen.js"
import { transposed } from "./copy.js"
import { bufferOf, inputAt, type Kernel, outAt } from "./kernel.js"
import { alloc, normAxis, splitAxis } from "./layout.js"

export type ReduceOp = "sum" | "prod" | "max" | "min"

const isFloat = (d: DType): boolean => d === "float32" || d === "float64"

/** The identity of each reduction (also the result of reducing an empty axis). */
export const reduceInit = (op: ReduceOp, d: DType): number => {
  switch (op) {
    case "sum":
      return 0
    case "prod":
      return 1
    case "max":
      return isFloat(d) ? -Infinity : d === "int32" ? -2147483648 : 0
    case "min":
      return isFloat(d) ? Infinity : d === "int32" ? 2147483647 : d === "uint32" ? 4294967295 : 1
  }
}

/** `acc` combined with `v`, in the dtype's arithmetic (max/min propagate NaN). */
export const combine = (op: ReduceOp, d: DType, acc: string, v: string): string => {
  switch (op) {
    case "sum":
      return isFloat(d) ? `${acc} + ${v}` : d === "uint32" ? `(${acc} + ${v}) >>> 0` : `(${acc} + ${v}) | 0`
    case "prod":
      return isFloat(d) ? `${acc} * ${v}` : d === "uint32" ? `Math.imul(${acc}, ${v}) >>> 0` : `Math.imul(${acc}, ${v})`
    case "max":
      return isFloat(d) ? `(${v} > ${acc} || ${v} !== ${v} ? ${v} : ${acc})` : `(${v} > ${acc} ? ${v} : ${acc})`
    case "min":
      return isFloat(d) ? `(${v} < ${acc} || ${v} !== ${v} ? ${v} : ${acc})` : `(${v} < ${acc} ? ${v} : ${acc})`
  }
}

type RowsFn = (out: AnyTypedArray, x: AnyTypedArray, nOut: number, r: number) => void
type MiddleFn = (out: AnyTypedArray, x: AnyTypedArray, a: number, r: number, b: number, acc: Float64Array) => void

const rowsSource = (op: ReduceOp, d: DType): string => {
  if (op === "sum" && d === "float64") {
    return `return function reduceRows(out, x, nOut, R) {
  for (let o = 0, base = 0; o < nOut; o++, base += R) out[o] = H.pairwiseSum(x, base, R);
};`
  }
  if (op === "sum" && d === "float32") {
    // four double accumulators: exact enough, and not bound by the latency of one add chain
    return `return function reduceRows(out, x, nOut, R) {
  for (let o = 0, base = 0; o < nOut; o++, base += R) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, r = 0;
    for (; r + 3 < R; r += 4) { s0 += x[base + r]; s1 += x[base + r + 1]; s2 += x[base + r + 2]; s3 += x[base + r + 3]; }
    for (; r < R; r++) s0 += x[base + r];
    out[o] = (s0 + s1) + (s2 + s3);
  }
};`
  }
  return `return function reduceRows(out, x, nOut, R) {
  for (let o = 0, base = 0; o < nOut; o++, base += R) {
    let acc = ${jsNumber(reduceInit(op, d))};
    for (let r = 0; r < R; r++) { const v = x[base + r]; acc = ${combine(op, d, "acc", "v")}; }
    out[o] = acc;
  }
};`
}

const middleSource = (op: ReduceOp, d: DType): string => `return function reduceMiddle(out, x, A, R, B, acc) {
  for (let a = 0; a < A; a++) {
    const base = a * R * B;
    acc.fill(${jsNumber(reduceInit(op, d))});
    for (let r = 0; r < R; r++) {
      const row = base + r * B;
      for (let b = 0; b < B; b++) { const v = x[row + b]; const s = acc[b]; acc[b] = ${combine(op, d, "s", "v")}; }
    }
    for (let b = 0; b < B; b++) out[a * B + b] = acc[b];
  }
};`

const rowsFns = new Map<string, RowsFn>()
const middleFns = new Map<string, MiddleFn>()
const rowsFn = (op: ReduceOp, d: DType): RowsFn => {
  const key = `${op}:${d}`
  let f = rowsFns.get(key)
  if (f === undefined) {
    f = compile<RowsFn>(`reduceRows:${key}`, () => rowsSource(op, d))
    rowsFns.set(key, f)
  }
  return f
}
const middleFn = (op: ReduceOp, d: DType): MiddleFn => {
  const key = `${op}:${d}`
  let f = middleFns.get(key)
  if (f === undefined) {
    f = compile<MiddleFn>(`reduceMiddle:${key}`, () => middleSource(op, d))
    middleFns.set(key, f)
  }
  return f
}

/** Pairwise float64 sum over the [kept, reduced, kept] layout: blocks of 128 rows, halves combined. */
const sumMiddleF64 = (out: Float64Array, x: Float64Array, A: number, R: number, B: number): void => {
  const acc = new Float64Array(B)
  const range = (base: number, r0: number, r1: number, target: Float64Array): void => {
    if (r1 - r0 <= 128) {
      for (let r = r0; r < r1; r++) {
        const row = base + r * B
        for (let b = 0; b < B; b++) target[b]! += x[row + b]!
      }
      return
    }
    const mid = r0 + ((r1 - r0) >> 1)
    range(base, r0, mid, target)
    const tmp = new Float64Array(B)
    range(base, mid, r1, tmp)
    for (let b = 0; b < B; b++) target[b]! += tmp[b]!
  }
  for (let a = 0; a < A; a++) {
    acc.fill(0)
    range(a * R * B, 0, R, acc)
    out.set(acc, a * B)
  }
}

const reduceKernel =
  (op: ReduceOp): Kernel =>
  (inputs, params, outs) => {
    const x = inputAt(inputs, 0)
    const xs = x.aval.shape
    const nd = xs.length
    const xb = bufferOf(x)
    const o = outAt(outs)
    const d = x.aval.dtype
    const reduced = new Array<boolean>(nd).fill(false)
    for (const a of (params as AxesParams).axes) reduced[normAxis(a, nd)] = true
    const out = alloc(o.dtype, o.size)
    if (out.length === 0) return [out]
    if (xb.length === 0) {
      out.fill(reduceInit(op, d))
      return [out]
    }
    // Groups of neighbouring kept (K) / reduced (R) dimensions, size-1 dimensions dropped.
    const kinds: boolean[] = []
    const sizes: number[] = []
    for (let i = 0; i < nd; i++) {
      const n = xs[i]!
      if (n === 1) continue
      const last = kinds.length - 1
      if (last >= 0 && kinds[last] === reduced[i]) sizes[last] = sizes[last]! * n
      else {
        kinds.push(reduced[i]!)
        sizes.push(n)
      }
    }
    if (!kinds.includes(true)) return [xb] // only size-1 axes reduced
    const pattern = kinds.map((r) => (r ? "R" : "K")).join("")
    switch (pattern) {
      case "R":
        rowsFn(op, d)(out, xb, 1, sizes[0]!)
        return [out]
      case "KR":
        rowsFn(op, d)(out, xb, sizes[0]!, sizes[1]!)
        return [out]
      case "RK":
      case "KRK": {
        const A = pattern === "RK" ? 1 : sizes[0]!
        const R = pattern === "RK" ? sizes[0]! : sizes[1]!
        const B = pattern === "RK" ? sizes[1]! : sizes[2]!
        if (op === "sum" && d === "float64") sumMiddleF64(out as Float64Array, xb as Float64Array, A, R, B)
        else middleFn(op, d)(out, xb, A, R, B, new Float64Array(B))
        return [out]
      }
      default: {
        // Move the reduced axes last, then reduce rows.
        const keptAxes: number[] = []
        const redAxes: number[] = []
        let rSize = 1
        for (let i = 0; i < nd; i++) {
          if (reduced[i]) {
            redAxes.push(i)
            rSize *= xs[i]!
          } else keptAxes.push(i)
        }
        const moved = transposed(d, xb, xs, [...keptAxes, ...redAxes])
        rowsFn(op, d)(out, moved, out.length, rSize)
        return [out]
      }
    }
  }

// ---------------------------------------------------------------------------------------------
// argmax / argmin: the first index of the extreme; the first NaN wins (NumPy's rule).

const argKernel =
  (isMax: boolean): Kernel =>
  (inputs, params, outs) => {
    const x = inputAt(inputs, 0)
    const xs = x.aval.shape
    const xb = bufferOf(x)
    const o = outAt(outs)
    const [A, N, B] = splitAxis(xs, normAxis((params as ArgParams).axis, xs.length))
    const out = alloc(o.dtype, A * B)
    for (let a = 0; a < A; a++) {
      const base = a * N * B
      for (let b = 0; b < B; b++) {
        let p = base + b
        let best = xb[p]!
        let bi = 0
        if (best === best) {
          for (let n = 1; n < N; n++) {
            p += B
            const v = xb[p]!
            if (isMax ? v > best : v < best) {
              best = v
              bi = n
            } else if (v !== v) {
              bi = n
              break
            }
          }
        }
        out[a * B + b] = bi
      }
    }
    return [out]
  }

// ---------------------------------------------------------------------------------------------
// cumsum / cumprod along one axis. Floats accumulate in doubles (each output rounded once);
// integers wrap. `exclusive` gives the combination of the elements strictly before (0 or 1 first).

const cumKernel =
  (isProd: boolean): Kernel =>
  (inputs, params, outs) => {
    const x = inputAt(inputs, 0)
    const xs = x.aval.shape
    const xb = bufferOf(x)
    const o = outAt(outs)
    const { axis, reverse, exclusive } = params as CumParams
    const excl = exclusive === true
    const [A, N, B] = splitAxis(xs, normAxis(axis, xs.length))
    const out = alloc(o.dtype, xb.length)
    if (out.length === 0) return [out]
    const intMul = isProd && !isFloat(o.dtype)
    const wrapAdd = !isProd && !isFloat(o.dtype)
    const step = reverse ? -B : B
    for (let a = 0; a < A; a++) {
      const base = a * N * B + (reverse ? (N - 1) * B : 0)
      for (let b = 0; b < B; b++) {
        let p = base + b
        let acc = isProd ? 1 : 0
        for (let n = 0; n < N; n++, p += step) {
          const v = xb[p]!
          if (excl) out[p] = acc
          acc = intMul ? Math.imul(acc, v) : isProd ? acc * v : wrapAdd ? (acc + v) | 0 : acc + v
          if (!excl) out[p] = acc
        }
      }
    }
    return [out]
  }

export const reduceKernels: Record<string, Kernel> = {
  reduce_sum: reduceKernel("sum"),
  reduce_prod: reduceKernel("prod"),
  reduce_max: reduceKernel("max"),
  reduce_min: reduceKernel("min"),
  argmax: argKernel(true),
  argmin: argKernel(false),
  cumsum: cumKernel(false),
  cumprod: cumKernel(true)
}
