import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array, type DType, grad, jit, np } from "../../index.js"
import { DTypeError } from "../../core/errors.js"

// Real JAX on CPU (golden/dtypes_arith.py): the 8- and 16-bit dtypes' arithmetic (float16 and
// bfloat16 computed in float32 and rounded after every operation), conversions and printing.
interface Case {
  readonly id: string
  readonly args?: ReadonlyArray<GoldenArray>
  readonly out?: GoldenArray
  readonly reprs?: ReadonlyArray<{ dtype: DType; values: GoldenArray; repr: string; str: string }>
}
const golden = loadGolden<Case>("dtypes_arith").cases
const num = (v: unknown): number => (typeof v === "boolean" ? (v ? 1 : 0) : (v as number))
const arr = (g: GoldenArray): Array => np.array(g.data.map(num), { dtype: g.dtype as DType }).reshape([...g.shape])

const ops: Record<string, (...xs: Array[]) => Array> = {
  add: (x, y) => x.add(y!),
  mul: (x, y) => x.mul(y!),
  div: (x, y) => x.div(y!),
  sub: (x, y) => x.sub(y!),
  chain: (x, y) => x.mul(y!).add(x).mul(3).sub(y!),
  exp: (x) => np.exp(x),
  sin: (x) => np.sin(x),
  sqrt: (x) => np.sqrt(np.abs(x)),
  sum: (x) => np.sum(x),
  "sum axis": (x) => np.sum(x.reshape([4, 5]), { axis: 1 }),
  mean: (x) => np.mean(x),
  max: (x) => np.max(x),
  "mul overflow": (x) => x.mul(x),
  dot: (x, y) => np.dot(x, y!),
  grad: (x) => grad((z: Array) => np.sum(np.sin(z).mul(z)))(x),
  neg: (x) => x.neg(),
  floordiv: (x, y) => np.floorDivide(x, np.where(y!.eq(0), 1, y!)),
  scalar: (x) => x.mul(3).add(1)
}
// Library functions (exp, sin) may differ from XLA's by an ulp of float32 before the rounding;
// sums and dots may add in another order.
const approx = new Set(["exp", "sin", "grad", "mean", "dot", "sum axis"])

const check = (got: Array, want: GoldenArray, tol: number): void => {
  expect(got.dtype).toBe(want.dtype)
  expect(got.shape).toEqual(want.shape)
  const g = [...got.data()]
  const w = want.data.map(num)
  const bad = g.flatMap((v, i) => {
    const x = w[i]!
    const ok = Number.isNaN(x) ? Number.isNaN(v) : tol === 0 ? Object.is(v, x) || (v === 0 && x === 0) : v === x || Math.abs(v - x) <= tol * Math.abs(x)
    return ok ? [] : [`[${i}] ${v} (JAX ${x})`]
  })
  expect(bad).toEqual([])
}

const run = (c: Case, wrap: (f: (...xs: Array[]) => Array) => (...xs: Array[]) => Array): void => {
  const args = c.args!.map(arr)
  if (c.id.startsWith("astype ")) {
    const to = c.id.split("->")[1] as DType
    check(wrap((x) => x.astype(to))(...args), c.out!, 0)
    return
  }
  const [d, ...rest] = c.id.split(" ")
  const op = rest.join(" ")
  const tol = approx.has(op) ? (d === "bfloat16" ? 2 ** -7 : d === "float16" ? 2 ** -10 : 0) : 0
  check(wrap(ops[op]!)(...args), c.out!, tol)
}

const arith = golden.filter((c) => c.args !== undefined)

describe("8- and 16-bit dtypes against JAX on CPU, eagerly", () => {
  for (const c of arith) it(c.id, () => run(c, (f) => f))
})

describe("the same under jit (one fused program)", () => {
  for (const c of arith.filter((c) => !c.id.startsWith("astype") || c.id.includes("float32->"))) {
    it(c.id, () => run(c, (f) => jit(f)))
  }
})

describe("printing as JAX prints", () => {
  for (const r of golden.find((c) => c.id === "reprs")!.reprs!) {
    it(`${r.repr}`, () => {
      const x = arr(r.values)
      expect(x.toString()).toBe(r.repr)
    })
  }
})

describe("what the CPU does not offer for narrow integers says so", () => {
  it("a logical right shift of int8 is refused with the way out", () => {
    const x = np.array([1, 2], { dtype: "int8" })
    expect(() => np.rightShift(x.astype("uint8"), 1)).not.toThrow(TypeError)
    expect(() => np.array([1], { dtype: "int64" as never })).toThrow(DTypeError)
  })
})
