/**
 * Every law can fail: applied to a deliberately wrong implementation (a fake transformation, a
 * hand-written wrong derivative rule, or a fault planted in a primitive's rule), it reports a
 * failure a person can act on.
 */
import fc from "fast-check"
import { afterEach, describe, expect, it } from "vitest"
import { Array, customJvp, customVjp, grad, jit, jvp, np, stopGradient, tree, vjp, vmap } from "../index.js"
import { lookupPrimitive, type Primitive } from "../core/primitive.js"
import * as laws from "./index.js"
import { failure } from "./test-helpers.js"

const { arb } = laws

const vec = arb.array({ shape: [3] })
const anyShape = arb.array({ shape: { maxRank: 2, maxSize: 6 } })

describe("jitMatchesEager", () => {
  it("catches a jit that computes in float32 whatever the input dtype", () => {
    const castingJit: laws.JitLike =
      (f) =>
      (...args) =>
        f(...(args.map((a) => (a instanceof Array ? a.astype("float32") : a)) as unknown as typeof args))
    const r = failure(laws.jitMatchesEager(np.sin, [arb.array({ dtype: "float64" })], { jit: castingJit }), { seed: 1, numRuns: 20 })
    expect(r.law).toBe("jitMatchesEager")
    expect(r.message).toContain("Law failed: jitMatchesEager on sin")
    expect(r.message).toContain("output: dtype float64 (eager) vs float32 (jit)")
    expect(r.message).toMatch(/argument 0: np\.array\(.*\{ dtype: "float64" \}\)/)
  })

  it("catches a jit that is one rounding off, naming the elements", () => {
    const sloppyJit: laws.JitLike =
      <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) =>
      (...a: Args): R =>
        (f(...a) as unknown as Array).mul(1 + 2 ** -20) as unknown as R
    const r = failure(laws.jitMatchesEager(np.exp, [vec], { jit: sloppyJit }), { seed: 2, numRuns: 20 })
    expect(r.message).toMatch(/output at \[\d\]: eager [-\d.e]+, jit [-\d.e]+ \(\|difference\| /)
    expect(r.message).toContain("(comparison: bit-exact)")
    // ... and within a tolerance it holds.
    laws.check(laws.jitMatchesEager(np.exp, [vec], { jit: sloppyJit, tolerance: { rtol: 1e-5 } }), { seed: 2, numRuns: 20 })
  })

  it("reports a transformation that throws", () => {
    const brokenJit: laws.JitLike = () => () => {
      throw new RangeError("kernel lowering failed")
    }
    const r = failure(laws.jitMatchesEager(np.tanh, [vec], { jit: brokenJit }), { seed: 3, numRuns: 5 })
    expect(r.message).toContain("jit(f) threw RangeError: kernel lowering failed")
  })
})

describe("gradMatchesFiniteDifferences", () => {
  it("catches a grad with the wrong sign", () => {
    const negGrad: laws.GradLike =
      (f, argnums) =>
      (...args) =>
        (grad(f, { argnums })(...args) as ReadonlyArray<unknown>).map((g) => tree.map((x) => (x as Array).neg(), g))
    const r = failure(
      laws.gradMatchesFiniteDifferences((x: Array) => np.sum(np.sin(x)), [vec], { grad: negGrad }),
      { seed: 4, numRuns: 20 }
    )
    expect(r.message).toMatch(/d f \/ d args\[0\] at \[\d\]: grad [-\d.e]+, central difference [-\d.e]+ \(h = /)
  })

  it("catches a function whose gradient is wrong (a straight-through stopGradient)", () => {
    // Its value is sum(x²), but reverse mode sees x * const: the gradient is x instead of 2x.
    const leaky = (x: Array) => np.sum(x.mul(stopGradient(x)))
    const r = failure(laws.gradMatchesFiniteDifferences(leaky, [vec]), { seed: 5, numRuns: 20 })
    expect(r.message).toContain("Law failed: gradMatchesFiniteDifferences on leaky")
    // Shrinking leaves one non-zero element where the gradient is off by more than the tolerance.
    expect(r.message).toMatch(/inputs:\n {4}argument 0: np\.array\(\[/)
  })

  it("catches a hand-written wrong customJvp rule and a wrong customVjp rule", () => {
    const badSin = customJvp((x: Array) => np.sin(x))
    badSin.defjvp(([x], [t]) => [badSin(x), t.mul(np.sin(x))]) // should be cos
    const r1 = failure(laws.gradMatchesFiniteDifferences(laws.scalarize(badSin), [vec]), { seed: 6, numRuns: 20 })
    expect(r1.message).toContain("d f / d args[0]")

    const badSquare = customVjp((x: Array) => np.square(x))
    badSquare.defvjp(
      (x) => [np.square(x), x],
      (x, ct) => [ct.mul(x)]
    ) // should be 2 x ct
    const r2 = failure(laws.gradMatchesFiniteDifferences(laws.scalarize(badSquare), [vec]), { seed: 7, numRuns: 20 })
    expect(r2.message).toContain("d f / d args[0]")
  })

  it("accepts any subgradient at a kink, but not a wrong slope beside it", () => {
    laws.check(
      laws.gradMatchesFiniteDifferences((x: Array) => np.sum(np.abs(x)), [arb.array({ shape: [3], step: 0.5 })]),
      { seed: 8, numRuns: 30 }
    )
    const halfAbs = customJvp((x: Array) => np.abs(x))
    halfAbs.defjvp(([x], [t]) => [halfAbs(x), t.mul(np.sign(x)).mul(0.5)])
    failure(laws.gradMatchesFiniteDifferences(laws.scalarize(halfAbs), [vec]), { seed: 8, numRuns: 30 })
  })
})

describe("jvpIsLinear", () => {
  it("catches a jvp that is not linear in the tangent", () => {
    const squaringJvp: laws.JvpLike = (f, primals, tangents) => {
      const [y, t] = jvp(f, primals, tangents)
      return [y, tree.map((x) => (x as Array).mul(np.abs(x as Array)), t) as unknown as typeof t]
    }
    const r = failure(laws.jvpIsLinear(np.tanh, [anyShape], { jvp: squaringJvp }), { seed: 9, numRuns: 30 })
    expect(r.message).toMatch(/J\(a u \+ b v\) = [-\d.e]+, a Ju \+ b Jv = [-\d.e]+/)
    expect(r.message).toMatch(/tangent u:\n {4}argument 0: np\.array\(.*\n {2}tangent v:\n {4}argument 0: np\.array\(.*\n {2}scalars: a = [-\d.]+, b = [-\d.]+/)
  })

  it("catches a customJvp rule that is affine, not linear", () => {
    const shifted = customJvp((x: Array) => np.sin(x))
    shifted.defjvp(([x], [t]) => [shifted(x), t.mul(np.cos(x)).add(0.01)])
    failure(laws.jvpIsLinear(shifted, [vec]), { seed: 10, numRuns: 30 })
  })

  it("holds a float64 output computed from a float32 input to float32's tolerance (its tangent passes through float32)", () => {
    const mixed = (a: Array, b: Array) => np.divide(np.sin(a), b)
    const f32 = laws.arb.array({ shape: [3], dtype: "float32" })
    const f64 = laws.arb.array({ shape: [3], dtype: "float64", min: 0.5, max: 2 })
    laws.check(laws.jvpIsLinear(mixed, [f32, f64]), { seed: 11, numRuns: 30 })
  })
})

describe("vjpIsAdjointOfJvp", () => {
  it("catches a vjp whose cotangents come back in the wrong order", () => {
    const flippedVjp: laws.VjpLike = (f, ...primals) => {
      const [y, back] = vjp(f, ...primals)
      return [y, (ct) => back(ct).map((c) => tree.map((x) => np.flip(x as Array), c as unknown)) as unknown as ReturnType<typeof back>]
    }
    const r = failure(
      laws.vjpIsAdjointOfJvp((a: Array, b: Array) => np.matmul(a, b), [arb.array({ shape: [2, 3] }), arb.array({ shape: [3, 2] })], { vjp: flippedVjp }),
      { seed: 11, numRuns: 30 }
    )
    expect(r.message).toMatch(/<v, J u> = [-\d.e]+ but <Jᵀ v, u> = [-\d.e]+/)
    expect(r.message).toMatch(/cotangent v \(output\):\n {4}np\.array\(/)
  })

  it("catches a customVjp whose reverse rule disagrees with forward mode on a linear map", () => {
    // customVjp refuses forward mode, so pair its vjp with the jvp of the undecorated function.
    const scale = (x: Array) => x.mul(3)
    const badScale = customVjp(scale)
    badScale.defvjp(
      (x) => [scale(x), null],
      (_r, ct) => [ct.mul(2)]
    )
    const jvpOfScale: laws.JvpLike = (_f, primals, tangents) => jvp(scale as never, primals as never, tangents as never) as never
    failure(laws.vjpIsAdjointOfJvp(badScale, [vec], { jvp: jvpOfScale }), { seed: 12, numRuns: 20 })
  })
})

describe("jitGradCommutes", () => {
  it("catches a jit that blocks gradients", () => {
    const opaqueJit: laws.JitLike = <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) => {
      const j = jit(f)
      return (...a: Args): R => j(...(a.map((x) => tree.map((l) => stopGradient(l as Array), x)) as unknown as Args)) as R
    }
    const r = failure(
      laws.jitGradCommutes((x: Array) => np.sum(np.tanh(x)), [vec], { jit: opaqueJit }),
      { seed: 13, numRuns: 10 }
    )
    expect(r.message).toMatch(/d f \/ d args\[0\] at \[\d\]: grad\(f\) [-\d.e]+, grad\(jit\(f\)\) 0/)
  })
})

describe("vmapMatchesStack", () => {
  it("catches a vmap that returns the batch in the wrong order", () => {
    const reversingVmap: laws.VmapLike = <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) => {
      const v = vmap(f)
      return (...a: Args): R => tree.map((l) => np.flip(l as Array, 0), v(...a)) as unknown as R
    }
    const r = failure(laws.vmapMatchesStack(np.sin, [vec], { vmap: reversingVmap }), { seed: 22, numRuns: 30 })
    expect(r.message).toMatch(/output \(batch of 2\) at \[\d, \d\]: stacked f [-\d.e]+, vmap\(f\) [-\d.e]+/)
    expect(r.message).toMatch(/example 1:\n {4}argument 0: np\.array\(/)
  })

  it("catches a vmap that ignores the batch of its second argument", () => {
    const firstOnlyVmap: laws.VmapLike =
      <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) =>
      (...a: Args): R =>
        vmap(f, { inAxes: [0, ...a.slice(1).map(() => null)] })(...([a[0], ...a.slice(1).map((x) => (x as Array).index(0))] as unknown as Args))
    const r = failure(
      laws.vmapMatchesStack((x: Array, y: Array) => np.add(x, y), [vec, vec], { vmap: firstOnlyVmap }),
      { seed: 23, numRuns: 30 }
    )
    expect(r.message).toContain("Law failed: vmapMatchesStack")
  })
})

describe("treeRoundTrip", () => {
  it("holds for jaxfx's pytrees", () => {
    laws.check(laws.treeRoundTrip(arb.arrayTree({ shape: [2] })), { seed: 14, numRuns: 100 })
  })

  it("catches an unflatten that reorders leaves", () => {
    const r = failure(
      laws.treeRoundTrip(arb.pytree(fc.integer()), {
        unflatten: (def, leaves) => tree.unflatten(def, [...leaves].reverse())
      }),
      { seed: 15, numRuns: 100 }
    )
    expect(r.message).toMatch(/unflatten\(flatten\(t\)\) differs from t at \S+: a different leaf \(-?\d+ vs -?\d+\)/)
    expect(r.message).toMatch(/structure: PyTreeDef\(/)
  })

  it("catches a flatten that drops null subtrees", () => {
    const r = failure(
      laws.treeRoundTrip(arb.pytree(fc.integer(), { maxDepth: 2 }), {
        flatten: (t) =>
          tree.flatten(JSON.parse(JSON.stringify(t, (_k, v: unknown) => (globalThis.Array.isArray(v) ? v.filter((c) => c !== null) : v))) as unknown)
      }),
      { seed: 16, numRuns: 200 }
    )
    expect(r.message).toContain("unflatten(flatten(t)) differs from t at")
  })
})

describe("transformations as arguments", () => {
  it("jaxfx's own jit and vmap fit the JitLike and VmapLike types", () => {
    const j: laws.JitLike = jit
    const v: laws.VmapLike = vmap
    laws.check(laws.jitMatchesEager(np.sin, [vec], { jit: j }), { seed: 24, numRuns: 5 })
    laws.check(laws.vmapMatchesStack(np.sin, [vec], { vmap: v }), { seed: 24, numRuns: 5 })
  })
})

describe("the report", () => {
  it("names the law, the seed and path to replay, and replaying reproduces the same case", () => {
    const sloppyJit: laws.JitLike =
      <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) =>
      (...a: Args): R =>
        (f(...a) as unknown as Array).add(1e-3) as unknown as R
    const prop = laws.jitMatchesEager(np.cos, [anyShape], { jit: sloppyJit })
    const r = failure(prop, { seed: 17, numRuns: 20 })
    expect(r.seed).toBe(17)
    expect(r.path).not.toBeNull()
    expect(r.message).toContain(`replay: check(property, { seed: 17, path: "${r.path}" })`)
    expect(r.message).toMatch(/found after \d+ case\(s\), shrunk \d+ time\(s\)/)
    expect(r.message).toContain("What went wrong:")
    expect(r.message).toContain("Shrunk case:")
    const again = failure(prop, { seed: 17, path: r.path! })
    expect(again.message.split("Shrunk case:")[1]).toBe(r.message.split("Shrunk case:")[1])
  })

  it("reads well through plain fc.assert too (the case prints its inputs)", () => {
    const sloppyJit: laws.JitLike =
      <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) =>
      (...a: Args): R =>
        (f(...a) as unknown as Array).add(1e-3) as unknown as R
    expect(() => fc.assert(laws.jitMatchesEager(np.cos, [vec], { jit: sloppyJit }), { seed: 18, numRuns: 10 })).toThrow(/argument 0: np\.array\(\[/)
  })
})

describe("program laws", () => {
  it("shrink a failure to the smallest program and print it with its jaxpr", () => {
    // A jit that is wrong only for programs containing tanh.
    const tanhBugJit: laws.JitLike = <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) => {
      const j = jit(f)
      return (...a: Args): R => {
        const out = j(...a)
        const wrong = j
          .lower(...a)
          .toString()
          .includes("tanh")
        return (wrong ? (out as unknown as Array).add(1) : out) as unknown as R
      }
    }
    const r = failure(laws.programLaws.jitMatchesEager({ jit: tanhBugJit }), { seed: 19, numRuns: 100 })
    expect(r.message).toContain("Law failed: jitMatchesEager on random programs")
    expect(r.message).toContain("program:\n    (x0: Array /* float32[] */) => {\n      const t0 = np.tanh(x0)  // []\n      return t0\n    }")
    expect(r.message).toContain("jaxpr:\n    { lambda ; a:f32[]. let b:f32[] = tanh a in (b,) }")
    expect(r.message).toContain('argument 0 (x0): np.array(0, { dtype: "float32" })  // f32[]')
  })

  describe("catch faults planted in primitive rules", () => {
    const restore: (() => void)[] = []
    afterEach(() => {
      restore.splice(0).forEach((f) => f())
    })
    const patch = (name: string, field: "jvp" | "transpose", rule: (original: NonNullable<Primitive[typeof field]>) => Primitive[typeof field]) => {
      const p = lookupPrimitive(name)!
      const original = p[field]!
      const slots = p as unknown as Record<string, unknown>
      slots[field] = rule(original as never)
      restore.push(() => {
        slots[field] = original
      })
    }

    it("a wrong sign in sin's jvp rule: grad disagrees with finite differences", () => {
      patch(
        "sin",
        "jvp",
        (original) =>
          ((primals, tangents, params) => {
            const [outs, touts] = (original as NonNullable<Primitive["jvp"]>)(primals, tangents, params)
            return [outs, touts.map((t) => (t instanceof Array ? t.neg() : t))]
          }) as Primitive["jvp"]
      )
      const programs = { ops: { unary: ["tanh", "sin", "exp"] as const } }
      const r = failure(laws.programLaws.gradMatchesFiniteDifferences({ programs }), { seed: 20, numRuns: 100 })
      expect(r.message).toContain("np.sin(")
      expect(r.message).toMatch(/jaxpr:\n    \{ lambda [^}]*\bsin\b/)
      // jvp stays linear and vjp stays the adjoint of this (wrong) jvp: only the finite differences see it.
      laws.check(laws.programLaws.jvpIsLinear({ programs: { ops: { unary: ["sin"] } } }), { seed: 20, numRuns: 30 })
    })

    it("a transpose rule of neg that forgets the sign: vjp is no longer the adjoint of jvp", () => {
      patch("neg", "transpose", () => ((cts) => [cts[0]!]) as Primitive["transpose"])
      const r = failure(laws.programLaws.vjpIsAdjointOfJvp({ programs: { ops: { unary: ["negative", "sin", "tanh"] } } }), { seed: 21, numRuns: 100 })
      expect(r.message).toContain("<v, J u>")
      expect(r.message).toMatch(/jaxpr:\n    \{ lambda [^}]*\bneg\b/)
    })
  })
})
