import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { type Array, debug, jit, lax, makeJaxpr, np } from "../../index.js"
import { evalJaxpr, type Jaxpr } from "../ir.js"
import { countEqns, cse, dce, foldConstants, optimize, verifyJaxpr } from "./index.js"
import { concrete, sameResults } from "./test-helpers.js"

const x3 = np.array([1.5, 2, 3])

/** optimize, verify, and check the results on a few inputs against the original program. */
const optimizeChecked = (j: Jaxpr): Jaxpr => {
  const out = optimize(j)
  verifyJaxpr(out)
  expect(countEqns(out)).toBeLessThanOrEqual(countEqns(j))
  for (const data of [
    [1.5, 2, 3],
    [-1, -2, 0.5],
    [0, -0, NaN]
  ]) {
    const x = concrete(data, "float32", [3])
    expect(sameResults(evalJaxpr(out, [], [x]), evalJaxpr(j, [], [x]))).toBe(true)
  }
  return out
}

describe("passes inside control flow", () => {
  it("optimize works inside cond branches, keeping the branch signatures", () => {
    const j = makeJaxpr((x: Array) =>
      lax.cond(
        np.sum(x).gt(0),
        (y: Array) => np.sin(y).mul(1).add(np.sin(y)),
        (y: Array) => np.negative(np.negative(y)),
        x
      )
    )(x3).jaxpr
    expect(optimizeChecked(j).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[] = reduce_sum[axes=(0,)] a; c:bool[] = gt b 0.0:f32[]; " +
        "d:i32[] = convert_element_type[new_dtype=int32 weak_type=False] c; " +
        "e:f32[3] = cond[branches=({ lambda ; a:f32[3]. let in (a,) } { lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = add b b in (c,) })] d a in (e,) }"
    )
  })

  it("optimize works inside while and scan bodies, and folds the operands of the loop", () => {
    const w = makeJaxpr((x: Array) =>
      lax.whileLoop(
        (c: Array) => np.sum(c).lt(100),
        (c: Array) => c.mul(2).mul(1),
        x
      )
    )(x3).jaxpr
    expect(optimizeChecked(w).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] = while[body_jaxpr={ lambda ; a:f32[3]. let b:f32[3] = mul a 2.0:f32[] in (b,) } body_nconsts=0 " +
        "cond_jaxpr={ lambda ; a:f32[3]. let b:f32[] = reduce_sum[axes=(0,)] a; c:bool[] = lt b 100.0:f32[] in (c,) } cond_nconsts=0] a in (b,) }"
    )
    const s = makeJaxpr((x: Array) => lax.scan((c: Array, r: Array) => [c.add(r), np.sin(r).add(np.sin(r))] as const, np.array(0).astype("float32"), x))(
      x3
    ).jaxpr
    expect(optimizeChecked(s).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[] c:f32[3] = scan[jaxpr={ lambda ; a:f32[] b:f32[]. let c:f32[] = add a b; d:f32[] = sin b; e:f32[] = add d d in (c, e) } " +
        "length=3 num_carry=1 num_consts=0 reverse=False] 0.0:f32[] a in (b, c) }"
    )
  })

  it("a jit call inside a loop body is inlined into the body", () => {
    const g = jit((y: Array) => np.cos(y))
    const w = makeJaxpr((x: Array) => lax.scan((c: Array, r: Array) => [g(c.add(r)), r] as const, np.array(0).astype("float32"), x))(x3).jaxpr
    expect(optimizeChecked(w).toString({ compact: true })).toBe(
      "{ lambda ; a:f32[3]. let b:f32[] c:f32[3] = scan[jaxpr={ lambda ; a:f32[] b:f32[]. let c:f32[] = add a b; d:f32[] = cos c in (d, b) } " +
        "length=3 num_carry=1 num_consts=0 reverse=False] 0.0:f32[] a in (b, c) }"
    )
  })
})

describe("effects (debug.print)", () => {
  const lines: string[] = []
  let prev: ((line: string) => void) | undefined
  beforeAll(() => void (prev = debug.setPrintSink((l) => lines.push(l))))
  afterAll(() => void (prev !== undefined && debug.setPrintSink(prev)))
  afterEach(() => void (lines.length = 0))

  it("are never removed, merged or run ahead of time", () => {
    const j = makeJaxpr((x: Array) => {
      debug.print("hi")
      debug.print("x={}", x)
      debug.print("x={}", x)
      return x.mul(1)
    })(x3).jaxpr
    expect(lines).toEqual([])
    for (const pass of [dce, cse, foldConstants]) expect(pass(j)).toBe(j)
    expect(optimize(j).toString({ compact: true })).toBe(
      '{ lambda ; a:f32[3]. let debug_print[fmt="hi"]; debug_print[fmt="x={}"] a; debug_print[fmt="x={}"] a in (a,) }'
    )
    expect(lines).toEqual([])
  })

  it("keep a call whose body prints, even when its outputs are unused", () => {
    const g = jit((y: Array) => {
      debug.print("in g {}", y)
      return y.mul(2)
    })
    const j = makeJaxpr((x: Array) => {
      g(x)
      g(x)
      return x
    })(x3).jaxpr
    expect(dce(j)).toBe(j)
    expect(cse(j)).toBe(j)
    expect(optimize(j).toString({ compact: true })).toBe('{ lambda ; a:f32[3]. let debug_print[fmt="in g {}"] a; debug_print[fmt="in g {}"] a in (a,) }')
    expect(lines).toEqual([])
  })
})
