/**
 * complex64 and complex128 on the CPU: a program that has complex values is rewritten into a real
 * one in which every complex value is a pair of real values (its real and imaginary parts, of
 * float32 for complex64, float64 for complex128), and every operation on complex values is the
 * real arithmetic that computes the parts (a complex `mul` is four real `mul`s, a `sub` and an
 * `add`). The kernel compiler (compile/) then fuses these like any real program, so under jit a
 * complex value lives in generated code as two locals. The executable splits the interleaved
 * (re, im) input buffers into two real buffers each, and interleaves the parts of the outputs.
 *
 * Primitives with no complex meaning (lt, max, floor, ...) are refused by their shape rules; a
 * primitive the rewrite does not know yet is a DTypeError here that says what to do.
 */
import { Array, ShapedArray } from "../../core/array.js"
import type { DeviceBuffer, Executable, KernelInput } from "../../core/backend.js"
import { isEagerProgram, markEagerProgram } from "../../core/devices/eager.js"
import { type AnyTypedArray, complexPartDType, type DType, isComplex, typedArrayCtor } from "../../core/dtype.js"
import { DTypeError } from "../../core/errors.js"
import { type Atom, ClosedJaxpr, type Eqn, Jaxpr, Lit, Var } from "../../core/ir.js"
import { traceToJaxpr } from "../../core/interpreters/stage.js"
import type { Params } from "../../core/primitive.js"
import { constant } from "../../core/primitives/common.js"
import { dotGeneralP } from "../../core/primitives/dot.js"
import {
  abs as realAbs,
  add,
  and,
  atan2,
  convertElementType,
  cos,
  cosh,
  div,
  eq,
  exp,
  expm1,
  gt,
  log,
  log1p,
  lt,
  max,
  min,
  mul,
  ne,
  neg,
  or,
  select,
  sin,
  sinh,
  sqrt,
  sub
} from "../../core/primitives/elementwise.js"
import { type AxesParams, broadcastInDim, broadcastTo, keptShape, reshape, transpose } from "../../core/primitives/layout.js"
import { type SortParams } from "../../core/primitives/bits.js"
import { type CondParams, scanP, type ScanParams, traceProgram, type WhileParams } from "../../core/primitives/control.js"
import { gather, scatter, type ScatterParams } from "../../core/primitives/indexing.js"
import { type CumParams, reduceMaxP, reduceMinP } from "../../core/primitives/reduce.js"
import { concatenate, slice } from "../../core/primitives/shape-ops.js"
import { associativeScan } from "../../core/lax/scans.js"
import { bind, bind1, currentDynamicMain, Tracer } from "../../core/trace.js"
import { withAxisFrame } from "../../core/parallel/axis-env.js"
import { rewriteFft } from "./fft/pairs.js"

/** A complex value as two real arrays of one shape (or a rank-0 part beside a full one). */
export interface Pair {
  readonly re: Array
  readonly im: Array
}
export type Val = Array | Pair

/**
 * Rewrites of further primitives by name, registered by the modules that define their real
 * lowering (e.g. linalg/eig.ts: eig as eig_parts): the equation and its inputs as values, to the
 * outputs' values.
 */
export const complexRewrites = new Map<string, (e: Eqn, ins: ReadonlyArray<Val>) => ReadonlyArray<Val>>()

const isPair = (v: Val): v is Pair => !(v instanceof Array)

const partAval = (a: ShapedArray): ShapedArray => new ShapedArray(a.shape, complexPartDType(a.dtype), a.weakType)

// ---------------------------------------------------------------------------------------------
// Whether a program needs the rewrite

const usesComplex = new WeakMap<Jaxpr, boolean>()

const paramComplex = (v: unknown): boolean =>
  v instanceof Jaxpr
    ? needsComplex(v)
    : v instanceof ClosedJaxpr
      ? needsComplex(v.jaxpr)
      : v instanceof ShapedArray
        ? isComplex(v.dtype)
        : typeof v === "string"
          ? isComplex(v as DType)
          : globalThis.Array.isArray(v)
            ? v.some(paramComplex)
            : false

/** Whether a program (or one of its sub-programs) has a value or param of a complex dtype. */
export const needsComplex = (j: Jaxpr): boolean => {
  let r = usesComplex.get(j)
  if (r === undefined) {
    const atom = (a: Atom): boolean => isComplex(a.aval.dtype)
    r =
      j.constVars.some(atom) ||
      j.inVars.some(atom) ||
      j.outs.some(atom) ||
      j.eqns.some((e) => e.inputs.some(atom) || e.outVars.some(atom) || Object.values(e.params).some(paramComplex))
    usesComplex.set(j, r)
  }
  return r
}

// ---------------------------------------------------------------------------------------------
// Complex arithmetic on pairs of real arrays (traced: ordinary primitives the compiler fuses)

const c = (like: Array, v: number): Array => constant(v, like.dtype, [], true)

const cmul = (a: Pair, b: Pair): Pair => ({
  re: sub(mul(a.re, b.re), mul(a.im, b.im)),
  im: add(mul(a.re, b.im), mul(a.im, b.re))
})

/** a / b with Smith's scaling (no overflow of |b|^2 for large b). */
const cdiv = (a: Pair, b: Pair): Pair => {
  const bigRe = gt(realAbs(b.re), realAbs(b.im))
  // |br| >= |bi|: r = bi/br, d = br + bi r; else r = br/bi, d = br r + bi.
  const r1 = div(b.im, b.re)
  const d1 = add(b.re, mul(b.im, r1))
  const r2 = div(b.re, b.im)
  const d2 = add(mul(b.re, r2), b.im)
  const re1 = div(add(a.re, mul(a.im, r1)), d1)
  const im1 = div(sub(a.im, mul(a.re, r1)), d1)
  const re2 = div(add(mul(a.re, r2), a.im), d2)
  const im2 = div(sub(mul(a.im, r2), a.re), d2)
  // Division by zero: each part of a divided by +0 (infinities, or NaN for a zero part), as XLA.
  const zero = and(eq(b.re, c(b.re, 0)), eq(b.im, c(b.im, 0)))
  const re0 = div(a.re, b.re)
  const im0 = div(a.im, b.re)
  return {
    re: select(zero, re0, select(bigRe, re1, re2)),
    im: select(zero, im0, select(bigRe, im1, im2))
  }
}

/** |z| without overflow or underflow of the squares (hypot). */
export const cabs = (z: Pair): Array => {
  const a = realAbs(z.re)
  const b = realAbs(z.im)
  const hi = max(a, b)
  const lo = min(a, b)
  const safe = select(eq(hi, c(hi, 0)), c(hi, 1), hi)
  const q = div(lo, safe)
  const r = mul(hi, sqrt(add(c(q, 1), mul(q, q))))
  // inf beats NaN (hypot(inf, nan) = inf), and 0 stays 0.
  const inf = or(eq(a, c(a, Infinity)), eq(b, c(b, Infinity)))
  return select(inf, c(r, Infinity), select(eq(hi, c(hi, 0)), c(hi, 0), r))
}

const cexp = (z: Pair): Pair => {
  const e = exp(z.re)
  // exp(x + 0i) is exactly real (also for x = inf, where inf * sin(0) would be NaN).
  const realOnly = eq(z.im, c(z.im, 0))
  return { re: select(realOnly, e, mul(e, cos(z.im))), im: select(realOnly, z.im, mul(e, sin(z.im))) }
}

const clog = (z: Pair): Pair => ({ re: log(cabs(z)), im: atan2(z.im, z.re) })

/** The principal square root (XLA's formula): t = sqrt((|z| + |re|) / 2). */
const csqrt = (z: Pair): Pair => {
  const t = sqrt(mul(add(cabs(z), realAbs(z.re)), c(z.re, 0.5)))
  const zero = eq(t, c(t, 0))
  const safe = select(zero, c(t, 1), t)
  const half = div(z.im, mul(safe, c(safe, 2)))
  const pos = or(gt(z.re, c(z.re, 0)), eq(z.re, c(z.re, 0)))
  const re = select(pos, t, realAbs(half))
  const imNeg = or(lt(z.im, c(z.im, 0)), and(eq(z.im, c(z.im, 0)), lt(div(c(z.im, 1), z.im), c(z.im, 0))))
  const im = select(pos, half, select(imNeg, neg(t), t))
  return { re: select(zero, c(t, 0), re), im: select(zero, z.im, im) }
}

const csin = (z: Pair): Pair => ({ re: mul(sin(z.re), cosh(z.im)), im: mul(cos(z.re), sinh(z.im)) })
const ccos = (z: Pair): Pair => ({ re: mul(cos(z.re), cosh(z.im)), im: neg(mul(sin(z.re), sinh(z.im))) })
const csinh = (z: Pair): Pair => ({ re: mul(sinh(z.re), cos(z.im)), im: mul(cosh(z.re), sin(z.im)) })
const ccosh = (z: Pair): Pair => ({ re: mul(cosh(z.re), cos(z.im)), im: mul(sinh(z.re), sin(z.im)) })

/** tanh(a + bi) = (sinh 2a + i sin 2b) / (cosh 2a + cos 2b); ±1 + 0i once |a| is large. */
const ctanh = (z: Pair): Pair => {
  const a2 = mul(z.re, c(z.re, 2))
  const b2 = mul(z.im, c(z.im, 2))
  const d = add(cosh(a2), cos(b2))
  const big = gt(realAbs(z.re), c(z.re, z.re.dtype === "float32" ? 20 : 40))
  const one = select(lt(z.re, c(z.re, 0)), c(z.re, -1), c(z.re, 1))
  return {
    re: select(big, one, div(sinh(a2), d)),
    im: select(big, mul(c(z.im, 0), z.im), div(sin(b2), d))
  }
}

/** tan(z) = -i tanh(i z). */
const ctan = (z: Pair): Pair => {
  const t = ctanh({ re: neg(z.im), im: z.re })
  return { re: t.im, im: neg(t.re) }
}

/** exp(z) - 1 without cancellation near 0: expm1(a) cos b - 2 sin^2(b/2) + i e^a sin b. */
const cexpm1 = (z: Pair): Pair => {
  const s = sin(mul(z.im, c(z.im, 0.5)))
  return {
    re: sub(mul(expm1(z.re), cos(z.im)), mul(c(s, 2), mul(s, s))),
    im: mul(exp(z.re), sin(z.im))
  }
}

/** log(1 + z): log|1 + z| = log1p(2a + a^2 + b^2) / 2, arg = atan2(b, 1 + a). */
const clog1p = (z: Pair): Pair => ({
  re: mul(c(z.re, 0.5), log1p(add(mul(z.re, add(z.re, c(z.re, 2))), mul(z.im, z.im)))),
  im: atan2(z.im, add(z.re, c(z.re, 1)))
})

/** z ** w = exp(w log z); 0 ** w is 1 for w = 0, 0 for a real w > 0, NaN otherwise (as XLA). */
const cpow = (z: Pair, w: Pair): Pair => {
  const r = cexp(cmul(w, clog(z)))
  const zZero = and(eq(z.re, c(z.re, 0)), eq(z.im, c(z.im, 0)))
  const wReal = eq(w.im, c(w.im, 0))
  const wZero = and(eq(w.re, c(w.re, 0)), wReal)
  const wPos = and(gt(w.re, c(w.re, 0)), wReal)
  const zeroVal = select(wZero, c(r.re, 1), select(wPos, c(r.re, 0), c(r.re, NaN)))
  return { re: select(zZero, zeroVal, r.re), im: select(zZero, select(wZero, c(r.im, 0), select(wPos, c(r.im, 0), c(r.im, NaN))), r.im) }
}

const cintegerPow = (z: Pair, y: number): Pair => {
  let acc: Pair | undefined
  let base = z
  let n = Math.abs(y)
  while (n > 0) {
    if (n & 1) acc = acc === undefined ? base : cmul(acc, base)
    n = Math.floor(n / 2)
    if (n > 0) base = cmul(base, base)
  }
  const one: Pair = { re: c(z.re, 1), im: c(z.im, 0) }
  const p = acc ?? one
  return y < 0 ? cdiv(one, p) : p
}

const csign = (z: Pair): Pair => {
  const r = cabs(z)
  const zero = eq(r, c(r, 0))
  const safe = select(zero, c(r, 1), r)
  return { re: select(zero, c(r, 0), div(z.re, safe)), im: select(zero, c(r, 0), div(z.im, safe)) }
}

// ---------------------------------------------------------------------------------------------
// Ordering, products and control flow on pairs

/** `a` broadcast to `shape` (a rank-0 value to every dim, an equal-rank one along its size-1 dims). */
const fitTo = (a: Array, shape: ReadonlyArray<number>): Array =>
  a.shape.length === shape.length && a.shape.every((d, i) => d === shape[i])
    ? a
    : broadcastInDim(
        a.ndim === 0
          ? a
          : reshape(
              a,
              a.shape.filter((_, i) => a.shape[i] === shape[i])
            ),
        shape,
        keptDims(a, shape)
      )

/**
 * Elementwise max / min of complex values as XLA computes them (JAX's `_minmax_hlo`): compare the
 * real parts, the imaginary parts where the real parts are equal, and pick `a` where that
 * comparison holds, else `b` (so a NaN comparison picks `b`).
 */
const lexPick = (a: Pair, b: Pair, which: "max" | "min", shape: ReadonlyArray<number>): Pair => {
  const cmp = which === "max" ? gt : lt
  const [ar, ai, br, bi] = [a.re, a.im, b.re, b.im].map((x) => fitTo(x, shape)) as [Array, Array, Array, Array]
  const pickA = select(eq(ar, br), cmp(ai, bi), cmp(ar, br))
  return { re: select(pickA, ar, br), im: select(pickA, ai, bi) }
}

/**
 * The lexicographic max / min over `axes`: the extreme real part, then the extreme imaginary part
 * among the elements that have that real part. An empty reduction gives (-inf or inf) + 0i, as
 * JAX's identity; a NaN real part gives NaN + NaN i (XLA's answer then depends on its reduction
 * order).
 */
const lexReduce = (z: Pair, axes: ReadonlyArray<number>, which: "max" | "min"): Pair => {
  const prim = which === "max" ? reduceMaxP : reduceMinP
  const shape = z.re.shape
  const re = bind1(prim, [z.re], { axes })
  if (axes.some((a) => shape[a] === 0)) return { re, im: full(0, re, re.shape) }
  const kept = broadcastTo(reshape(re, keptShape(shape, axes)), shape)
  const fill = c(z.im, which === "max" ? -Infinity : Infinity)
  const im = bind1(prim, [select(eq(z.re, kept), z.im, broadcastTo(fill, shape))], { axes })
  return { re, im: select(ne(re, re), re, im) }
}

/** pmax / pmin of complex values: the same two steps, each a collective over the named axes. */
const lexCollective = (z: Pair, which: "pmax" | "pmin", f: (x: Array) => Array): Pair => {
  const re = f(z.re)
  const fill = broadcastTo(c(z.im, which === "pmax" ? -Infinity : Infinity), z.im.shape)
  const im = f(select(eq(z.re, re), z.im, fill))
  return { re, im: select(ne(re, re), re, im) }
}

/** sort: each complex operand is two real operands, and a complex key two keys (real, then imaginary), as JAX's comparator. */
const sortPairs = (e: Eqn, ins: ReadonlyArray<Val>): ReadonlyArray<Val> => {
  const p = e.params as SortParams
  const avals = e.inputs.map((a) => a.aval)
  const flat = flatVals(ins, avals)
  const numKeys = avals.slice(0, p.numKeys).reduce((n, a) => n + (isComplex(a.dtype) ? 2 : 1), 0)
  return regroup(bind(e.primitive, flat, { ...p, numKeys }), avals)
}

/** Complex cumulative products: JAX's CPU lowering, an associative scan of complex `mul`. */
const cumprodPairs = (z: Pair, p: CumParams): Pair => {
  const out = associativeScan(cmul, z, { axis: p.axis, reverse: p.reverse })
  if (p.exclusive !== true) return out
  // Shifted by one position, with 1 + 0i entering at the start of the scan.
  const n = z.re.shape[p.axis]!
  const shift = (x: Array, v: number): Array => {
    if (n === 0) return x
    const oneShape = x.shape.map((d, i) => (i === p.axis ? 1 : d))
    const fill = broadcastTo(c(x, v), oneShape)
    const lim = x.shape.slice()
    const start = x.shape.map(() => 0)
    if (p.reverse) {
      start[p.axis] = 1
      return concatenate([slice(x, start, lim), fill], p.axis)
    }
    lim[p.axis] = n - 1
    return concatenate([fill, slice(x, start, lim)], p.axis)
  }
  return { re: shift(out.re, 1), im: shift(out.im, 0) }
}

/** Up to this many factors a complex product is a left fold (as XLA's loop); longer ones a pairwise tree. */
const FOLD_LIMIT = 64

/** The product over `axes` by complex multiplication (no polar form: exact for Gaussian integers). */
const reduceProdPairs = (z: Pair, axes: ReadonlyArray<number>): Pair => {
  const shape = z.re.shape
  const rest = shape.map((_, i) => i).filter((i) => !axes.includes(i))
  const outShape = rest.map((i) => shape[i]!)
  const n = axes.reduce((k, a) => k * shape[a]!, 1)
  const flat = (x: Array) => reshape(transpose(x, [...axes, ...rest]), [n, ...outShape])
  let re = flat(z.re)
  let im = flat(z.im)
  if (n === 0) return { re: full(1, z.re, outShape), im: full(0, z.im, outShape) }
  const row = (x: Array, k: number) => reshape(slice(x, [k, ...outShape.map(() => 0)], [k + 1, ...outShape]), outShape)
  if (n <= FOLD_LIMIT) {
    let acc: Pair = { re: row(re, 0), im: row(im, 0) }
    for (let k = 1; k < n; k++) acc = cmul(acc, { re: row(re, k), im: row(im, k) })
    return acc
  }
  let len = n
  while (len > 1) {
    const half = Math.floor(len / 2)
    const strided = (x: Array, s: number) => slice(x, [s, ...outShape.map(() => 0)], [s + 2 * half - 1, ...outShape], [2, ...outShape.map(() => 1)])
    const prod = cmul({ re: strided(re, 0), im: strided(im, 0) }, { re: strided(re, 1), im: strided(im, 1) })
    const tail = (x: Array) => slice(x, [len - 1, ...outShape.map(() => 0)], [len, ...outShape])
    re = len % 2 === 0 ? prod.re : concatenate([prod.re, tail(re)], 0)
    im = len % 2 === 0 ? prod.im : concatenate([prod.im, tail(im)], 0)
    len = Math.ceil(len / 2)
  }
  return { re: reshape(re, outShape), im: reshape(im, outShape) }
}

/**
 * scatter max / min of complex values: the real parts scatter first; then the imaginary parts of
 * the candidates (the operand and updates whose real part is the result's) scatter with the same
 * mode. Exact for NaN-free values; a NaN real part gives NaN + NaN i.
 */
const scatterExtremePairs = (x: Pair, idx: Array, u: Pair, axis: number, mode: "max" | "min"): Pair => {
  const re = scatter(x.re, idx, u.re, axis, mode)
  const fill = c(x.im, mode === "max" ? -Infinity : Infinity)
  const candX = select(eq(x.re, re), x.im, broadcastTo(fill, x.im.shape))
  const candU = select(eq(u.re, gather(re, idx, axis)), u.im, broadcastTo(fill, u.im.shape))
  const im = scatter(candX, idx, candU, axis, mode)
  return { re, im: select(ne(re, re), re, im) }
}

/**
 * scatter mul of complex values: the updates multiply in, one at a time in index order (a scan
 * over them, as XLA applies a scatter's updates), so repeated indices multiply exactly.
 */
const scatterMulPairs = (x: Pair, idx: Array, u: Pair, axis: number): Pair => {
  const m = idx.size
  if (m === 0) return x
  const xShape = x.re.shape
  const pre = xShape.slice(0, axis)
  const post = xShape.slice(axis + 1)
  const k = idx.ndim
  const xPerm = [axis, ...pre.map((_, i) => i), ...post.map((_, i) => axis + 1 + i)]
  const uPerm = [...idx.shape.map((_, i) => axis + i), ...pre.map((_, i) => i), ...post.map((_, i) => axis + k + i)]
  const rowShape = [...pre, ...post]
  const ux = (a: Array) => reshape(transpose(a, uPerm), [m, ...rowShape])
  const xt = (a: Array) => transpose(a, xPerm)
  const row = new ShapedArray(rowShape, x.re.dtype, false)
  const carry = new ShapedArray(xt(x.re).shape, x.re.dtype, false)
  const body = traceProgram([carry, carry, new ShapedArray([], idx.dtype, false), row, row], ([cr, ci, i, ur, ui]) => {
    const at = reshape(i!, [1])
    const one = (a: Array) => reshape(a, [1, ...rowShape])
    const prod = cmul({ re: gather(cr!, at, 0), im: gather(ci!, at, 0) }, { re: one(ur!), im: one(ui!) })
    return [scatter(cr!, at, prod.re, 0, "set"), scatter(ci!, at, prod.im, 0, "set")]
  })
  const [re, im] = bind(scanP, [...body.consts, xt(x.re), xt(x.im), reshape(idx, [m]), ux(u.re), ux(u.im)], {
    jaxpr: body.jaxpr,
    numConsts: body.consts.length,
    numCarry: 2,
    length: m,
    reverse: false
  })
  const back = xPerm.map((_, i) => xPerm.indexOf(i))
  return { re: transpose(re!, back), im: transpose(im!, back) }
}

/** The values as real arrays: each complex one as its two parts. */
const flatVals = (vals: ReadonlyArray<Val>, avals: ReadonlyArray<ShapedArray>): Array[] =>
  vals.flatMap((v, i) => {
    if (!isComplex(avals[i]!.dtype)) return [v as Array]
    const p = asPair(v, avals[i]!)
    return [p.re, p.im]
  })

/** Real results grouped back into values of `avals` (a complex one from two parts). */
const regroup = (outs: ReadonlyArray<Array>, avals: ReadonlyArray<ShapedArray>): Val[] => {
  let k = 0
  return avals.map((a) => (isComplex(a.dtype) ? { re: outs[k++]!, im: outs[k++]! } : outs[k++]!))
}

const flatCount = (avals: ReadonlyArray<ShapedArray>): number => avals.reduce((n, a) => n + (isComplex(a.dtype) ? 2 : 1), 0)

/**
 * cond, while and scan: their sub-programs are rewritten into real ones (each complex input and
 * output two parts) and the primitive runs on the parts, its const and carry counts counted in
 * parts.
 */
const controlFlow = (e: Eqn, ins: ReadonlyArray<Val>): ReadonlyArray<Val> => {
  const avals = e.inputs.map((a) => a.aval)
  const flat = flatVals(ins, avals)
  const outAvals = e.outVars.map((v) => v.aval)
  const counted = (from: number, n: number) => flatCount(avals.slice(from, from + n))
  let params: Params
  switch (e.primitive.name) {
    case "cond": {
      const p = e.params as CondParams
      let off = 1
      const constCounts = p.constCounts.map((n) => {
        const k = counted(off, n)
        off += n
        return k
      })
      params = { branches: p.branches.map(lowerComplex), constCounts }
      break
    }
    case "while": {
      const p = e.params as WhileParams
      params = {
        condJaxpr: lowerComplex(p.condJaxpr),
        bodyJaxpr: lowerComplex(p.bodyJaxpr),
        condNconsts: counted(0, p.condNconsts),
        bodyNconsts: counted(p.condNconsts, p.bodyNconsts)
      }
      break
    }
    default: {
      const p = e.params as ScanParams
      params = {
        jaxpr: lowerComplex(p.jaxpr),
        numConsts: counted(0, p.numConsts),
        numCarry: counted(p.numConsts, p.numCarry),
        length: p.length,
        reverse: p.reverse
      }
    }
  }
  return regroup(bind(e.primitive, flat, params), outAvals)
}

// ---------------------------------------------------------------------------------------------
// The rewrite of one equation

/** Operations that act on the two parts separately with the same params (shape ops, sums). */
const partwise = new Set([
  "reshape",
  "broadcast_in_dim",
  "transpose",
  "slice",
  "pad",
  "concatenate",
  "rev",
  "squeeze",
  "expand_dims",
  "gather",
  "dynamic_slice",
  "dynamic_update_slice",
  "copy",
  "reduce_sum",
  "cumsum",
  "stop_gradient",
  "neg",
  "add",
  "sub",
  "optimization_barrier",
  "copy_p",
  // Collectives that move or sum values without looking at them.
  "psum",
  "all_gather",
  "reduce_scatter",
  "ppermute",
  "all_to_all"
])

/** The output dims that an operand of equal rank keeps (those not of size 1 where the output is larger). */
const keptDims = (a: Array, shape: ReadonlyArray<number>): number[] => (a.ndim === 0 ? [] : shape.flatMap((d, i) => (a.shape[i] === d ? [i] : [])))

const full = (v: number, like: Array, shape: ReadonlyArray<number>): Array => broadcastInDim(constant(v, like.dtype, [], false), shape, [])

const asPair = (v: Val, aval: ShapedArray): Pair => {
  if (isPair(v)) return v
  // A real value where a complex one is expected (it cannot be: dtypes match): imaginary 0.
  return { re: v, im: full(0, v, aval.shape) }
}

const mapParams = (params: Params): Params => {
  const out: Record<string, unknown> = {}
  for (const [k, p] of Object.entries(params)) {
    out[k] =
      p instanceof ShapedArray ? (isComplex(p.dtype) ? partAval(p) : p) : typeof p === "string" && isComplex(p as DType) ? complexPartDType(p as DType) : p
  }
  return out as Params
}

const unsupported = (name: string): DTypeError =>
  new DTypeError(
    `${name} of complex values is not supported on the CPU yet; compute it on the real and imaginary parts ` +
      "(np.real / np.imag, then lax.complex), or convert to a real dtype first."
  )

const rewriteEqn = (e: Eqn, ins: ReadonlyArray<Val>): ReadonlyArray<Val> => {
  const name = e.primitive.name
  const outAval = e.outVars[0]?.aval
  const pairs = () => ins.map((v, i) => asPair(v, e.inputs[i]!.aval))
  const one = (p: Pair | Array): ReadonlyArray<Val> => [p]
  const extra = complexRewrites.get(name)
  if (extra !== undefined) return extra(e, ins)
  switch (name) {
    case "complex": {
      const [x, y] = ins as Array[]
      // Operands of equal rank broadcast their size-1 dims; a rank-0 one broadcasts to all.
      return one({ re: fitTo(x!, outAval!.shape), im: fitTo(y!, outAval!.shape) })
    }
    case "real":
      return [pairs()[0]!.re]
    case "imag":
      return [pairs()[0]!.im]
    case "conj": {
      const z = pairs()[0]!
      return one({ re: z.re, im: neg(z.im) })
    }
    case "abs":
      return [cabs(pairs()[0]!)]
    case "sign":
      return one(csign(pairs()[0]!))
    case "mul": {
      const [a, b] = pairs()
      return one(cmul(a!, b!))
    }
    case "div": {
      const [a, b] = pairs()
      return one(cdiv(a!, b!))
    }
    case "exp":
      return one(cexp(pairs()[0]!))
    case "log":
      return one(clog(pairs()[0]!))
    case "sqrt":
      return one(csqrt(pairs()[0]!))
    case "rsqrt": {
      const s = csqrt(pairs()[0]!)
      return one(cdiv({ re: c(s.re, 1), im: c(s.im, 0) }, s))
    }
    case "sin":
      return one(csin(pairs()[0]!))
    case "cos":
      return one(ccos(pairs()[0]!))
    case "tan":
      return one(ctan(pairs()[0]!))
    case "sinh":
      return one(csinh(pairs()[0]!))
    case "cosh":
      return one(ccosh(pairs()[0]!))
    case "tanh":
      return one(ctanh(pairs()[0]!))
    case "expm1":
      return one(cexpm1(pairs()[0]!))
    case "log1p":
      return one(clog1p(pairs()[0]!))
    case "pow": {
      const [a, b] = pairs()
      return one(cpow(a!, b!))
    }
    case "integer_pow":
      return one(cintegerPow(pairs()[0]!, (e.params as { y: number }).y))
    case "eq": {
      const [a, b] = pairs()
      return [and(eq(a!.re, b!.re), eq(a!.im, b!.im))]
    }
    case "ne": {
      const [a, b] = pairs()
      return [or(ne(a!.re, b!.re), ne(a!.im, b!.im))]
    }
    case "select_n": {
      const [w, ...cs] = ins
      const ps = cs.map((v, i) => asPair(v, e.inputs[i + 1]!.aval))
      return one({
        re: bind1(e.primitive, [w as Array, ...ps.map((p) => p.re)], e.params),
        im: bind1(e.primitive, [w as Array, ...ps.map((p) => p.im)], e.params)
      })
    }
    case "convert_element_type": {
      const x = ins[0]!
      const to = (e.params as { newDtype: DType }).newDtype
      const weak = (e.params as { weakType: boolean }).weakType
      if (isComplex(to)) {
        const part = complexPartDType(to)
        if (isPair(x)) return one({ re: convertElementType(x.re, part, weak), im: convertElementType(x.im, part, weak) })
        const re = convertElementType(x, part, weak)
        return one({ re, im: full(0, re, re.shape) })
      }
      const z = x as Pair
      // complex -> bool: non-zero; complex -> real: the real part (JAX's ComplexWarning case).
      if (to === "bool") return [or(ne(z.re, c(z.re, 0)), ne(z.im, c(z.im, 0)))]
      return [convertElementType(z.re, to, weak)]
    }
    case "dot_general": {
      const [a, b] = pairs()
      const d = (x: Array, y: Array) => bind1(dotGeneralP, [x, y], e.params as never)
      return one({ re: sub(d(a!.re, b!.re), d(a!.im, b!.im)), im: add(d(a!.re, b!.im), d(a!.im, b!.re)) })
    }
    case "reduce_prod":
      return one(reduceProdPairs(pairs()[0]!, (e.params as AxesParams).axes))
    case "scatter": {
      const { mode, axis } = e.params as ScatterParams
      if (mode === "set" || mode === "add") break
      const [x, idx, u] = ins
      const xp = asPair(x!, e.inputs[0]!.aval)
      const up = asPair(u!, e.inputs[2]!.aval)
      return one(mode === "mul" ? scatterMulPairs(xp, idx as Array, up, axis) : scatterExtremePairs(xp, idx as Array, up, axis, mode))
    }
    case "sort":
      return sortPairs(e, ins)
    case "max":
    case "min": {
      const [a, b] = pairs()
      return one(lexPick(a!, b!, name, outAval!.shape))
    }
    case "reduce_max":
    case "reduce_min":
      return one(lexReduce(pairs()[0]!, (e.params as AxesParams).axes, name === "reduce_max" ? "max" : "min"))
    case "pmax":
    case "pmin": {
      const z = pairs()[0]!
      const p = e.params as { axes: ReadonlyArray<string> }
      return one(lexCollective(z, name, (a) => bind1(e.primitive, [a], p)))
    }
    case "cumprod":
      return one(cumprodPairs(pairs()[0]!, e.params as CumParams))
    case "cond":
    case "while":
    case "scan":
      return controlFlow(e, ins)
    case "fft":
      return rewriteFft(e, ins)
    case "iota": {
      const re = bind1(e.primitive, [], mapParams(e.params))
      return one({ re, im: full(0, re, re.shape) })
    }
    case "jit": {
      const p = e.params as { jaxpr: Jaxpr | ClosedJaxpr }
      const inner = p.jaxpr instanceof ClosedJaxpr ? p.jaxpr.jaxpr : p.jaxpr
      const consts: Val[] = p.jaxpr instanceof ClosedJaxpr ? p.jaxpr.consts.map(constVal) : []
      return evalComplex(inner, [...consts, ...ins])
    }
    default:
      if (!partwise.has(name)) throw unsupported(name)
  }
  // Part-wise: real operands (indices) are shared by both binds.
  const params = mapParams(e.params)
  const part = (which: "re" | "im") => ins.map((v) => (isPair(v) ? v[which] : v))
  const re = bind(e.primitive, part("re"), params)
  const im = bind(e.primitive, part("im"), params)
  return re.map((r, i) => (isComplex(e.outVars[i]!.aval.dtype) ? { re: r, im: im[i]! } : r))
}

/** A closed-over constant of a sub-program: complex ones would need their parts as buffers here. */
const constVal = (x: Array): Val => {
  if (isComplex(x.dtype)) {
    throw new DTypeError("a jit program that closes over complex constants is not supported on the CPU yet; pass them as arguments.")
  }
  return x
}

const readLit = (l: Lit): Val => {
  if (!isComplex(l.aval.dtype)) return constant(l.val, l.aval.dtype, [], l.aval.weakType)
  const part = complexPartDType(l.aval.dtype)
  return { re: constant(l.val, part, [], l.aval.weakType), im: constant(0, part, [], l.aval.weakType) }
}

/** Evaluate a program on pairs: `args` are its constants' then its inputs' values. */
const evalComplex = (j: Jaxpr, args: ReadonlyArray<Val>): Val[] => {
  const env = new Map<Var, Val>()
  const read = (a: Atom): Val => (a instanceof Lit ? readLit(a) : env.get(a)!)
  ;[...j.constVars, ...j.inVars].forEach((v, i) => env.set(v, args[i]!))
  for (const e of j.eqns) {
    const complex =
      e.inputs.some((a) => isComplex(a.aval.dtype)) || e.outVars.some((v) => isComplex(v.aval.dtype)) || Object.values(e.params).some(paramComplex)
    const ins = e.inputs.map(read)
    const outs = complex ? rewriteEqn(e, ins) : bind(e.primitive, ins as Array[], e.params)
    e.outVars.forEach((v, i) => env.set(v, outs[i]!))
  }
  return j.outs.map(read)
}

// ---------------------------------------------------------------------------------------------
// The rewritten program and its executable

const rewritten = new WeakMap<Jaxpr, Jaxpr>()

/** The axis names that the collectives of `j` (and of its sub-programs) name. */
const axisNamesIn = (j: Jaxpr, into: Set<string>, seen: Set<Jaxpr>): Set<string> => {
  if (seen.has(j)) return into
  seen.add(j)
  const visit = (v: unknown): void => {
    if (v instanceof Jaxpr) axisNamesIn(v, into, seen)
    else if (v instanceof ClosedJaxpr) axisNamesIn(v.jaxpr, into, seen)
    else if (globalThis.Array.isArray(v)) v.forEach(visit)
  }
  for (const e of j.eqns) {
    e.primitive.axisNames?.(e.params).forEach((n) => into.add(n))
    Object.values(e.params).forEach(visit)
  }
  return into
}

/**
 * Run `body` (the rewrite, re-binding the program's equations) with the axis names of its
 * collectives bound to the staging trace: a per-device program of pmap is compiled after pmap has
 * returned, and a collective binds only under an axis that some transformation binds. Staging
 * reads no axis size.
 */
const withAxesOf = <A>(j: Jaxpr, args: ReadonlyArray<Array>, body: () => A): A => {
  const names = [...axisNamesIn(j, new Set(), new Set())]
  if (names.length === 0) return body()
  const main = args[0] instanceof Tracer ? args[0].trace.main : currentDynamicMain()!
  const bindFrom = (i: number): A => (i < names.length ? withAxisFrame({ name: names[i]!, size: 0, main }, () => bindFrom(i + 1)) : body())
  return bindFrom(0)
}

/**
 * The real program computing `j` (see the module comment): each complex input and output of `j`
 * (constants, then arguments) is two real ones, its real part then its imaginary part.
 */
export const lowerComplex = (j: Jaxpr): Jaxpr => {
  let w = rewritten.get(j)
  if (w !== undefined) return w
  const vars = [...j.constVars, ...j.inVars]
  const avals = vars.flatMap((v) => (isComplex(v.aval.dtype) ? [partAval(v.aval), partAval(v.aval)] : [v.aval]))
  const [closed] = traceToJaxpr(avals, (args) => {
    let k = 0
    const vals: Val[] = vars.map((v) => (isComplex(v.aval.dtype) ? { re: args[k++]!, im: args[k++]! } : args[k++]!))
    const outs = withAxesOf(j, args, () => evalComplex(j, vals))
    const flat = outs.flatMap((o, i) => (isPair(o) ? [o.re, o.im] : isComplex(j.outs[i]!.aval.dtype) ? [o, full(0, o, o.shape)] : [o]))
    return [flat, undefined]
  })
  if (closed.consts.length > 0) {
    // The rules make only scalar constants (literals): arrays would need device buffers here.
    throw new Error("jaxfx internal: the complex rewrite captured array constants")
  }
  w = new Jaxpr([], closed.jaxpr.inVars, closed.jaxpr.eqns, closed.jaxpr.outs)
  if (isEagerProgram(j)) markEagerProgram(w)
  rewritten.set(j, w)
  return w
}

/**
 * The executable of `j` built by `compile` from its real rewrite, splitting complex inputs into
 * parts and interleaving complex outputs; `compile(j)` itself when `j` has no complex values.
 */
export const compileComplex = (j: Jaxpr, compile: (j: Jaxpr) => Executable): Executable => {
  if (!needsComplex(j)) return compile(j)
  const run = compile(lowerComplex(j))
  const outAvals = j.outs.map((a) => a.aval)
  return (inputs: ReadonlyArray<KernelInput>): ReadonlyArray<DeviceBuffer> => {
    const ins: KernelInput[] = []
    for (const x of inputs) {
      if (!isComplex(x.aval.dtype)) {
        ins.push(x)
        continue
      }
      const b = x.buffer as AnyTypedArray
      const n = x.aval.size
      const Ctor = typedArrayCtor(complexPartDType(x.aval.dtype))
      const re = new Ctor(n)
      const im = new Ctor(n)
      for (let i = 0; i < n; i++) {
        re[i] = b[2 * i]!
        im[i] = b[2 * i + 1]!
      }
      const a = partAval(x.aval)
      ins.push({ buffer: re, aval: a }, { buffer: im, aval: a })
    }
    const outs = run(ins)
    const result: DeviceBuffer[] = []
    let k = 0
    for (const aval of outAvals) {
      if (!isComplex(aval.dtype)) {
        result.push(outs[k++]!)
        continue
      }
      const re = outs[k++] as AnyTypedArray
      const im = outs[k++] as AnyTypedArray
      const n = aval.size
      const out = new (typedArrayCtor(aval.dtype))(2 * n)
      for (let i = 0; i < n; i++) {
        out[2 * i] = re[i]!
        out[2 * i + 1] = im[i]!
      }
      result.push(out)
    }
    return result
  }
}
