/**
 * fft_pairs on the GPU: the real primitive that the complex rewrite (backends/cpu/complex.ts, used
 * by complex.ts here) makes of lax.fft, over interleaved (re, im) float32 pairs. Each transformed
 * axis is a 1-D complex transform over every line along it, in a work buffer of the full complex
 * shape:
 *
 * - a power-of-two length runs as log2(n) Stockham radix-2 passes (one invocation per butterfly,
 *   ping-ponging between two buffers: the autosort form needs no bit reversal);
 * - any other length as Bluestein's chirp-z transform: the line times the chirp w_j = e^(∓iπj²/n),
 *   zero-padded to a power of two m ≥ 2n - 1, convolved with the conjugate chirp by two forward
 *   and one inverse radix-2 transform, times the chirp again. Chirp angles use j² mod 2n (exact in
 *   u32 for the lengths a GPU buffer holds), so they stay accurate for long lines.
 *
 * RFFT transforms the real input as complex (imaginary parts 0) over all axes and keeps the first
 * n/2 + 1 frequencies of the last axis; IRFFT transforms the other axes first, extends the last
 * axis by Hermitian symmetry (X[n-k] = conj X[k]) and keeps the real parts of its inverse, so the
 * imaginary parts of the zero and Nyquist frequencies are ignored, as the CPU's (pocketfft's) c2r.
 * IFFT scales each axis by 1/n.
 */
import type { FftParams } from "../../core/primitives/fft.js"
import { GpuBuffer } from "./buffer.js"
import { MAX_GROUPS, WORKGROUP } from "./codegen.js"
import type { GpuContext, Recording } from "./context.js"
import { Usage } from "./pool.js"
import type { Routine } from "./routine.js"
import { dispatchThreads } from "./threads.js"

const product = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a * b, 1)
const isPow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0
const f32 = (v: number): string => {
  const s = String(Math.fround(v))
  return /[.eE]/.test(s) ? s : `${s}.0`
}

/** A complex buffer of `lines` lines of `n` elements along an axis with `inner` elements after it. */
interface Layout {
  readonly outer: number
  readonly n: number
  readonly inner: number
}

/** WGSL: the word offset of element `e` (u32 expression) of the line of invocation line `l`. */
const at = ({ n, inner }: Layout, l: string, e: string): string => `2u * ((${l} / ${inner}u) * ${n * inner}u + (${l} % ${inner}u) + (${e}) * ${inner}u)`

/** `src` times `scale` into a fresh buffer (nothing recorded for an empty one). */
const scaled = (rec: Recording, src: GpuBuffer, words: number, scale: number): GpuBuffer => {
  const out = rec.ctx.alloc("float32", words)
  dispatchThreads(rec, { name: "fft scale", n: words, inputs: ["float32"], outputs: ["float32"], body: `  out0[g] = in0[g] * ${f32(scale)};` }, [src], [out])
  return out
}

/** The WGSL of a Stockham radix-2 pass in direction `sign`; its sizes come from a parameter buffer (one pipeline for every pass and shape). */
const stockhamSource = (sign: 1 | -1): string =>
  [
    `// fft stockham radix-2 pass (${sign < 0 ? "forward" : "inverse"})`,
    "@group(0) @binding(0) var<storage, read> in0: array<f32>;",
    "@group(0) @binding(1) var<storage, read> prm: array<u32>;",
    "@group(0) @binding(2) var<storage, read_write> out0: array<f32>;",
    `@compute @workgroup_size(${WORKGROUP})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
    `  let g = (wid.x + wid.y * ${MAX_GROUPS}u) * ${WORKGROUP}u + lid;`,
    // prm: invocations, n/2, s, m (len/2), inner, n * inner, len
    "  if (g >= prm[0]) { return; }",
    "  let l = g / prm[1];",
    "  let t = g % prm[1];",
    "  let s = prm[2];",
    "  let p = t / s;",
    "  let q = t % s;",
    "  let inner = prm[4];",
    "  let base = (l / inner) * prm[5] + l % inner;",
    "  let ia = 2u * (base + (q + s * p) * inner);",
    "  let ib = 2u * (base + (q + s * (p + prm[3])) * inner);",
    "  let a = vec2<f32>(in0[ia], in0[ia + 1u]);",
    "  let b = vec2<f32>(in0[ib], in0[ib + 1u]);",
    `  let ang = ${f32(sign * 2 * Math.PI)} * (f32(p) / f32(prm[6]));`,
    "  let w = vec2<f32>(cos(ang), sin(ang));",
    "  let d = a - b;",
    "  let oa = 2u * (base + (q + s * (2u * p)) * inner);",
    "  let ob = oa + 2u * s * inner;",
    "  out0[oa] = a.x + b.x;",
    "  out0[oa + 1u] = a.y + b.y;",
    "  out0[ob] = d.x * w.x - d.y * w.y;",
    "  out0[ob + 1u] = d.x * w.y + d.y * w.x;",
    "}"
  ].join("\n")

/** Parameter buffers of the passes, per device: written once when made, never released (a few words each). */
const paramBuffers = new WeakMap<GpuContext, Map<string, GpuBuffer>>()
const paramsOf = (ctx: GpuContext, words: ReadonlyArray<number>): GpuBuffer => {
  let m = paramBuffers.get(ctx)
  if (m === undefined) paramBuffers.set(ctx, (m = new Map()))
  const key = words.join(",")
  let b = m.get(key)
  if (b === undefined) {
    const data = Uint32Array.from(words)
    const gpu = ctx.device.createBuffer({ size: data.byteLength, usage: Usage.STORAGE | Usage.COPY_DST })
    ctx.device.queue.writeBuffer(gpu, 0, data.buffer, 0, data.byteLength)
    b = new GpuBuffer(gpu, "uint32", data.length, 0)
    m.set(key, b)
  }
  return b
}

/**
 * Radix-2 Stockham transforms of every line of `x` (layout `L`, n a power of two), sign -1 forward,
 * +1 inverse (unscaled). Returns a fresh buffer; `x` is left to the caller.
 */
const stockham = (rec: Recording, x: GpuBuffer, L: Layout, sign: 1 | -1): GpuBuffer => {
  const words = 2 * L.outer * L.n * L.inner
  const lines = L.outer * L.inner
  const count = (lines * L.n) / 2
  const groups = Math.ceil(count / WORKGROUP)
  const source = stockhamSource(sign)
  let src = x
  let owned = false
  for (let len = L.n, s = 1; len > 1; len /= 2, s *= 2) {
    const dst = rec.ctx.alloc("float32", words)
    const prm = paramsOf(rec.ctx, [count, L.n / 2, s, len / 2, L.inner, L.n * L.inner, len])
    rec.dispatch(source, [Math.min(groups, MAX_GROUPS), Math.ceil(groups / MAX_GROUPS)], [src, prm], [dst])
    if (owned) rec.ctx.release(src)
    src = dst
    owned = true
  }
  if (!owned) {
    const c = rec.ctx.alloc("float32", words)
    rec.copy(src, c)
    return c
  }
  return src
}

/** The chirp e^(sign iπ j²/n) of element `j` (WGSL, j a u32 expression). */
const chirp = (n: number, sign: 1 | -1, j: string): string => `chirp(${j}, ${n}u, ${f32((sign * Math.PI) / n)})`
const chirpFn = `fn chirp(j: u32, n: u32, c: f32) -> vec2<f32> {
  let k = ((j % (2u * n)) * (j % (2u * n))) % (2u * n);
  let a = c * f32(k);
  return vec2<f32>(cos(a), sin(a));
}
fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }`

/** Bluestein's transform of every line of `x` (any n), sign -1 forward, +1 inverse (unscaled). */
const bluestein = (rec: Recording, x: GpuBuffer, L: Layout, sign: 1 | -1): GpuBuffer => {
  const { n } = L
  let m = 1
  while (m < 2 * n - 1) m *= 2
  const lines = L.outer * L.inner
  const P: Layout = { outer: lines, n: m, inner: 1 }
  const ctx = rec.ctx
  // a: the lines times the chirp, zero-padded to m (lines contiguous)
  const a = ctx.alloc("float32", 2 * lines * m)
  dispatchThreads(
    rec,
    {
      name: "fft bluestein chirp",
      n: lines * m,
      inputs: ["float32"],
      outputs: ["float32"],
      functions: chirpFn,
      body: `  let l = g / ${m}u;
  let j = g % ${m}u;
  var v = vec2<f32>(0.0, 0.0);
  if (j < ${n}u) {
    let i = ${at(L, "l", "j")};
    v = cmul(vec2<f32>(in0[i], in0[i + 1u]), ${chirp(n, sign, "j")});
  }
  out0[2u * g] = v.x;
  out0[2u * g + 1u] = v.y;`
    },
    [x],
    [a]
  )
  // b: the conjugate chirp at j and m - j (one line, the convolution's kernel)
  const b = ctx.alloc("float32", 2 * m)
  dispatchThreads(
    rec,
    {
      name: "fft bluestein kernel",
      n: m,
      inputs: [],
      outputs: ["float32"],
      functions: chirpFn,
      body: `  var v = vec2<f32>(0.0, 0.0);
  if (g < ${n}u) { v = ${chirp(n, -sign as 1 | -1, "g")}; }
  else if (g > ${m - n}u) { v = ${chirp(n, -sign as 1 | -1, `${m}u - g`)}; }
  out0[2u * g] = v.x;
  out0[2u * g + 1u] = v.y;`
    },
    [],
    [b]
  )
  const fa = stockham(rec, a, P, -1)
  const fb = stockham(rec, b, { outer: 1, n: m, inner: 1 }, -1)
  ctx.release(a)
  ctx.release(b)
  const prod = ctx.alloc("float32", 2 * lines * m)
  dispatchThreads(
    rec,
    {
      name: "fft bluestein product",
      n: lines * m,
      inputs: ["float32", "float32"],
      outputs: ["float32"],
      functions: chirpFn,
      body: `  let j = g % ${m}u;
  let v = cmul(vec2<f32>(in0[2u * g], in0[2u * g + 1u]), vec2<f32>(in1[2u * j], in1[2u * j + 1u]));
  out0[2u * g] = v.x;
  out0[2u * g + 1u] = v.y;`
    },
    [fa, fb],
    [prod]
  )
  ctx.release(fa)
  ctx.release(fb)
  const conv = stockham(rec, prod, P, 1)
  ctx.release(prod)
  const out = ctx.alloc("float32", 2 * lines * n)
  dispatchThreads(
    rec,
    {
      name: "fft bluestein result",
      n: lines * n,
      inputs: ["float32"],
      outputs: ["float32"],
      functions: chirpFn,
      body: `  let l = g / ${n}u;
  let j = g % ${n}u;
  let v = cmul(vec2<f32>(in0[2u * (l * ${m}u + j)], in0[2u * (l * ${m}u + j) + 1u]), ${chirp(n, sign, "j")}) * ${f32(1 / m)};
  let o = ${at(L, "l", "j")};
  out0[o] = v.x;
  out0[o + 1u] = v.y;`
    },
    [conv],
    [out]
  )
  ctx.release(conv)
  return out
}

/** Transform axis `axis` of the complex buffer `x` of complex shape `shape`; a fresh buffer (x is left to the caller). */
const transformAxis = (rec: Recording, x: GpuBuffer, shape: ReadonlyArray<number>, axis: number, sign: 1 | -1): GpuBuffer => {
  const L: Layout = { outer: product(shape.slice(0, axis)), n: shape[axis]!, inner: product(shape.slice(axis + 1)) }
  const words = 2 * product(shape)
  const t = L.n <= 1 || words === 0 ? stockham(rec, x, { ...L, n: 1 }, sign) : isPow2(L.n) ? stockham(rec, x, L, sign) : bluestein(rec, x, L, sign)
  if (sign === -1 || L.n <= 1) return t
  const s = scaled(rec, t, words, 1 / L.n)
  rec.ctx.release(t)
  return s
}

/** Transform axes [from, to) of `x` in turn into a fresh buffer, releasing the intermediates (and `x` when `ownX`). */
const transformAxes = (rec: Recording, x: GpuBuffer, ownX: boolean, shape: ReadonlyArray<number>, from: number, to: number, sign: 1 | -1): GpuBuffer => {
  if (from >= to && !ownX) {
    const c = rec.ctx.alloc("float32", x.size)
    rec.copy(x, c)
    return c
  }
  let cur = x
  let own = ownX
  for (let a = from; a < to; a++) {
    const next = transformAxis(rec, cur, shape, a, sign)
    if (own) rec.ctx.release(cur)
    cur = next
    own = true
  }
  return cur
}

/** The WebGPU routine of fft_pairs (backends/cpu/fft/pairs.ts). */
export const fftPairs: Routine = (rec, [x], params, [out]) => {
  const { fftType, fftLengths } = params as unknown as FftParams
  const ctx = rec.ctx
  const k = fftLengths.length
  const o = ctx.alloc("float32", out!.size)
  if (out!.size === 0) return [o]
  if (fftType === "FFT" || fftType === "IFFT") {
    const shape = x!.aval.shape.slice(0, -1)
    const r = transformAxes(rec, x!.buffer, false, shape, shape.length - k, shape.length, fftType === "FFT" ? -1 : 1)
    rec.copy(r, o)
    ctx.release(r)
    return [o]
  }
  if (fftType === "RFFT") {
    const shape = x!.aval.shape
    const n = fftLengths[k - 1]!
    const h = Math.floor(n / 2) + 1
    const c = ctx.alloc("float32", 2 * x!.aval.size)
    dispatchThreads(
      rec,
      { name: "rfft load", n: x!.aval.size, inputs: ["float32"], outputs: ["float32"], body: "  out0[2u * g] = in0[g];\n  out0[2u * g + 1u] = 0.0;" },
      [x!.buffer],
      [c]
    )
    const r = transformAxes(rec, c, true, shape, shape.length - k, shape.length, -1)
    dispatchThreads(
      rec,
      {
        name: "rfft keep",
        n: out!.size / 2,
        inputs: ["float32"],
        outputs: ["float32"],
        body: `  let i = 2u * ((g / ${h}u) * ${n}u + g % ${h}u);\n  out0[2u * g] = in0[i];\n  out0[2u * g + 1u] = in0[i + 1u];`
      },
      [r],
      [o]
    )
    ctx.release(r)
    return [o]
  }
  // IRFFT: x is the half spectrum [..., h, 2]; the output's shape is the full real one
  const full = out!.shape
  const n = fftLengths[k - 1]!
  const half = x!.aval.shape.slice(0, -1)
  const h = half[half.length - 1]!
  const lead = transformAxes(rec, x!.buffer, false, half, half.length - k, half.length - 1, 1)
  const ext = ctx.alloc("float32", 2 * out!.size)
  dispatchThreads(
    rec,
    {
      name: "irfft hermitian extension",
      n: out!.size,
      inputs: ["float32"],
      outputs: ["float32"],
      body: `  let l = g / ${n}u;
  let j = g % ${n}u;
  var v = vec2<f32>(0.0, 0.0);
  if (j < ${h}u) { let i = 2u * (l * ${h}u + j); v = vec2<f32>(in0[i], in0[i + 1u]); }
  else if (${n}u - j < ${h}u) { let i = 2u * (l * ${h}u + ${n}u - j); v = vec2<f32>(in0[i], -in0[i + 1u]); }
  out0[2u * g] = v.x;
  out0[2u * g + 1u] = v.y;`
    },
    [lead],
    [ext]
  )
  ctx.release(lead)
  const r = transformAxis(rec, ext, full, full.length - 1, 1)
  ctx.release(ext)
  dispatchThreads(rec, { name: "irfft real part", n: out!.size, inputs: ["float32"], outputs: ["float32"], body: "  out0[g] = in0[2u * g];" }, [r], [o])
  ctx.release(r)
  return [o]
}
