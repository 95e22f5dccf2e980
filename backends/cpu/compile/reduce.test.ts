/**
 * Fused reductions against eager ones: every reduction, dtype and pattern of reduced axes
 * (leading, trailing, middle, several, all, none of size > 1, empty), with producers fused
 * before and epilogues after. max/min/argmax/argmin, integer sums and float64 sums (calls to the
 * eager kernel) are exact; other float sums and products accumulate in doubles like the eager
 * kernels, in another order (relative 1e-6 for float32 here; float64 relative 1e-12).
 */
import { describe, expect, it } from "vitest"
import { type Array, type DType, jit, lax, makeJaxpr, np } from "../../../index.js"
import { compileReport } from "./index.js"
import { expectClose, expectSameBits, input } from "./test-util.js"

const shapes: ReadonlyArray<readonly [ReadonlyArray<number>, ReadonlyArray<number>]> = [
  [[17], [0]],
  [[5, 7], [1]],
  [[5, 7], [0]],
  [[4, 6, 3], [1]],
  [
    [4, 6, 3],
    [0, 2]
  ],
  [
    [3, 4, 5, 2],
    [1, 3]
  ],
  [[3, 1, 5], [1]],
  [
    [3, 1, 5],
    [0, 1, 2]
  ],
  [[2, 0, 3], [1]],
  [
    [1, 1],
    [0, 1]
  ]
]

const sane = (x: Array): Array => (x.dtype === "float32" || x.dtype === "float64" ? np.where(np.isfinite(x), lax.tanh(x), 0.5) : x)

describe("reductions with fused producers and epilogues", () => {
  for (const [shape, axes] of shapes) {
    for (const d of ["float32", "float64", "int32", "uint32"] as const) {
      it(`${d}${JSON.stringify(shape)} over ${JSON.stringify(axes)}`, () => {
        const x = input(d, shape, 3)
        const isF = d === "float32" || d === "float64"
        const two = np.asarray(2, { dtype: d })
        const f = (x: Array): Array[] => {
          const y = isF ? lax.mul(sane(x), two) : lax.add(x, two)
          const outs = [
            lax.reduceSum(y, axes),
            lax.reduceMax(y, axes),
            lax.reduceMin(y, axes),
            lax.reduceProd(isF ? lax.add(y, np.asarray(0.5, { dtype: d })) : y, axes)
          ]
          // an epilogue on a reduced value
          outs.push(lax.add(lax.reduceMax(y, axes), isF ? lax.exp(lax.reduceSum(y, axes)) : lax.reduceMin(y, axes)))
          return outs
        }
        const want = f(x)
        const got = jit(f)(x)
        want.forEach((w, i) => {
          if (!isF || i === 1 || i === 2) expectSameBits(got[i]!, w, `output ${i}`)
          else expectClose(got[i]!, w, d === "float32" ? 1e-6 : 1e-12, `output ${i}`)
        })
      })
    }
  }

  for (const d of ["float32", "float64", "int32", "bool"] as const satisfies ReadonlyArray<DType>) {
    it(`argmax/argmin ${d}: first index of the extreme, NaN wins, ties to the first`, () => {
      const x = input(d, [6, 9], 2)
      for (const axis of [0, 1]) {
        const f = (x: Array) => [lax.argmax(x, axis), lax.argmin(x, axis), lax.reduceMax(x, [axis])]
        const got = jit(f)(x)
        f(x).forEach((w, i) => expectSameBits(got[i]!, w, `axis ${axis} output ${i}`))
      }
    })
  }

  it("bool reductions (any/all through max/min)", () => {
    const b = input("bool", [7, 5], 4)
    const f = (b: Array) => [lax.reduceMax(b, [0]), lax.reduceMin(b, [1]), lax.reduceMax(b, [0, 1])]
    const got = jit(f)(b)
    f(b).forEach((w, i) => expectSameBits(got[i]!, w, `output ${i}`))
  })

  it("a column reduction (leading axis) accumulates rows of the kept axis in one pass", () => {
    const x = input("float32", [64, 33], 5)
    const f = (x: Array) => np.sum(np.exp(sane(x)), { axis: 0 }).div(64)
    const r = compileReport(makeJaxpr(f)(x))
    expect(r.kernels.length).toBe(1)
    expectClose(jit(f)(x), f(x), 1e-6, "column mean")
  })

  it("sums of many float32 values round once, like eager", () => {
    const x = np.asarray(Float32Array.from({ length: 100_000 }, (_, i) => Math.fround(Math.sin(i) * 1e3)))
    const f = (x: Array) => np.sum(x.mul(x))
    const got = jit(f)(x).item()
    const want = f(x).item()
    expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * 2 ** -23)
  })

  // Eager float64 sums are pairwise (8 accumulators, blocks of 128): a fused loop summing in order
  // differs in the last bits from 8 terms on, so jit would not give eager's bits.
  it("float64 sums give eager's bits under jit, with producers and epilogues, over every pattern of axes", () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<number>, ReadonlyArray<number>]> = [
      [[8], [0]],
      [[9], [0]],
      [[300], [0]],
      [[3, 130], [1]],
      [[130, 3], [0]],
      [[2, 140, 3], [1]],
      [
        [4, 5, 6],
        [0, 2]
      ],
      [
        [1, 3, 9],
        [1, 2]
      ]
    ]
    for (const [shape, axes] of cases) {
      const n = shape.reduce((a, b) => a * b, 1)
      const x = np
        .asarray(
          Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 0.37 + 1e-3 * Math.cos(i)),
          { dtype: "float64" }
        )
        .reshape([...shape])
      const f = (x: Array): Array[] => [
        lax.reduceSum(x, axes),
        lax.reduceSum(lax.mul(x, x), axes),
        lax.exp(lax.reduceSum(lax.sin(x), axes)),
        np.mean(x, { axis: [...axes] })
      ]
      const got = jit(f)(x)
      f(x).forEach((w, i) => expectSameBits(got[i]!, w, `${JSON.stringify(shape)} over ${JSON.stringify(axes)}: output ${i}`))
    }
  })
})
