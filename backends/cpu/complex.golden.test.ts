import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array, type DType, grad, jit, lax, np } from "../../index.js"

// Real JAX on CPU (golden/complex.py): complex64 arithmetic, transcendental functions,
// reductions, promotion, conversions, np's complex functions and gradients, eagerly and under jit;
// and printing (golden/complex_printed.json).
interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray
}
interface Printed {
  readonly value: GoldenArray
  readonly weak?: boolean
  readonly repr: string
  readonly str: string
}
const golden = loadGolden<Case>("complex").cases
const printed = loadGolden<Printed>("complex_printed").cases

const isPair = (v: unknown): v is readonly [number, number] => globalThis.Array.isArray(v)
/** A golden array as a jaxfx Array of its dtype. */
const arr = (g: GoldenArray): Array => {
  const values = g.data.map((v) => (isPair(v) ? { re: v[0], im: v[1] } : typeof v === "boolean" ? (v ? 1 : 0) : v))
  const a = np.array(values, { dtype: g.dtype as DType })
  return g.shape.length === 0 ? a.reshape([]) : a.reshape([...g.shape])
}
/** Interleaved (re, im) numbers of a golden array (real arrays: one number per element). */
const flatValues = (g: GoldenArray): number[] => g.data.flatMap((v) => (isPair(v) ? [v[0], v[1]] : [typeof v === "boolean" ? (v ? 1 : 0) : v]))

const abs2 = (a: Array): Array => np.abs(a).mul(np.abs(a))
const ops: Record<string, (...xs: Array[]) => Array> = {
  "binary add": (a, b) => a.add(b!),
  "binary sub": (a, b) => a.sub(b!),
  "binary mul": (a, b) => a.mul(b!),
  "binary div": (a, b) => a.div(b!),
  "binary pow": (a, b) => a.pow(b!),
  "binary eq": (a, b) => np.equal(a, b!),
  "binary ne": (a, b) => np.notEqual(a, b!),
  "binary div by zero": (a, b) => a.div(b!),
  "unary neg": (a) => np.negative(a),
  "unary exp": (a) => np.exp(a),
  "unary log": (a) => np.log(a),
  "unary sqrt": (a) => np.sqrt(a),
  "unary sin": (a) => np.sin(a),
  "unary cos": (a) => np.cos(a),
  "unary tan": (a) => np.tan(a),
  "unary sinh": (a) => np.sinh(a),
  "unary cosh": (a) => np.cosh(a),
  "unary tanh": (a) => np.tanh(a),
  "unary expm1": (a) => np.expm1(a),
  "unary log1p": (a) => np.log1p(a),
  "unary sign": (a) => np.sign(a),
  "unary abs": (a) => np.abs(a),
  "unary real": (a) => np.real(a),
  "unary imag": (a) => np.imag(a),
  "unary conj": (a) => np.conj(a),
  "unary angle": (a) => np.angle(a),
  "unary square": (a) => np.square(a),
  "unary reciprocal": (a) => np.reciprocal(a),
  "unary cube": (a) => a.pow(3),
  "unary pow -2": (a) => a.pow(-2),
  "unary rsqrt": (a) => lax.rsqrt(a),
  "unary iscomplex": (a) => np.iscomplex(a),
  "unary isreal": (a) => np.isreal(a),
  "unary angle deg": (a) => np.angle(a, { deg: true }),
  "sqrt of negative reals": (a) => np.sqrt(a),
  "tanh large": (a) => np.tanh(a),
  sum: (a) => np.sum(a),
  "sum axis 0": (a) => np.sum(a, { axis: 0 }),
  prod: (a) => np.prod(a, { axis: 1 }),
  mean: (a) => np.mean(a),
  cumsum: (a) => np.cumsum(a, { axis: 1 }),
  matmul: (a, b) => np.matmul(a, b!),
  vdot: (a, b) => np.vdot(a, b!),
  "dot real x complex": (a, b) => np.dot(a, b!),
  transpose: (a) => a.T,
  concatenate: (a, b) => np.concatenate([a, b!]),
  "slice gather": (a) => np.take(a, np.array([4, 0, 2])),
  where: (a, b) => np.where(np.greater(np.abs(a), 1.5), a, b!),
  sort_complex: (a) => np.sortComplex(a),
  "weak float * complex": (a) => a.mul(2.5),
  "weak int + complex": (a) => a.add(3),
  "float32 * weak complex": (a) => a.mul(lax.complex(0, 1)),
  "int32 + weak complex": (a) => np.add(a, lax.complex(2, -1)),
  "lax.complex": (a, b) => lax.complex(a, b!),
  "astype float32 -> complex64": (a) => a.astype("complex64"),
  "astype complex64 -> float32": (a) => lax.convertElementType(a, "float32"),
  "astype complex64 -> int32": (a) => lax.convertElementType(a, "int32"),
  "astype complex64 -> bool": (a) => lax.convertElementType(a, "bool"),
  "astype int32 -> complex64": (a) => a.astype("complex64"),
  "grad abs^2": (a) => grad(abs2)(a),
  "grad abs": (a) => grad((z: Array) => np.abs(z))(a),
  "grad real(z^2)": (a) => grad((z: Array) => np.real(z.mul(z)))(a),
  "grad imag(z^2)": (a) => grad((z: Array) => np.imag(z.mul(z)))(a),
  "grad real(exp z * conj z)": (a) => grad((z: Array) => np.real(np.exp(z).mul(np.conj(z))))(a),
  "grad sum |sin z|^2": (a) => grad((z: Array) => np.sum(abs2(np.sin(z))))(a),
  "grad holomorphic z^2": (a) => grad((z: Array) => z.mul(z), { holomorphic: true })(a),
  "grad holomorphic sin": (a) => grad((z: Array) => np.sin(z), { holomorphic: true })(a),
  "grad holomorphic exp(z)/z": (a) => grad((z: Array) => np.exp(z).div(z), { holomorphic: true })(a),
  "grad real of complex(x, y)": (a) => grad((x: Array) => abs2(lax.complex(x, x.mul(2))))(a),
  "grad real input, complex inside": (a) => grad((x: Array) => np.real(np.exp(x.mul(lax.complex(0, 1)))))(a),
  "grad matmul": (a, b) => grad((x: Array, y: Array) => np.real(np.sum(np.matmul(x, y))))(a, b!)
}
for (const d of ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "float16", "bfloat16", "float32"]) {
  ops[`promote ${d} + complex64`] = (a, b) => a.add(b!)
}

const check = (got: Array, want: GoldenArray, rtol: number): void => {
  expect(got.dtype).toBe(want.dtype)
  expect(got.shape).toEqual(want.shape)
  const g = [...got.data()].map(Number)
  const w = flatValues(want)
  expect(g.length).toBe(w.length)
  const bad = g.flatMap((v, i) => {
    const x = w[i]!
    const ok = Number.isNaN(x) ? Number.isNaN(v) : v === x || Math.abs(v - x) <= rtol * Math.max(1, Math.abs(x))
    return ok ? [] : [`[${i}] ${v} (JAX ${x})`]
  })
  expect(bad).toEqual([])
}

describe("complex64 against real JAX (golden/complex.py)", () => {
  it("has an operation for every golden case", () => {
    expect(golden.map((c) => c.id).filter((id) => ops[id] === undefined)).toEqual([])
  })
  for (const c of golden) {
    const f = ops[c.id]
    if (f === undefined) continue
    it(`${c.id}: eager and jit`, () => {
      const args = c.args.map(arr)
      // float32 tolerance: transcendental functions and sums may differ from XLA's by a few ulps
      // (|sin z|^2's gradient cancels terms of size |sin z|^2 ~ 700 down to ~0.3).
      const rtol = c.id === "grad sum |sin z|^2" ? 1e-4 : 1.6e-5
      check(f(...args), c.out, rtol)
      check(jit((...xs: Array[]) => f(...xs))(...args), c.out, rtol)
    })
  }
})

describe("complex printing as JAX (golden/complex_printed.json)", () => {
  for (const p of printed) {
    it(p.repr, () => {
      const a = p.weak === true ? lax.complex(p.value.data.map((v) => (v as [number, number])[0])[0]!, (p.value.data[0] as [number, number])[1]) : arr(p.value)
      expect(a.toString()).toBe(p.repr)
      expect(a.str()).toBe(p.str)
    })
  }
})
