/**
 * dot_general. Each operand is viewed, without copying when its layout allows, as a 3-d strided
 * array: lhs as [batch, M, K] and rhs as [batch, K, N] (M, N: the free dimensions, K: the
 * contracted ones, each group flattened). A group can be flattened in place when its dimensions
 * are consecutive in memory in the group's order; otherwise the operand is transposed once.
 * Then, per batch:
 *   - gemm (i-k-j, blocked over k and j): rows of rhs contiguous in N (rhs transposed once if
 *     not), lhs any strides;
 *   - dot rows: each output is one dot product over K (vector dots, matrix-vector, small A @ B^T);
 * float32 accumulates in float64 (products of float32 values are exact in float64) and rounds
 * once; integers wrap (Math.imul). float32 matrix products (N > 1, so not vector dots or
 * matrix-vector products) go to the WebAssembly SIMD kernel instead where it is available
 * (wasm/: about 15x faster), which sums in float32 within chunks of 256 terms. Long float32 dot
 * products (K >= 4096, contiguous rows: vector dots, matrix-vector) go to the blocked Wasm SIMD
 * dot (wasm/vdot.ts: float32 lanes of 16 terms, summed in float64).
 */
import type { AnyTypedArray, DType } from "../../core/dtype.js"
import type { DotParams } from "../../core/primitives/dot.js"
import { compile, jsInt } from "./codegen.js"
import { gatherStrided, transposed } from "./copy.js"
import type { KernelInput } from "../../core/backend.js"
import type { ShapedArray } from "../../core/array.js"
import { bufferOf, inputAt, type Kernel, outAt } from "./kernel.js"
import { alloc, type Shape, stridesOf } from "./layout.js"
import { wasmDot, wasmDotBlocks, wasmDotRows } from "./wasm/index.js"

type GemmFn = (
  c: AnyTypedArray,
  cOff: number,
  a: AnyTypedArray,
  aOff: number,
  aSM: number,
  aSK: number,
  b: AnyTypedArray,
  bOff: number,
  bSK: number,
  m: number,
  n: number,
  k: number
) => void
type DotRowsFn = (
  out: AnyTypedArray,
  oOff: number,
  a: AnyTypedArray,
  aOff: number,
  aSM: number,
  aSK: number,
  b: AnyTypedArray,
  bOff: number,
  bSN: number,
  bSK: number,
  m: number,
  n: number,
  k: number
) => void

const isFloat = (d: DType): boolean => d === "float32" || d === "float64"

/**
 * C[i, j] += sum_k A[i, k] B[k, j]; C is row-major [m, n] at cOff (a float64 accumulator for
 * float32 operands), B's rows are contiguous. Blocks of 256 columns x 128 rows of B stay in cache
 * while every row of A passes over them; k is unrolled by 8 (fewer passes over the row of C).
 */
const gemmSource = (d: DType): string => {
  const U = 8
  const us = Array.from({ length: U }, (_, u) => u)
  const term = (u: number): string => (isFloat(d) ? `a${u} * B[b${u} + j]` : `Math.imul(a${u}, B[b${u} + j])`)
  const accU = isFloat(d) ? `C[c + j] += ${us.map(term).join(" + ")};` : `C[c + j] = (C[c + j] + ${us.map(term).join(" + ")}) | 0;`
  const acc1 = isFloat(d) ? "C[c + j] += a0 * B[b0 + j];" : "C[c + j] = (C[c + j] + Math.imul(a0, B[b0 + j])) | 0;"
  return `return function gemm(C, cOff, A, aOff, aSM, aSK, B, bOff, bSK, M, N, K) {
  const NB = 256, KB = 128;
  for (let j0 = 0; j0 < N; j0 += NB) {
    const j1 = j0 + NB < N ? j0 + NB : N;
    for (let k0 = 0; k0 < K; k0 += KB) {
      const k1 = k0 + KB < K ? k0 + KB : K;
      for (let i = 0; i < M; i++) {
        const c = cOff + i * N;
        const ai = aOff + i * aSM;
        let k = k0;
        for (; k + ${jsInt(U - 1)} < k1; k += ${jsInt(U)}) {
          const p = ai + k * aSK;
          const ${us.map((u) => `a${u} = A[p + ${jsInt(u)} * aSK]`).join(", ")};
          const b0 = bOff + k * bSK${us
            .slice(1)
            .map((u) => `, b${u} = b${u - 1} + bSK`)
            .join("")};
          for (let j = j0; j < j1; j++) ${accU}
        }
        for (; k < k1; k++) {
          const a0 = A[ai + k * aSK];
          const b0 = bOff + k * bSK;
          for (let j = j0; j < j1; j++) ${acc1}
        }
      }
    }
  }
};`
}

/** out[i, j] = sum_k A[i, k] B[k, j] as one dot product per output, four interleaved accumulators. */
const dotRowsSource = (d: DType): string => {
  const f = isFloat(d)
  const add = (s: string, x: string, y: string): string => (f ? `${s} += ${x} * ${y};` : `${s} = (${s} + Math.imul(${x}, ${y})) | 0;`)
  return `return function dotRows(out, oOff, A, aOff, aSM, aSK, B, bOff, bSN, bSK, M, N, K) {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let pa = aOff + i * aSM, pb = bOff + j * bSN;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      if (aSK === 1 && bSK === 1) {
        let k = 0;
        for (; k + 3 < K; k += 4) {
          ${add("s0", "A[pa + k]", "B[pb + k]")}
          ${add("s1", "A[pa + k + 1]", "B[pb + k + 1]")}
          ${add("s2", "A[pa + k + 2]", "B[pb + k + 2]")}
          ${add("s3", "A[pa + k + 3]", "B[pb + k + 3]")}
        }
        for (; k < K; k++) { ${add("s0", "A[pa + k]", "B[pb + k]")} }
      } else {
        for (let k = 0; k < K; k++, pa += aSK, pb += bSK) { ${add("s0", "A[pa]", "B[pb]")} }
      }
      out[oOff + i * N + j] = ${f ? "(s0 + s1) + (s2 + s3)" : "(s0 + s1 + s2 + s3) | 0"};
    }
  }
};`
}

const gemmFns = new Map<DType, GemmFn>()
const dotRowsFns = new Map<DType, DotRowsFn>()
const gemmFn = (d: DType): GemmFn => {
  let f = gemmFns.get(d)
  if (f === undefined) {
    f = compile<GemmFn>(`gemm:${d}`, () => gemmSource(d))
    gemmFns.set(d, f)
  }
  return f
}
const dotRowsFn = (d: DType): DotRowsFn => {
  let f = dotRowsFns.get(d)
  if (f === undefined) {
    f = compile<DotRowsFn>(`dotRows:${d}`, () => dotRowsSource(d))
    dotRowsFns.set(d, f)
  }
  return f
}

const product = (shape: Shape, dims: ReadonlyArray<number>): number => {
  let n = 1
  for (const d of dims) n *= shape[d]!
  return n
}

/**
 * The stride of each flattened group (batch, then the two others) if every group's dimensions
 * (size-1 ones ignored) are consecutive in memory in the group's order; null otherwise.
 */
const groupStrides = (shape: Shape, groups: ReadonlyArray<ReadonlyArray<number>>): number[] | null => {
  const st = stridesOf(shape)
  const out: number[] = []
  for (const g of groups) {
    const dims = g.filter((d) => shape[d] !== 1)
    if (dims.length === 0) {
      out.push(0)
      continue
    }
    for (let i = 0; i + 1 < dims.length; i++) {
      if (st[dims[i]!] !== st[dims[i + 1]!]! * shape[dims[i + 1]!]!) return null
    }
    out.push(st[dims[dims.length - 1]!]!)
  }
  return out
}

/** The operands viewed as [batch, M, K] and [batch, K, N] (each transposed once if its layout needs it). */
interface DotViews {
  readonly d: DType
  readonly A: AnyTypedArray
  readonly B: AnyTypedArray
  readonly as: readonly [number, number, number]
  readonly bs: readonly [number, number, number]
  readonly nb: number
  readonly M: number
  readonly N: number
  readonly K: number
}

const dotViews = (inputs: ReadonlyArray<KernelInput>, params: DotParams, o: ShapedArray): DotViews => {
  const x = inputAt(inputs, 0)
  const y = inputAt(inputs, 1)
  const { contracting, batch } = params.dimensionNumbers
  const [lc, rc] = contracting
  const [lb, rb] = batch
  const d = o.dtype
  const xs = x.aval.shape
  const ys = y.aval.shape
  const lf = xs.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i))
  const rf = ys.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i))
  const nb = product(xs, lb)
  const M = product(xs, lf)
  const K = product(xs, lc)
  const N = product(ys, rf)
  let A = bufferOf(x)
  let B = bufferOf(y)
  let ls = groupStrides(xs, [lb, lf, lc])
  if (ls === null && nb * M * N > 0 && K > 0) {
    A = transposed(d, A, xs, [...lb, ...lf, ...lc])
    ls = [M * K, K, 1]
  }
  let rs = groupStrides(ys, [rb, rc, rf])
  if (rs === null && nb * M * N > 0 && K > 0) {
    B = transposed(d, B, ys, [...rb, ...rc, ...rf])
    rs = [K * N, N, 1]
  }
  return { d, A, B, as: (ls ?? [0, 0, 0]) as [number, number, number], bs: (rs ?? [0, 0, 0]) as [number, number, number], nb, M, N, K }
}

/**
 * The product with its result consumed by `epilogue` instead of returned (jit's epilogue fusion,
 * compile/conv-epilogue.ts): by blocks of rows of the result viewed as [rows, F] (F: the output's
 * last dimension), never materialized, when the float32 Wasm kernel takes it whole (wasm/index.ts
 * `wasmDotBlocks`: the same kernel on the same rows, so the same bits); otherwise the result is
 * computed whole and given to `whole`.
 */
export const dotFused = (
  inputs: ReadonlyArray<KernelInput>,
  params: DotParams,
  o: ShapedArray,
  epilogue: (C: Float32Array, m0: number, m1: number) => void,
  whole: (out: AnyTypedArray) => void
): void => {
  const v = dotViews(inputs, params, o)
  const F = o.shape[o.shape.length - 1] ?? 1
  if (o.dtype === "float32" && o.size > 0 && v.K > 0 && F > 0 && v.N % F === 0) {
    const per = v.N / F
    const sink = (C: Float32Array, r0: number, r1: number): void => epilogue(C, r0 * per, r1 * per)
    if (wasmDotBlocks(v.A, v.as, v.B, v.bs, v.nb, v.M, v.N, v.K, sink)) return
  }
  whole(dotWith(v))
}

const dotGeneral: Kernel = (inputs, params, outs) => {
  const o = outAt(outs)
  return [dotWith(dotViews(inputs, params as DotParams, o))]
}

const dotWith = (v: DotViews): AnyTypedArray => {
  const { d, nb, M, N, K } = v
  const out = alloc(d, nb * M * N)
  if (out.length === 0 || K === 0) return out
  let A = v.A
  let B = v.B
  let [aSB, aSM, aSK] = v.as
  let [bSB, bSK, bSN] = v.bs
  // float32 matrix products: the WebAssembly SIMD kernel, when it takes them (wasm/index.ts)
  if (wasmDot(out, A, [aSB, aSM, aSK], B, [bSB, bSK, bSN], nb, M, N, K)) return out

  // Choose the loop; make an operand contiguous where the chosen loop needs it.
  let kind: "gemm" | "gemmT" | "rows"
  if (N === 1 && M > 1 && aSM === 1 && aSK !== 1)
    kind = "gemmT" // out^T = b^T A^T, rows of A^T contiguous
  else if (bSN === 1 && N > 1) kind = "gemm"
  else if (N === 1 || (bSK === 1 && (M < 8 || N < 8))) {
    // few outputs, each a long dot product: vector dots, matrix-vector, small A @ B^T
    kind = "rows"
    if (aSK !== 1 && M > 1) {
      A = gatherStrided(d, A, 0, [aSB, aSM, aSK], [nb, M, K])
      ;[aSB, aSM, aSK] = [M * K, K, 1]
    }
  } else {
    kind = "gemm"
    B = gatherStrided(d, B, 0, [bSB, bSK, bSN], [nb, K, N])
    ;[bSB, bSK, bSN] = [K * N, N, 1]
  }

  const mn = M * N
  if (kind === "rows") {
    const f = dotRowsFn(d)
    for (let b = 0; b < nb; b++) {
      // long contiguous float32 rows: the blocked Wasm SIMD dot (wasm/vdot.ts), when it takes them
      if (aSK === 1 && bSK === 1 && wasmDotRows(out, b * mn, A, b * aSB, aSM, B, b * bSB, bSN, M, N, K)) continue
      f(out, b * mn, A, b * aSB, aSM, aSK, B, b * bSB, bSN, bSK, M, N, K)
    }
    return out
  }
  const f = gemmFn(d)
  // float32 accumulates in a float64 buffer, rounded into the output once per batch.
  const acc = d === "float32" ? new Float64Array(mn) : null
  for (let b = 0; b < nb; b++) {
    const c = acc ?? out
    const cOff = acc === null ? b * mn : 0
    if (acc !== null && b > 0) acc.fill(0)
    if (kind === "gemm") f(c, cOff, A, b * aSB, aSM, aSK, B, b * bSB, bSK, M, N, K)
    else f(c, cOff, B, b * bSB, 0, bSK, A, b * aSB, aSK, 1, M, K)
    if (acc !== null) out.set(acc, b * mn)
  }
  return out
}

export const dotKernels: Record<string, Kernel> = { dot_general: dotGeneral }
