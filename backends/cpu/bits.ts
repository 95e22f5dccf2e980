/**
 * Kernels of the bit-level primitives (core/primitives/bits.ts): shifts, bitcast_convert_type,
 * erf_inv, threefry2x32 and sort.
 *
 * erf_inv reproduces XLA's evaluation step by step: in float32 every operation is rounded with
 * Math.fround (XLA's float32 ErfInv is Giles' single-precision polynomial in w = -log1p(-x*x));
 * float64 uses Giles' double-precision polynomials. threefry2x32 is Random123's Threefry-2x32 with
 * 20 rounds, in int32 arithmetic (`| 0` wraps like uint32 addition; stores reinterpret).
 */
import type { AnyTypedArray, DType } from "../../core/dtype.js"
import type { BitcastParams, SortParams } from "../../core/primitives/bits.js"
import { binaryKernel, EwKernel } from "./elementwise.js"
import { bufferOf, inputAt, type Kernel, outAt } from "./kernel.js"
import { alloc, broadcastStrides, type Shape, sizeOf, splitAxis } from "./layout.js"

// ---------------------------------------------------------------------------------------------
// Shifts (int32 and uint32 share the code: the typed-array store wraps the result)

const shiftCode: Readonly<Record<string, string>> = {
  shift_left: "((a1 >>> 0) >= 32 ? 0 : (a0 << a1))",
  shift_right_logical: "((a1 >>> 0) >= 32 ? 0 : (a0 >>> a1))",
  shift_right_arithmetic: "((a1 >>> 0) >= 32 ? ((a0 | 0) < 0 ? -1 : 0) : ((a0 | 0) >> a1))"
}

// ---------------------------------------------------------------------------------------------
// bitcast_convert_type: copy the bytes into the new dtype's storage (a copy, not a view: compiled
// programs reuse intermediate buffers, so an output must not alias an input's memory).

const bitcastConvertType: Kernel = (inputs, params, outs) => {
  const x = bufferOf(inputAt(inputs, 0))
  const { newDtype } = params as BitcastParams
  const o = outAt(outs)
  const out = alloc(newDtype, o.size)
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength))
  return [out]
}

// ---------------------------------------------------------------------------------------------
// erf_inv

const f = Math.fround

// Giles, "Approximating the erfinv function" (single precision), as XLA evaluates it: the
// coefficients of the two branches, highest degree first, rounded to float32.
const [L0, L1, L2, L3, L4, L5, L6, L7, L8] = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941
].map(f) as [number, number, number, number, number, number, number, number, number]
const [G0, G1, G2, G3, G4, G5, G6, G7, G8] = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682
].map(f) as [number, number, number, number, number, number, number, number, number]

/**
 * XLA's float32 erf_inv, every intermediate rounded to float32: w = -log1p(-x*x); for w < 5 a
 * degree-8 polynomial in w - 2.5, else in sqrt(w) - 3; times x; +-1 map to +-inf.
 */
export const erfInv32 = (x: number): number => {
  x = f(x)
  if (x === 1 || x === -1) return x * Infinity
  const w = f(-f(Math.log1p(f(-f(x * x)))))
  let p: number
  if (w < 5) {
    const v = f(w - 2.5)
    p = f(L1 + f(L0 * v))
    p = f(L2 + f(p * v))
    p = f(L3 + f(p * v))
    p = f(L4 + f(p * v))
    p = f(L5 + f(p * v))
    p = f(L6 + f(p * v))
    p = f(L7 + f(p * v))
    p = f(L8 + f(p * v))
  } else {
    const v = f(f(Math.sqrt(w)) - 3)
    p = f(G1 + f(G0 * v))
    p = f(G2 + f(p * v))
    p = f(G3 + f(p * v))
    p = f(G4 + f(p * v))
    p = f(G5 + f(p * v))
    p = f(G6 + f(p * v))
    p = f(G7 + f(p * v))
    p = f(G8 + f(p * v))
  }
  return f(p * x)
}

// Giles (double precision), as XLA's ErfInv64.
const D_LT_6_25 = [
  -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18, 1.115787767802518096e-17, -1.333171662854620906e-16,
  2.0972767875968561637e-17, 6.6376381343583238325e-15, -4.0545662729752068639e-14, -8.1519341976054721522e-14, 2.6335093153082322977e-12,
  -1.2975133253453532498e-11, -5.4154120542946279317e-11, 1.051212273321532285e-9, -4.1126339803469836976e-9, -2.9070369957882005086e-8,
  4.2347877827932403518e-7, -1.3654692000834678645e-6, -1.3882523362786468719e-5, 0.0001867342080340571352, -0.00074070253416626697512,
  -0.0060336708714301490533, 0.24015818242558961693, 1.6536545626831027356
]
const D_LT_16 = [
  2.2137376921775787049e-9, 9.0756561938885390979e-8, -2.7517406297064545428e-7, 1.8239629214389227755e-8, 1.5027403968909827627e-6, -4.013867526981545969e-6,
  2.9234449089955446044e-6, 1.2475304481671778723e-5, -4.7318229009055733981e-5, 6.8284851459573175448e-5, 2.4031110387097893999e-5, -0.0003550375203628474796,
  0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066, -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334,
  3.0838856104922207635
]
const D_GE_16 = [
  -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-9, -3.7894654401267369937e-9, 7.6157012080783393804e-9,
  -1.4960026627149240478e-8, 2.9147953450901080826e-8, -6.7711997758452339498e-8, 2.2900482228026654717e-7, -9.9298272942317002539e-7, 4.5260625972231537039e-6,
  -1.9681778105531670567e-5, 7.5995277030017761139e-5, -0.00021503011930044477347, -0.00013871931833623122026, 1.0103004648645343977, 4.8499064014085844221
]

export const erfInv64 = (x: number): number => {
  if (x === 1 || x === -1) return x * Infinity
  let w = -Math.log1p(-x * x)
  let c: ReadonlyArray<number>
  if (w < 6.25) {
    w = w - 3.125
    c = D_LT_6_25
  } else if (w < 16) {
    w = Math.sqrt(w) - 3.25
    c = D_LT_16
  } else {
    w = Math.sqrt(w) - 5
    c = D_GE_16
  }
  let p = c[0]!
  for (let i = 1; i < c.length; i++) p = c[i]! + p * w
  return p * x
}

const erfInv: Kernel = (inputs, _params, outs) => {
  const x = bufferOf(inputAt(inputs, 0))
  const out = alloc(outAt(outs).dtype, x.length)
  const g = out instanceof Float32Array ? erfInv32 : erfInv64
  for (let i = 0; i < x.length; i++) out[i] = g(x[i]!)
  return [out]
}

// ---------------------------------------------------------------------------------------------
// threefry2x32

/** The elements of `x` (shape `inShape`, equal rank or rank 0) broadcast to `outShape`, row-major. */
const broadcastTo = (x: AnyTypedArray, inShape: Shape, outShape: Shape): AnyTypedArray => {
  const n = sizeOf(outShape)
  if (x.length === n) return x
  const out = new Uint32Array(n)
  if (x.length === 1) return out.fill(x[0]!)
  const st = broadcastStrides(inShape, outShape)
  const nd = outShape.length
  const idx = new Int32Array(nd)
  let p = 0
  for (let o = 0; o < n; o++) {
    out[o] = x[p]!
    for (let d = nd - 1; d >= 0; d--) {
      p += st[d]!
      if (++idx[d]! < outShape[d]!) break
      p -= st[d]! * outShape[d]!
      idx[d] = 0
    }
  }
  return out
}

/**
 * Threefry-2x32, 20 rounds, over n elements. An operand of length 1 is read at index 0 (its
 * stride `s` is 0). Outputs go to y0 and y1.
 */
const threefryLoop = (
  K0: AnyTypedArray,
  K1: AnyTypedArray,
  X0: AnyTypedArray,
  X1: AnyTypedArray,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
  y0: Uint32Array,
  y1: Uint32Array,
  n: number
): void => {
  for (let i = 0; i < n; i++) {
    const k0 = K0[i * s0]! | 0
    const k1 = K1[i * s1]! | 0
    const k2 = k0 ^ k1 ^ 0x1bd11bda
    let x0 = (X0[i * s2]! + k0) | 0
    let x1 = (X1[i * s3]! + k1) | 0
    // rounds 1-4: rotations 13, 15, 26, 6
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0
    x0 = (x0 + k1) | 0
    x1 = (x1 + k2 + 1) | 0
    // rounds 5-8: rotations 17, 29, 16, 24
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0
    x0 = (x0 + k2) | 0
    x1 = (x1 + k0 + 2) | 0
    // rounds 9-12
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0
    x0 = (x0 + k0) | 0
    x1 = (x1 + k1 + 3) | 0
    // rounds 13-16
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0
    x0 = (x0 + k1) | 0
    x1 = (x1 + k2 + 4) | 0
    // rounds 17-20
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0
    x0 = (x0 + x1) | 0
    x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0
    x0 = (x0 + k2) | 0
    x1 = (x1 + k0 + 5) | 0
    y0[i] = x0
    y1[i] = x1
  }
}

const threefry2x32: Kernel = (inputs, _params, outs) => {
  const o = outAt(outs)
  const n = o.size
  const y0 = new Uint32Array(n)
  const y1 = new Uint32Array(n)
  if (n === 0) return [y0, y1]
  const xs: AnyTypedArray[] = []
  const ss: number[] = []
  for (let j = 0; j < 4; j++) {
    const x = inputAt(inputs, j)
    const b = bufferOf(x)
    if (b.length === 1) {
      xs.push(b)
      ss.push(0)
    } else {
      xs.push(broadcastTo(b, x.aval.shape, o.shape))
      ss.push(1)
    }
  }
  threefryLoop(xs[0]!, xs[1]!, xs[2]!, xs[3]!, ss[0]!, ss[1]!, ss[2]!, ss[3]!, y0, y1, n)
  return [y0, y1]
}

/** Threefry-2x32 of one (key, counter) pair, for tests and host-side use. */
export const threefry2x32Host = (k0: number, k1: number, x0: number, x1: number): [number, number] => {
  const y0 = new Uint32Array(1)
  const y1 = new Uint32Array(1)
  threefryLoop(Uint32Array.of(k0), Uint32Array.of(k1), Uint32Array.of(x0), Uint32Array.of(x1), 0, 0, 0, 0, y0, y1, 1)
  return [y0[0]!, y1[0]!]
}

// ---------------------------------------------------------------------------------------------
// sort

/** A sort key that orders floats totally: -0 == 0, NaN after +inf (as JAX's sort comparator). */
const floatKey = (v: number): number => (v !== v ? Infinity : v === 0 ? 0 : v)

const sortKernel: Kernel = (inputs, params, outs) => {
  const { dimension, numKeys } = params as SortParams
  const shape = inputAt(inputs, 0).aval.shape
  const [outer, n, inner] = splitAxis(shape, dimension)
  const bufs = inputs.map(bufferOf)
  const results = outs.map((o) => alloc(o.dtype, o.size))
  const floats = inputs.slice(0, numKeys).map((x) => x.aval.dtype === "float32" || x.aval.dtype === "float64")
  const keyVals = floats.map(() => new Float64Array(n))
  const keyNaN = floats.map(() => new Uint8Array(n))
  const perm = new globalThis.Array<number>(n)
  const cmp = (a: number, b: number): number => {
    for (let k = 0; k < numKeys; k++) {
      const na = keyNaN[k]![a]!
      const nb = keyNaN[k]![b]!
      if (na !== nb) return na - nb
      const va = keyVals[k]![a]!
      const vb = keyVals[k]![b]!
      if (va < vb) return -1
      if (va > vb) return 1
    }
    return a - b
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      for (let k = 0; k < numKeys; k++) {
        const src = bufs[k]!
        const vals = keyVals[k]!
        const nan = keyNaN[k]!
        for (let j = 0; j < n; j++) {
          const v = src[base + j * inner]!
          if (floats[k]) {
            nan[j] = v !== v ? 1 : 0
            vals[j] = floatKey(v)
          } else vals[j] = v
        }
      }
      for (let j = 0; j < n; j++) perm[j] = j
      perm.sort(cmp)
      for (let q = 0; q < bufs.length; q++) {
        const src = bufs[q]!
        const dst = results[q]!
        for (let j = 0; j < n; j++) dst[base + j * inner] = src[base + perm[j]! * inner]!
      }
    }
  }
  return results
}

// ---------------------------------------------------------------------------------------------

export const bitsKernels: Record<string, Kernel> = {
  bitcast_convert_type: bitcastConvertType,
  erf_inv: erfInv,
  threefry2x32,
  sort: sortKernel
}
for (const [name, code] of Object.entries(shiftCode)) bitsKernels[name] = binaryKernel(name, (a, b) => code.replace(/a0/g, a).replace(/a1/g, b))
