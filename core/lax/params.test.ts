/**
 * lax's static parameters against real JAX (golden/lax_params.py): every case JAX accepts gives
 * JAX's values eagerly, under jit and under vmap; every case JAX refuses is a typed jaxfx error,
 * the same one eagerly, under jit and under vmap (the shape rules run at bind time). Also
 * lax.round's two rounding methods and np.round (golden/lax_round.py).
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, grad, jit, lax, makeJaxpr, np, ValueError, vmap } from "../../index.js"
import type { DType } from "../dtype.js"
import { tagOf } from "../test-helpers.js"

interface Case {
  readonly op: string
  readonly operands: ReadonlyArray<{ readonly shape: ReadonlyArray<number>; readonly dtype: DType }>
  readonly params: Readonly<Record<string, unknown>>
  readonly ok: boolean
  readonly error?: string
  readonly out?: GoldenArray
}

/** 1, 2, 3, ... in row-major order, as the golden script builds its operands. */
const operand = (shape: ReadonlyArray<number>, dtype: DType): Array =>
  np
    .arange(1, shape.reduce((a, b) => a * b, 1) + 1)
    .reshape([...shape])
    .astype(dtype)

// The params are JSON values, some deliberately of the wrong type: they reach lax as they are.
type Loose = never
const call = (op: string, xs: ReadonlyArray<Array>, p: Readonly<Record<string, unknown>>): Array => {
  const [x, y] = xs
  const q = p as Record<string, Loose>
  switch (op) {
    case "rev":
      return lax.rev(x!, q.dimensions!)
    case "concatenate":
      return lax.concatenate(xs, q.dimension!)
    case "broadcast_in_dim":
      return lax.broadcastInDim(x!, q.shape!, q.broadcastDimensions!)
    case "slice":
      return lax.slice(x!, q.startIndices!, q.limitIndices!, q.strides)
    case "pad":
      return lax.pad(x!, np.zeros([], { dtype: x!.dtype }), q.paddingConfig!)
    case "reshape":
      return lax.reshape(x!, q.newSizes!)
    case "transpose":
      return lax.transpose(x!, q.permutation!)
    case "iota":
      return lax.iota(q.dtype!, q.shape!, q.dimension)
    case "reduce_sum":
      return lax.reduceSum(x!, q.axes!)
    case "reduce_max":
      return lax.reduceMax(x!, q.axes!)
    case "argmax":
      return lax.argmax(x!, q.axis!)
    case "cumsum":
      return lax.cumsum(x!, q.axis!, q.reverse)
    case "dot_general":
      return lax.dotGeneral(x!, y!, { contracting: q.contracting!, batch: q.batch! })
    case "sort":
      return lax.sort(xs, { dimension: q.dimension, numKeys: q.numKeys })[0]!
    case "integer_pow":
      return lax.integerPow(x!, q.y!)
    case "round":
      return lax.round(x!, q.roundingMethod)
    default:
      throw new Error(`no lax call for ${op}`)
  }
}

/** Exact equality, NaN equal to NaN and -0 distinct from 0. */
const same = (got: ArrayLike<number>, want: ReadonlyArray<number>): boolean => got.length === want.length && want.every((w, i) => Object.is(Number(got[i]), w))

const golden = loadGolden<Case>("lax_params")
const label = (c: Case): string => `${c.op} ${JSON.stringify(c.params)} on ${c.operands.map((o) => `${o.dtype}[${o.shape.join(",")}]`).join(", ")}`

describe("lax static parameters as JAX takes them (golden/lax_params.json, jax " + golden.jax_version + ")", () => {
  it("covers valid and invalid parameters of every family", () => {
    expect(golden.cases.filter((c) => c.ok).length).toBeGreaterThan(25)
    expect(golden.cases.filter((c) => !c.ok).length).toBeGreaterThan(40)
  })

  const accepted = golden.cases.filter((c) => c.ok)
  it.each(accepted.map((c) => [label(c), c] as const))("accepts %s with JAX's values, eagerly, under jit and under vmap", (_l, c) => {
    const xs = c.operands.map((o) => operand(o.shape, o.dtype))
    const want = goldenValues(c.out!)
    const f = (...a: Array[]) => call(c.op, a, c.params)
    for (const [how, out] of [
      ["eager", f(...xs)],
      ["jit", jit(f)(...xs)]
    ] as const) {
      expect(out.shape, how).toEqual(c.out!.shape)
      expect(same(out.data(), want), `${how}: ${out.toString()} vs ${JSON.stringify(want)}`).toBe(true)
    }
    // vmap over two stacked copies: each example gives JAX's result.
    const batched = xs.length === 0 ? vmap(() => f(), { inAxes: [], axisSize: 2 })() : vmap(f)(...xs.map((x) => np.stack([x, x])))
    expect(batched.shape).toEqual([2, ...c.out!.shape])
    expect(same(batched.data(), [...want, ...want])).toBe(true)
  })

  const refused = golden.cases.filter((c) => !c.ok)
  it.each(refused.map((c) => [label(c), c] as const))("refuses %s with one typed error, eagerly, under jit and under vmap", (_l, c) => {
    const xs = c.operands.map((o) => operand(o.shape, o.dtype))
    const f = (...a: Array[]) => call(c.op, a, c.params)
    const eager = tagOf(() => f(...xs), "eager")
    expect(tagOf(() => jit(f)(...xs), "jit")).toBe(eager)
    const batched = xs.length === 0 ? () => vmap(() => f(), { inAxes: [], axisSize: 2 })() : () => vmap(f)(...xs.map((x) => np.stack([x, x])))
    expect(tagOf(batched, "vmap")).toBe(eager)
  })
})

interface RoundCase {
  readonly dtype: DType
  readonly x: GoldenArray
  readonly awayFromZero: GoldenArray
  readonly toNearestEven: GoldenArray
  readonly npRound: GoldenArray
}

describe("lax.round and np.round (golden/lax_round.json)", () => {
  const cases = loadGolden<RoundCase>("lax_round").cases
  it.each(cases.map((c) => [c.dtype, c] as const))("%s: lax.round rounds halves away from zero by default, to even on request; np.round to even", (_d, c) => {
    const x = np.asarray(Float64Array.from(goldenValues(c.x))).astype(c.dtype)
    const check = (f: (x: Array) => Array, want: GoldenArray, what: string): void => {
      for (const [how, out] of [
        ["eager", f(x)],
        ["jit", jit(f)(x)]
      ] as const) {
        expect(same(out.data(), goldenValues(want)), `${what} ${how}: ${out.toString()}`).toBe(true)
      }
    }
    check((v) => lax.round(v), c.awayFromZero, "lax.round")
    check((v) => lax.round(v, lax.RoundingMethod.awayFromZero), c.awayFromZero, "lax.round(awayFromZero)")
    check((v) => lax.round(v, "awayFromZero"), c.awayFromZero, "lax.round('awayFromZero')")
    check((v) => lax.round(v, lax.RoundingMethod.toNearestEven), c.toNearestEven, "lax.round(toNearestEven)")
    check((v) => lax.round(v, "toNearestEven"), c.toNearestEven, "lax.round('toNearestEven')")
    // Fused with other operations in one kernel (both methods are odd: -round(-x) = round(x)).
    check((v) => lax.neg(lax.round(lax.neg(v))), c.awayFromZero, "lax.round fused")
    check((v) => lax.neg(lax.round(lax.neg(v), 1)), c.toNearestEven, "lax.round(1) fused")
    check((v) => np.round(v), c.npRound, "np.round")
  })

  it("has a zero derivative, batches, and prints JAX's rounding_method param", () => {
    const x = np.array([0.5, 1.5, -2.5], { dtype: "float32" })
    expect(grad((v: Array) => np.sum(lax.round(v).mul(v)))(x).toJs()).toEqual([1, 2, -3])
    expect(
      vmap((v: Array) => lax.round(v))(x.reshape([3, 1]))
        .reshape([3])
        .toJs()
    ).toEqual([1, 2, -3])
    expect(
      vmap((v: Array) => lax.round(v, 1))(x.reshape([3, 1]))
        .reshape([3])
        .toJs()
    ).toEqual([0, 2, -2])
    // JAX: { lambda ; a:f32[]. let b:f32[] = round[rounding_method=0] a in (b,) }
    expect(makeJaxpr((v: Array) => lax.round(v))(np.array(1, { dtype: "float32" })).toString()).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = round[rounding_method=0] a in (b,) }"
    )
    expect(makeJaxpr((v: Array) => lax.round(v, "toNearestEven"))(np.array(1, { dtype: "float32" })).toString()).toContain("round[rounding_method=1]")
  })

  it("refuses rounding methods JAX does not have (a ValueError that names both)", () => {
    const x = np.array([0.5], { dtype: "float32" })
    for (const bad of [2, -1, "up", 0.5, null]) {
      expect(() => lax.round(x, bad as never)).toThrow(ValueError)
      expect(() => lax.round(x, bad as never)).toThrow(/awayFromZero.*toNearestEven/)
    }
  })
})
