/**
 * Random programs: they are well typed (run, match their elaborated shapes, stay finite inside
 * their interval bounds), shrink to the smallest failing program, and satisfy every law.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { np } from "../index.js"
import * as laws from "./index.js"
import { elaborate, type RawExpr } from "./programs.js"

const { programCase, rawSize } = laws.programs

describe("generated programs", () => {
  it("run eagerly, with the shape the elaborator computed, finite values inside the bounds", () => {
    fc.assert(
      fc.property(programCase({ maxDepth: 5, inputs: { min: 1, max: 3 } }), ({ program, args }) => {
        const out = program.run(...args)
        expect(out.shape).toEqual(program.outShape)
        expect(out.dtype).toBe("float32")
        const [lo, hi] = program.root.bounds
        const slack = 1e-4 * Math.max(1, Math.abs(lo), Math.abs(hi))
        for (const v of out.data()) {
          expect(Number.isFinite(v)).toBe(true)
          expect(v).toBeGreaterThanOrEqual(lo - slack)
          expect(v).toBeLessThanOrEqual(hi + slack)
        }
      }),
      { seed: 11, numRuns: 150 }
    )
  })

  it("print as runnable code and as a jaxpr over the input signature", () => {
    const [c] = fc.sample(programCase({ inputs: 2 }), { seed: 5, numRuns: 1 })
    const code = c!.program.code()
    expect(code).toMatch(/^\(x0: Array \/\* float32\[[\d,]*\] \*\/, x1: Array/)
    expect(code).toContain("return ")
    const jaxpr = c!.program.jaxpr()
    expect(jaxpr).toMatch(/^\{ lambda ; a:f32\[[\d,]*\] b:f32\[[\d,]*\]\. let/)
  })

  it("are deterministic for a seed", () => {
    const codes = (seed: number) => fc.sample(programCase(), { seed, numRuns: 5 }).map((c) => c.program.code())
    expect(codes(3)).toEqual(codes(3))
    expect(codes(3)).not.toEqual(codes(4))
  })

  it("honour the options: scalar output, smooth operations only, a chosen operation set", () => {
    const kinks = /np\.(abs|maximum|minimum|max|min|where)\(|nn\.relu\(/
    fc.assert(
      fc.property(programCase({ output: "scalar", smooth: true }), ({ program }) => {
        expect(program.outShape).toEqual([])
        expect(program.code()).not.toMatch(kinks)
      }),
      { seed: 2, numRuns: 60 }
    )
    fc.assert(
      fc.property(programCase({ ops: { unary: ["sin"], binary: ["add"], reduce: [], structural: [], scalar: false } }), ({ program }) => {
        // sum adapts operands that do not broadcast; multiply by a power of 2 keeps values bounded.
        for (const m of program.code().matchAll(/(np|nn)\.(\w+)\(/g)) expect(["sin", "add", "sum", "multiply"]).toContain(m[2])
      }),
      { seed: 2, numRuns: 60 }
    )
  })

  it("guard operands into the domain of their operation", () => {
    const raw: RawExpr = { tag: "unary", op: "log", x: { tag: "unary", op: "arcsin", x: { tag: "input", pick: 0 } } }
    const p = elaborate(raw, [{ shape: [3], dtype: "float32" }])
    expect(p.code()).toContain("np.tanh(x0)")
    expect(p.code()).toContain("np.add(")
    const out = p.run(np.asarray([-2, 0, 2], { dtype: "float32" }))
    for (const v of out.data()) expect(Number.isFinite(v)).toBe(true)
  })

  it("type any raw tree: operands that do not broadcast are summed over the conflicting axes", () => {
    const raw: RawExpr = { tag: "binary", op: "add", x: { tag: "input", pick: 0 }, y: { tag: "input", pick: 1 } }
    const p = elaborate(raw, [
      { shape: [2, 3], dtype: "float32" },
      { shape: [4, 3], dtype: "float32" }
    ])
    expect(p.outShape).toEqual([2, 3])
    expect(p.code()).toContain("np.sum(x1, { axis: [0], keepdims: true })")
  })

  it("shrink to the smallest failing program", () => {
    // A "bug" that shows whenever tanh is applied: shrinking must reduce any program to one op.
    const details = fc.check(
      fc.property(programCase({ maxDepth: 5 }), ({ program }) => !program.code().includes("np.tanh(")),
      { seed: 9, numRuns: 300 }
    )
    expect(details.failed).toBe(true)
    const c = details.counterexample![0]
    expect(c.program.size).toBe(1)
    expect(rawSize(c.program.expr)).toBe(1)
    expect(c.program.code()).toContain("np.tanh(x0)")
    // Shapes and values shrink too.
    expect(c.args.length).toBe(1)
    expect(c.args[0]!.shape).toEqual([])
  })
})

describe("the laws hold on random programs", () => {
  it("jit(program) = program, bit for bit", () => {
    laws.check(laws.programLaws.jitMatchesEager(), { seed: 101, numRuns: 40 })
  })
  it("grad(program) matches central differences in float64", () => {
    laws.check(laws.programLaws.gradMatchesFiniteDifferences(), { seed: 102, numRuns: 25 })
  })
  it("float32 grads of programs are within float32 tolerances of float64 differences", () => {
    laws.check(laws.programLaws.gradMatchesFiniteDifferences({ gradDtype: "input", programs: { smooth: true } }), { seed: 103, numRuns: 25 })
  })
  it("jvp of a program is linear in the tangent", () => {
    laws.check(laws.programLaws.jvpIsLinear(), { seed: 104, numRuns: 40 })
  })
  it("vjp of a program is the adjoint of its jvp", () => {
    laws.check(laws.programLaws.vjpIsAdjointOfJvp(), { seed: 105, numRuns: 40 })
  })
  it("jit(grad program) = grad(jit program) = grad program", () => {
    laws.check(laws.programLaws.jitGradCommutes(), { seed: 106, numRuns: 25 })
  })
  it("vmap(program) = the program stacked over examples", () => {
    laws.check(laws.programLaws.vmapMatchesStack(), { seed: 109, numRuns: 40 })
  })
  it("float64 programs", () => {
    laws.check(laws.programLaws.vjpIsAdjointOfJvp({ programs: { dtype: "float64" } }), { seed: 107, numRuns: 20 })
    laws.check(laws.programLaws.jitMatchesEager({ programs: { dtype: "float64" } }), { seed: 108, numRuns: 20 })
  })
})
