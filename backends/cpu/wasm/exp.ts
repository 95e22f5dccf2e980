/**
 * float32 exp in WebAssembly SIMD, equal bit for bit to the JS kernels' `Math.fround(Math.exp(x))`
 * (backends/cpu/elementwise.ts eagerly, compile/fastmath.ts in fused kernels), so an eager exp run
 * here equals the same exp fused in a jit kernel.
 *
 * The approximation, in float64 (two lanes per instruction):
 *   k = nearest(x / ln2) (by adding and subtracting 1.5 * 2^52), r = (x - k L1) - k L2 with
 *   L1 = ln2 rounded to 32 significant bits (k L1 and x - k L1 are exact) and L2 = ln2 - L1, so
 *   |r| <= ln2 / 2; exp(r) by its Taylor polynomial of degree 11 (Horner; truncation error below
 *   (ln2/2)^12 / 12! < 7e-15 relative) and 2^k built in the exponent bits of the sum above.
 * The float64 value y is within a relative 1e-14 of exp(x). It is rounded to float32 only when
 * y (1 - 1e-12) and y (1 + 1e-12) round to the same float32: both the exact exp(x) and Math.exp(x)
 * (within 1 ulp of float64 of it) lie in that interval, and rounding is monotonic, so the result
 * is Math.fround(Math.exp(x)) (and within 1 ulp of the correctly rounded float32, since
 * Math.exp is). Lanes where the test fails (x within about 1e-12 of a float32 rounding boundary of
 * its exp: about 3 inputs in 10^5), and lanes with x outside (-104, 88.5) (overflow to infinity,
 * underflow to 0, NaN), are listed by index for the caller to compute with Math.exp.
 */
import { Code, type FuncDef, Locals, ValType } from "./encoder.js"

const { i32, v128 } = ValType

/**
 * The functions built on the approximation, each equal to the JS kernels' float32 result
 * (`JS_FORMULA`): exp; expm1 (for |x| < 0.3466 its own Taylor polynomial x + x^2 (1/2! + ... +
 * x^9/11!), truncation below 2e-14 of |expm1 x|; elsewhere exp(x) - 1, whose relative error
 * is at most 7e-15 exp(x) / |exp(x) - 1| < 3e-14 there); logistic 1 / (1 + exp(-x)); tanh
 * t / (t + 2) with t = expm1(2x). Each float64 value is within a relative 1e-13 of the exact
 * function, so the same rounding test proves it equals the float32 rounding of the JS formula.
 * Arguments of exp outside (LOW, HIGH), and x = ±0 for expm1 and tanh (whose sign the
 * polynomial loses), are left to the caller.
 */
export type ExpVariant = "exp" | "expm1" | "logistic" | "tanh"
export const EXP_VARIANTS: ReadonlyArray<ExpVariant> = ["exp", "expm1", "logistic", "tanh"]
/** What the JS kernels compute (before rounding to float32) for each variant. */
export const JS_FORMULA: Readonly<Record<ExpVariant, (x: number) => number>> = {
  exp: Math.exp,
  expm1: Math.expm1,
  logistic: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh
}

/** Inputs outside (LOW, HIGH) are left to the caller. */
export const LOW = -104
export const HIGH = 88.5

const f64Bytes = (v: number): number[] => Array.from(new Uint8Array(new Float64Array([v, v]).buffer))
const f32Bytes = (v: number): number[] => Array.from(new Uint8Array(new Float32Array([v, v, v, v]).buffer))
const i64Bytes = (hi: number): number[] => Array.from(new Uint8Array(new Uint32Array([0, hi, 0, hi]).buffer))

const L1 = (() => {
  const e = Math.floor(Math.log2(Math.LN2))
  const scale = Math.pow(2, 31 - e)
  return Math.round(Math.LN2 * scale) / scale
})()
const L2 = Math.LN2 - L1
/** 1.5 * 2^52: adding it rounds a double of magnitude < 2^51 to an integer (ties to even). */
const SHIFT = 6755399441055744
/** 1/11!, 1/10!, ..., 1/1!, 1/0!: the Taylor coefficients, highest degree first. */
const TAYLOR = (() => {
  const c: number[] = []
  let f = 1
  for (let n = 0; n <= 11; n++) {
    if (n > 0) f *= n
    c.push(1 / f)
  }
  return c.reverse()
})()

/** 1/11!, 1/10!, ..., 1/2!: expm1's Taylor tail (times x^2), highest degree first. */
const EXPM1_TAIL = TAYLOR.slice(0, TAYLOR.length - 2)
/** expm1 uses its Taylor polynomial where |x| < SMALL. */
const SMALL = 0.3466

/**
 * exp(inP, outP, listP, n) -> count: out[i] = float32 exp(in[i]) for i < n rounded up to 16
 * (float32 at byte addresses inP, outP); the indices i of lanes left to the caller go to listP
 * (int32 each, at most n rounded up to 16 of them), and their count is returned.
 */
export const expFunc = (name: ExpVariant, inP: number, outP: number, listP: number): FuncDef => {
  const v = name
  const params = [i32] // n
  const L = new Locals(params)
  const off = L.add(i32)
  const end = L.add(i32)
  const cnt = L.add(i32)
  const bits = L.add(i32)
  const k = {
    low: L.add(v128),
    high: L.add(v128),
    inv: L.add(v128),
    shift: L.add(v128),
    l1: L.add(v128),
    l2: L.add(v128),
    bias: L.add(v128),
    down: L.add(v128),
    up: L.add(v128),
    taylor: TAYLOR.map(() => L.add(v128)),
    small: L.add(v128),
    one: L.add(v128),
    two: L.add(v128),
    zero32: L.add(v128)
  }
  const tail = L.add(v128)
  const pick = L.add(v128)
  const x = L.add(v128)
  const ok = L.add(v128)
  const xd = L.add(v128)
  const t = L.add(v128)
  const kd = L.add(v128)
  const r = L.add(v128)
  const y = L.add(v128)
  const Y = [L.add(v128), L.add(v128)]
  const LO = [L.add(v128), L.add(v128)]
  const HI = [L.add(v128), L.add(v128)]
  const c = new Code()
  const set = (local: number, bytes: number[]): void => void c.v128Const(bytes).localSet(local)
  // the range of x whose exp argument a x lies in (LOW, HIGH)
  const [lo32, hi32] = v === "logistic" ? [-HIGH, -LOW] : v === "tanh" ? [LOW / 2, HIGH / 2] : [LOW, HIGH]
  set(k.low, f32Bytes(lo32))
  set(k.high, f32Bytes(hi32))
  set(k.inv, f64Bytes(1 / Math.LN2))
  set(k.shift, f64Bytes(SHIFT))
  set(k.l1, f64Bytes(L1))
  set(k.l2, f64Bytes(L2))
  set(k.bias, i64Bytes(1023 << 20))
  set(k.down, f64Bytes(1 - 1e-12))
  set(k.up, f64Bytes(1 + 1e-12))
  TAYLOR.forEach((c, j) => set(k.taylor[j]!, f64Bytes(c)))
  set(k.small, f64Bytes(SMALL))
  set(k.one, f64Bytes(1))
  set(k.two, f64Bytes(2))
  set(k.zero32, f32Bytes(0))
  // the argument of exp is a x: x for exp and expm1, -x for logistic, 2x for tanh (exact in float64)
  const scaleArg = v === "logistic" ? -1 : v === "tanh" ? 2 : 1
  // end = ceil(n / 16) * 64 bytes
  c.localGet(0).i32Const(15).i32Add().i32Const(~15).i32And().i32Const(2).i32Shl().localSet(end)
  const HIGH8 = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]
  const JOIN = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
  c.block().loop()
  c.localGet(off).localGet(end).i32GeU().brIf(1)
  for (let q = 0; q < 4; q++) {
    c.localGet(off)
      .v128Load(inP + 16 * q)
      .localSet(x)
    c.localGet(x).localGet(k.low).f32x4Gt().localGet(x).localGet(k.high).f32x4Lt().v128And().localSet(ok)
    if (v === "expm1" || v === "tanh") c.localGet(ok).localGet(x).localGet(k.zero32).f32x4Ne().v128And().localSet(ok)
    for (let h = 0; h < 2; h++) {
      c.localGet(x)
      if (h === 1) c.localGet(x).i8x16Shuffle(HIGH8)
      c.f64x2PromoteLowF32x4().localSet(xd)
      if (scaleArg !== 1) {
        c.localGet(xd).v128Const(f64Bytes(scaleArg)).f64x2Mul().localSet(xd)
      }
      c.localGet(xd).localGet(k.inv).f64x2Mul().localGet(k.shift).f64x2Add().localSet(t)
      c.localGet(t).localGet(k.shift).f64x2Sub().localSet(kd)
      c.localGet(xd).localGet(kd).localGet(k.l1).f64x2Mul().f64x2Sub().localGet(kd).localGet(k.l2).f64x2Mul().f64x2Sub().localSet(r)
      // Horner: p = (((c11 r + c10) r + c9) ... ) r + c0
      c.localGet(k.taylor[0]!)
      for (let j = 1; j < TAYLOR.length; j++) c.localGet(r).f64x2Mul().localGet(k.taylor[j]!).f64x2Add()
      // 2^k: the low bits of t hold k; shifted into the exponent field and biased
      c.localGet(t).i32Const(52).i64x2Shl().localGet(k.bias).i64x2Add()
      c.f64x2Mul().localSet(y)
      if (v === "expm1" || v === "tanh") {
        // y = |a| < SMALL ? a + a^2 (1/2! + ... ) : exp(a) - 1
        c.localGet(k.taylor[0]!)
        for (let j = 1; j < EXPM1_TAIL.length; j++) c.localGet(xd).f64x2Mul().localGet(k.taylor[j]!).f64x2Add()
        c.localGet(xd).localGet(xd).f64x2Mul().f64x2Mul().localGet(xd).f64x2Add().localSet(tail)
        c.localGet(xd).localGet(xd).f64x2Mul().localGet(k.small).localGet(k.small).f64x2Mul().f64x2Lt().localSet(pick)
        c.localGet(tail).localGet(y).localGet(k.one).f64x2Sub().localGet(pick).v128Bitselect().localSet(y)
        // tanh: t / (t + 2)
        if (v === "tanh") c.localGet(y).localGet(y).localGet(k.two).f64x2Add().f64x2Div().localSet(y)
      } else if (v === "logistic") {
        c.localGet(k.one).localGet(k.one).localGet(y).f64x2Add().f64x2Div().localSet(y)
      }
      c.localGet(y).f32x4DemoteF64x2Zero().localSet(Y[h]!)
      c.localGet(y).localGet(k.down).f64x2Mul().f32x4DemoteF64x2Zero().localSet(LO[h]!)
      c.localGet(y).localGet(k.up).f64x2Mul().f32x4DemoteF64x2Zero().localSet(HI[h]!)
    }
    c.localGet(off)
      .localGet(Y[0]!)
      .localGet(Y[1]!)
      .i8x16Shuffle(JOIN)
      .v128Store(outP + 16 * q)
    c.localGet(LO[0]!).localGet(LO[1]!).i8x16Shuffle(JOIN)
    c.localGet(HI[0]!).localGet(HI[1]!).i8x16Shuffle(JOIN)
    c.f32x4Eq().localGet(ok).v128And().localTee(ok)
    c.i32x4AllTrue().i32Eqz().if()
    c.localGet(ok).i32x4Bitmask().localSet(bits)
    for (let j = 0; j < 4; j++) {
      c.localGet(bits)
        .i32Const(1 << j)
        .i32And()
        .i32Eqz()
        .if()
      // list[cnt++] = off / 4 + 4 q + j
      c.localGet(cnt).i32Const(2).i32Shl()
      c.localGet(off)
        .i32Const(2)
        .i32ShrU()
        .i32Const(4 * q + j)
        .i32Add()
      c.i32Store(listP)
      c.localGet(cnt).i32Const(1).i32Add().localSet(cnt)
      c.end()
    }
    c.end()
  }
  c.localGet(off).i32Const(64).i32Add().localSet(off)
  c.br(0).end().end()
  c.localGet(cnt)
  return { export: name, params, results: [i32], locals: L.locals, body: c }
}
