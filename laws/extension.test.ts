/**
 * Laws for the extension points: hand-written customJvp/customVjp rules, and a primitive defined
 * with its own jvp, transpose and batching rules (a scaled cube), each shown to hold when right
 * and to catch a deliberately broken variant of each rule. Also built-in primitives' rules.
 */
import type fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ShapedArray } from "../core/array.js"
import { ShapeError } from "../core/errors.js"
import { type BatchRule, definePrimitive, type JvpRule, lookupPrimitive, type Primitive, type TransposeRule, UndefPrimal, Zero } from "../core/primitive.js"
import { bind1 } from "../core/trace.js"
import { type Array, customJvp, customVjp, grad, nn, np, vmap } from "../index.js"
import * as laws from "./index.js"
import { failure } from "./test-helpers.js"

const { arb } = laws

/** Values on a 1/8 grid: failures shrink to simple numbers. */
const vec = arb.array({ shape: [3], min: -2, max: 2, step: 1 / 8 })

// ---------------------------------------------------------------------------------------------
// customJvp / customVjp

describe("custom rules", () => {
  const softplus = customJvp((x: Array) => nn.softplus(x))
  softplus.defjvp(([x], [t]) => [softplus(x), t.mul(nn.sigmoid(x))])

  const square = customVjp((x: Array) => np.square(x))
  square.defvjp(
    (x) => [np.square(x), x],
    (x, ct) => [ct.mul(x).mul(2)]
  )

  it("a right customJvp rule matches finite differences, and its vjp (the transposed rule) agrees with it", () => {
    laws.check(laws.customRuleMatchesFiniteDifferences(softplus, [vec]), { seed: 1, numRuns: 20 })
    laws.check(laws.customJvpVjpAgree(softplus, [vec]), { seed: 1, numRuns: 20 })
  })

  it("a right customVjp rule matches finite differences, and agrees with forward mode of the undecorated function", () => {
    laws.check(laws.customRuleMatchesFiniteDifferences(square, [vec]), { seed: 2, numRuns: 20 })
    laws.check(laws.customJvpVjpAgree(square, [vec], { forward: (x: Array) => np.square(x) }), { seed: 2, numRuns: 20 })
  })

  it("two-argument rules over pytrees", () => {
    const scaledTanh = customJvp((p: { w: Array; b: Array }, x: Array) => np.tanh(x.mul(p.w).add(p.b)))
    scaledTanh.defjvp(([p, x], [tp, tx]) => {
      const y = scaledTanh(p, x)
      const d = np.subtract(1, np.square(y))
      return [y, d.mul(tx.mul(p.w).add(x.mul(tp.w)).add(tp.b))]
    })
    const params = arb.array({ shape: [3], step: 1 / 8 }).chain((w) => vec.map((b) => ({ w, b })))
    laws.check(laws.customRuleMatchesFiniteDifferences(scaledTanh, [params, vec]), { seed: 3, numRuns: 15 })
    laws.check(laws.customJvpVjpAgree(scaledTanh, [params, vec]), { seed: 3, numRuns: 15 })
  })

  it("catch a wrong customJvp rule (sigmoid(-x) for sigmoid(x)) against finite differences", () => {
    const bad = customJvp((x: Array) => nn.softplus(x))
    bad.defjvp(([x], [t]) => [bad(x), t.mul(nn.sigmoid(x.neg()))])
    const r = failure(laws.customRuleMatchesFiniteDifferences(bad, [vec]), { seed: 4, numRuns: 20 })
    expect(r.message).toContain("Law failed: customRuleMatchesFiniteDifferences on custom_jvp")
    expect(r.message).toMatch(/the jvp rule disagrees with central differences of f along u[\s\S]*J u at \[\d\]: [-\d.e]+, central difference [-\d.e]+/)
    expect(r.message).toMatch(/tangent u:\n {4}argument 0: np\.array/)
  })

  it("catch a wrong customVjp rule (x ct for 2 x ct) against finite differences", () => {
    const bad = customVjp((x: Array) => np.square(x))
    bad.defvjp(
      (x) => [np.square(x), x],
      (x, ct) => [ct.mul(x)]
    )
    const r = failure(laws.customRuleMatchesFiniteDifferences(bad, [vec]), { seed: 5, numRuns: 20 })
    expect(r.message).toMatch(
      /the vjp rule disagrees with central differences of f[\s\S]*<Jᵀ v, u> = [-\d.e]+ from the rule, but <v, central difference along u> = [-\d.e]+/
    )
  })

  it("catch a customJvp rule whose primal output is not f(x)", () => {
    const bad = customJvp((x: Array) => np.sin(x))
    bad.defjvp(([x], [t]) => [np.cos(x), t.mul(np.cos(x))])
    const r = failure(laws.customRuleMatchesFiniteDifferences(bad, [vec]), { seed: 6, numRuns: 20 })
    expect(r.message).toMatch(/output at \[\d\]: f\(x\) [-\d.e]+, the rule's primal output [-\d.e]+/)
  })

  it("catch a jvp rule that is affine, not linear: its transposed vjp disagrees with it", () => {
    const shifted = customJvp((x: Array) => np.sin(x))
    shifted.defjvp(([x], [t]) => [shifted(x), t.mul(np.cos(x)).add(0.01)])
    const r = failure(laws.customJvpVjpAgree(shifted, [vec]), { seed: 7, numRuns: 20 })
    expect(r.message).toMatch(/<v, J u> = [-\d.e]+ \(forward mode\) but <Jᵀ v, u> = [-\d.e]+ \(reverse mode\)/)
  })

  it("catch a customVjp rule that disagrees with forward mode of its function; and say what to pass without one", () => {
    const bad = customVjp((x: Array) => np.square(x))
    bad.defvjp(
      (x) => [np.square(x), x],
      (x, ct) => [ct.mul(x).mul(3)]
    )
    failure(laws.customJvpVjpAgree(bad, [vec], { forward: (x: Array) => np.square(x) }), { seed: 8, numRuns: 20 })
    const r = failure(laws.customJvpVjpAgree(bad, [vec]), { seed: 8, numRuns: 5 })
    expect(r.message).toContain("custom_vjp has no forward-mode rule (it is a customVjp function): pass { forward: f's undecorated function }")
  })
})

// ---------------------------------------------------------------------------------------------
// A user-defined primitive: scaled_cube(s, x) = s · x³ (elementwise, linear in s)

interface NoParams {
  readonly [k: string]: never
}

/** Define a scaled-cube primitive; `broken` swaps in a deliberately wrong rule. */
const defineScaledCube = (name: string, broken?: "jvp" | "transpose" | "batch") => {
  const p: Primitive<NoParams> = definePrimitive<NoParams>(name, ([s, x]) => {
    if (s!.shape.join(",") !== x!.shape.join(",") || s!.dtype !== x!.dtype) {
      throw new ShapeError(`${name} needs s and x of one shape and dtype, got ${s!.str()} and ${x!.str()}`)
    }
    return [new ShapedArray(x!.shape, x!.dtype, x!.weakType && s!.weakType)]
  })
  const scaledCube = (s: Array, x: Array): Array => bind1(p, [s, x], {})
  // The implementation, in terms of other primitives.
  p.impl = ([s, x]) => [s!.mul(x!).mul(x!).mul(x!)]
  // d(s x³) = x³ ds + 3 s x² dx. The ds part is the primitive itself (linear in s), so reverse
  // mode reaches the transpose rule below.
  const jvp: JvpRule<NoParams> = ([s, x], [ts, tx]) => {
    const k = broken === "jvp" ? 2 : 3 // the broken rule forgets the power rule's factor
    return [[scaledCube(s!, x!)], [scaledCube(ts!, x!).add(s!.mul(x!).mul(x!).mul(k).mul(tx!))]]
  }
  // Transposed in s (x known): ct ↦ x³ · ct.
  const transpose: TransposeRule<NoParams> = ([ct], [s, x]) => {
    if (!(s instanceof UndefPrimal) || x instanceof UndefPrimal) throw new Error(`${name} is linear in s only`)
    if (ct instanceof Zero) return [new Zero(s.aval), null]
    const xx = x!
    return [broken === "transpose" ? ct!.mul(xx).mul(xx) : scaledCube(ct!, xx), null]
  }
  // Elementwise: move batch dimensions first; an unbatched operand is broadcast along the batch.
  const batch: BatchRule<NoParams> = (args, dims, _params, size) => {
    const first = args.map((a, i) => {
      const d = dims[i]
      if (d === null || d === undefined) return np.broadcastTo(np.expandDims(a, 0), [size, ...a.shape])
      return broken === "batch" ? a : np.moveaxis(a, d, 0) // the broken rule assumes the batch is already in front
    })
    return [[scaledCube(first[0]!, first[1]!)], [0]]
  }
  p.jvp = jvp
  p.transpose = transpose
  p.batch = batch
  return { p, scaledCube }
}

const cube = defineScaledCube("laws_test_scaled_cube")
/** Both inputs share a shape; values on a 1/8 grid. */
const shaped = arb.array({ shape: [2, 3], step: 1 / 8 })

describe("primitiveRulesHold on a user-defined primitive", () => {
  it("the scaled cube's jvp, transpose (linear in s) and batching rules hold", () => {
    for (const shape of [[], [3], [2, 3], [2, 1, 2]]) {
      const x = arb.array({ shape, step: 1 / 8 })
      laws.check(laws.primitiveRulesHold(cube.p, [x, x], { linear: [0] }), { seed: 10, numRuns: 10 })
    }
  })

  it("and jaxfx's transformations of it are right: grad against finite differences, vmap against a loop", () => {
    const loss = (s: Array, x: Array) => np.sum(cube.scaledCube(s, x))
    laws.check(laws.gradMatchesFiniteDifferences(loss, [shaped, shaped]), { seed: 11, numRuns: 10 })
    laws.check(laws.vjpIsAdjointOfJvp(cube.scaledCube, [shaped, shaped]), { seed: 11, numRuns: 10 })
    laws.check(laws.vmapMatchesStack(cube.scaledCube, [shaped, shaped]), { seed: 11, numRuns: 10 })
    expect([...grad(loss)(np.ones([2, 3], { dtype: "float32" }), np.full([2, 3], 2, { dtype: "float32" })).data()]).toEqual([8, 8, 8, 8, 8, 8])
    expect(vmap(cube.scaledCube, { inAxes: [null, 1] })(np.ones([3], { dtype: "float32" }), np.ones([3, 2], { dtype: "float32" })).shape).toEqual([2, 3])
  })

  it("catches a wrong jvp rule (2 s x² for 3 s x²)", () => {
    const bad = defineScaledCube("laws_test_scaled_cube_bad_jvp", "jvp")
    const r = failure(laws.primitiveRulesHold(bad.p, [shaped, shaped], { linear: [0] }), { seed: 12, numRuns: 25 })
    expect(r.message).toContain("Law failed: primitiveRulesHold on laws_test_scaled_cube_bad_jvp")
    expect(r.message).toMatch(
      /jvp rule: tangents disagree with central differences of the primitive[\s\S]*tangent 0 at \[\d, \d\]: [-\d.e]+, central difference [-\d.e]+/
    )
    expect(r.message).not.toContain("transpose rule:")
  })

  it("catches a wrong transpose rule (x² ct for x³ ct)", () => {
    const bad = defineScaledCube("laws_test_scaled_cube_bad_transpose", "transpose")
    const r = failure(laws.primitiveRulesHold(bad.p, [shaped, shaped], { linear: [0] }), { seed: 13, numRuns: 25 })
    expect(r.message).toMatch(/transpose rule: <ct, J u> = [-\d.e]+ but <transpose\(ct\), u> = [-\d.e]+/)
    expect(r.message).not.toContain("jvp rule:")
    expect(r.message).toContain("output cotangents:")
  })

  it("catches a wrong batching rule (ignores where the batch dimension is)", () => {
    const bad = defineScaledCube("laws_test_scaled_cube_bad_batch", "batch")
    const r = failure(laws.primitiveRulesHold(bad.p, [shaped, shaped], { linear: [0] }), { seed: 14, numRuns: 25 })
    expect(r.message).toMatch(/batch rule: (output \(batch of \d, batch dims moved to 0\)|[\s\S]*threw)/)
    expect(r.message).toMatch(/batch: \d example\(s\), batch dimension per input \[(\d|unbatched), (\d|unbatched)\]/)
  })

  it("says which rules are missing when asked for them", () => {
    const bare = definePrimitive<NoParams>("laws_test_bare", ([x]) => [x!])
    bare.impl = ([x]) => [x!.mul(2)]
    const r = failure(laws.primitiveRulesHold(bare, [shaped], { rules: ["jvp"] }), { seed: 15, numRuns: 1 })
    expect(r.message).toContain("laws_test_bare has no jvp rule")
    // With no rules requested and none defined, there is nothing to check.
    laws.check(laws.primitiveRulesHold(bare, [shaped]), { seed: 15, numRuns: 3 })
  })
})

// ---------------------------------------------------------------------------------------------
// Built-in primitives

describe("primitiveRulesHold on jaxfx's own primitives", () => {
  const prim = (name: string): Primitive => {
    const p = lookupPrimitive(name)
    if (p === undefined) throw new Error(`no primitive ${name}`)
    return p
  }
  const small = arb.array({ shape: { maxRank: 3, maxSize: 12 }, step: 1 / 16 })
  const m23 = arb.array({ shape: [2, 3], step: 1 / 16 })
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<fc.Arbitrary<Array>>, laws.PrimitiveLawOptions<never>]> = [
    ["sin", [small], {}],
    ["tanh", [small], {}],
    ["neg", [small], {}],
    ["add", [arb.array({ shape: [2, 1, 3], step: 1 / 16 }), arb.array({ shape: [1, 4, 3], step: 1 / 16 })], {}],
    ["sub", [arb.array({ shape: [1, 3], step: 1 / 16 }), m23], {}],
    ["mul", [m23, arb.array({ shape: [1, 3], step: 1 / 16 })], { linear: [1] }],
    ["reduce_sum", [arb.array({ shape: [2, 3, 2], step: 1 / 16 })], { params: { axes: [1] } as never }],
    ["reduce_sum", [m23], { params: { axes: [0, 1] } as never }],
    ["reduce_max", [m23], { params: { axes: [1] } as never, rules: ["batch"] }],
    ["transpose", [arb.array({ shape: [2, 3, 1], step: 1 / 16 })], { params: { permutation: [2, 0, 1] } as never }],
    ["reshape", [m23], { params: { newSizes: [3, 2], dimensions: null } as never }],
    ["broadcast_in_dim", [arb.array({ shape: [3, 1], step: 1 / 16 })], { params: { shape: [2, 3, 4], broadcastDimensions: [1, 2] } as never }]
  ]
  for (const [name, arbs, options] of cases) {
    it(`${name}${options.params === undefined ? "" : ` ${JSON.stringify(options.params)}`}`, () => {
      laws.check(laws.primitiveRulesHold(prim(name), arbs, options as laws.PrimitiveLawOptions<Readonly<Record<string, unknown>>>), { seed: 16, numRuns: 10 })
    })
  }
})
